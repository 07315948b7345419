const fs=require("fs");const p=JSON.parse(fs.readFileSync(process.argv[2]));const nsop=Number(process.argv[3]);
const byId=new Map(p.nodes.map(n=>[n.id,n]));const parent=new Map();for(const n of p.nodes)for(const c of n.children||[])parent.set(c,n.id);
const dt={};p.samples.forEach((s,i)=>{dt[s]=(dt[s]||0)+(p.timeDeltas[i]||0)});
const incl=new Map(),self=new Map();let total=0;
const key=(m)=>m.callFrame.functionName+" "+m.callFrame.url.split("/").slice(-2).join("/")+":"+m.callFrame.lineNumber;
for(const n of p.nodes){const t=dt[n.id]||0;total+=t;self.set(key(n),(self.get(key(n))||0)+t);const seen=new Set();let id=n.id;while(id!==undefined){const m=byId.get(id);const k=key(m);if(!seen.has(k)){seen.add(k);incl.set(k,(incl.get(k)||0)+t)}id=parent.get(id)}}
console.log("SELF ns/op");[...self].sort((a,b)=>b[1]-a[1]).slice(0,40).forEach(([k,t])=>console.log((t/total*nsop).toFixed(0).padStart(6),k.slice(0,90)));
