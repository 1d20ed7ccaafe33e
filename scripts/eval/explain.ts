/**
 * Why true pairs are not linked automatically, and what the rules hold back, for --explain: each
 * true pair short of an automatic link is counted under the rules that capped it (or "score
 * below auto-link"), and each false pair that scored over the auto-link threshold under the rules
 * that stopped it, so the cost and the protection of every rule are read from one table.
 */
import {
  blockingKeys,
  DEFAULT_MATCH_THRESHOLDS,
  type MatchOptions,
  type PersonRecord,
  scoreCandidate,
} from '../../src/domain/matching.ts';

function tally(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

function table(title: string, map: Map<string, number>): string {
  const rows = [...map.entries()].sort((a, b) => b[1] - a[1]);
  return [`${title}:`, ...rows.map(([k, v]) => `  ${String(v).padStart(6)}  ${k}`)].join('\n');
}

export function explain(
  records: readonly PersonRecord[],
  labels: readonly (string | number)[],
  candidates: Set<number>,
  options: MatchOptions,
  examples = 0,
  side?: readonly number[],
  /** Show examples held by this rule rather than those below review. */
  exampleRule?: string,
): string {
  const n = records.length;
  const thresholds = options.thresholds ?? DEFAULT_MATCH_THRESHOLDS;
  const trueHeld = new Map<string, number>();
  const falseHeld = new Map<string, number>();
  const below: string[] = [];
  for (const key of candidates) {
    const a = Math.floor(key / n);
    const b = key % n;
    const result = scoreCandidate(records[a]!, records[b]!, options);
    const rules = result.reasons.flatMap((r) => (r.rule && r.agreement === 'disagree' ? [r.rule] : []));
    const same = labels[a] === labels[b];
    if (same && result.band !== 'auto-link') {
      const label =
        result.score < thresholds.review && rules.length === 0
          ? 'score below review'
          : rules.length === 0
            ? 'score below auto-link'
            : `${rules.join(' + ')}${result.score < thresholds.autoLink ? ' (score below auto-link too)' : ''}`;
      tally(trueHeld, label);
      const wanted = exampleRule ? rules.includes(exampleRule as never) : result.band === 'no-match';
      if (wanted && below.length < examples) {
        below.push(
          `  ${result.score} ${rules.join(',')}\n    ${JSON.stringify(records[a])}\n    ${JSON.stringify(records[b])}\n    ${result.reasons.map((r) => `${r.field}:${r.agreement}:${r.weight}`).join(' ')}`,
        );
      }
    } else if (!same && result.score >= thresholds.autoLink) {
      tally(falseHeld, rules.length === 0 ? 'none: linked' : rules.join(' + '));
    }
  }
  const lost: string[] = [];
  if (examples > 0) {
    const groups = new Map<string | number, number[]>();
    labels.forEach((l, i) => {
      const group = groups.get(l);
      if (group) group.push(i);
      else groups.set(l, [i]);
    });
    for (const g of groups.values()) {
      for (let x = 0; x < g.length && lost.length < examples; x++) {
        for (let y = x + 1; y < g.length && lost.length < examples; y++) {
          const a = Math.min(g[x]!, g[y]!);
          const b = Math.max(g[x]!, g[y]!);
          if (side && side[a] === side[b]) continue;
          if (candidates.has(a * n + b)) continue;
          lost.push(
            `  ${JSON.stringify(records[a])}\n  ${JSON.stringify(records[b])}\n  ${blockingKeys(records[a]!).length} keys`,
          );
        }
      }
    }
  }
  return [
    table('True pairs not linked automatically, by cause', trueHeld),
    table('False pairs scoring over auto-link, by the rule that held them', falseHeld),
    ...(below.length
      ? [exampleRule ? `True pairs held by ${exampleRule}:` : 'True pairs below review:', ...below]
      : []),
    ...(lost.length ? ['True pairs lost by blocking:', ...lost] : []),
  ].join('\n');
}
