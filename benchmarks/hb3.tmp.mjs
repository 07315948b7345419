import { randomFillSync } from 'node:crypto';
const block = Buffer.allocUnsafe(4096); randomFillSync(block);
const parts = ['a'.repeat(150), 'b'.repeat(60), 'c'.repeat(60)];
let off = 0; let sink;
const tests = {
  b64: () => { off = (off + 16) & 4095; sink = block.toString('base64', off, off + 16); },
  b64slice: () => { off = (off + 16) & 4095; sink = block.base64Slice(off, off + 16); },
  join: () => { sink = parts.join('XXXXXXXXXXXXXXXXXXXXXXXX'); },
  concat: () => { sink = parts[0] + 'XXXXXXXXXXXXXXXXXXXXXXXX' + parts[1] + 'XXXXXXXXXXXXXXXXXXXXXXXX' + parts[2]; },
  defprop: () => { const o = Object.create(null); Object.defineProperty(o, 'x', { configurable: true, enumerable: true, get() { return 1; } }); sink = o; },
  plainset: () => { const o = Object.create(null); o.x = 'abc'; sink = o; },
};
const res = Object.fromEntries(Object.keys(tests).map(k=>[k,[]]));
for (let r = 0; r < 21; r++) for (const [k, fn] of Object.entries(tests)) {
  const n = 200000; const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn();
  res[k].push(Number(process.hrtime.bigint() - t) / n);
}
for (const [k, v] of Object.entries(res)) { v.sort((a,b)=>a-b); console.log(k, v[10].toFixed(1), 'min', v[0].toFixed(1)); }
