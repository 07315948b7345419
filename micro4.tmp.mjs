const S = Symbol('r');
class RDate extends Date { constructor(ms, r) { super(ms); this.r = r; } }
const wm = new WeakMap();
function time(name, fn, n = 2000000) { for (let i = 0; i < 100000; i++) fn(i); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(i); console.log(name, (Number(process.hrtime.bigint() - t) / n).toFixed(1), 'ns'); }
const r = { allowed: true };
let sink;
time('date', (i) => { sink = new Date(1e12 + i); });
time('date+symbol', (i) => { const d = new Date(1e12 + i); d[S] = r; sink = d; });
time('subclass', (i) => { sink = new RDate(1e12 + i, r); });
time('weakmap', (i) => { const d = new Date(1e12 + i); wm.set(d, r); sink = d; });
