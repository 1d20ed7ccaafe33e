import { generatePopulation } from './synthetic.ts';
import { blockingKeys } from '../../src/domain/matching.ts';
const { records } = generatePopulation({ people: 20000, records: 50000, seed: 20240401, twinShare: 0.12 });
const recs = records.map((r) => r.record);
const n = recs.length;
const keysOf = recs.map((r) => blockingKeys(r));
for (const exclude of [['gn-md','pc-hn'], ['pc-hn'], []]) {
  const index = new Map<string, number[]>();
  keysOf.forEach((ks, i) => { for (const k of ks) { if (exclude.includes(k.slice(0, k.indexOf(':')))) continue; const l = index.get(k); if (l) l.push(i); else index.set(k, [i]); } });
  const pairs = new Set<number>();
  for (const list of index.values()) for (let x = 0; x < list.length; x++) for (let y = x + 1; y < list.length; y++) pairs.add(list[x]! * n + list[y]!);
  let t = 0; for (const p of pairs) if (records[Math.floor(p / n)]!.personId === records[p % n]!.personId) t++;
  let keyCount = 0; for (const ks of keysOf) keyCount += ks.filter((k) => !exclude.includes(k.slice(0, k.indexOf(':')))).length;
  console.log('exclude', exclude.join(',') || '-', 'pairs', pairs.size, 'true', t, 'keys/record', (keyCount / n).toFixed(1));
}
