import { generatePopulation } from './synthetic.ts';
import { blockingKeys } from '../../src/domain/matching.ts';
const { records } = generatePopulation({ people: 20000, records: 50000, seed: 20240401, twinShare: 0.12 });
const recs = records.map((r) => r.record);
const n = recs.length;
const index = new Map<string, number[]>();
recs.forEach((r, i) => { for (const k of blockingKeys(r)) { const l = index.get(k); if (l) l.push(i); else index.set(k, [i]); } });
const pairKinds = new Map<number, Set<string>>();
for (const [k, list] of index) { const kind = k.slice(0, k.indexOf(':')); for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) { const key = list[x]! * n + list[y]!; let s = pairKinds.get(key); if (!s) pairKinds.set(key, (s = new Set())); s.add(kind); } }
const only = new Map<string, { all: number; t: number }>();
const tot = new Map<string, { all: number; t: number }>();
for (const [key, kinds] of pairKinds) { const same = records[Math.floor(key / n)]!.personId === records[key % n]!.personId; for (const k of kinds) { const e = tot.get(k) ?? { all: 0, t: 0 }; e.all++; if (same) e.t++; tot.set(k, e); } if (kinds.size === 1) { const k = [...kinds][0]!; const e = only.get(k) ?? { all: 0, t: 0 }; e.all++; if (same) e.t++; only.set(k, e); } }
console.log('pairs', pairKinds.size);
for (const [k, e] of tot) console.log(k.padEnd(8), 'pairs', e.all, 'true', e.t, '| only this kind: pairs', only.get(k)?.all ?? 0, 'true', only.get(k)?.t ?? 0);
