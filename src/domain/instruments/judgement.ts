import { isRiskLevel, type RiskLevel, riskLevelRank } from './bands.ts';

export interface JudgementError {
  readonly field: 'scoreBand' | 'judgedLevel' | 'reason';
  readonly message: string;
}

export interface JudgedLevel {
  /** The level to act on: the judged level, or the score band when no judgement differs. */
  readonly level: RiskLevel;
  readonly scoreBand: RiskLevel;
  /** True when professional judgement put the level above the score band. */
  readonly raised: boolean;
  readonly reason?: string;
}

export type JudgementResult =
  | { readonly ok: true; readonly value: JudgedLevel }
  | { readonly ok: false; readonly errors: readonly JudgementError[] };

/**
 * Combine the score band with the assessor's professional judgement (FINDINGS F4): judgement may
 * raise the level, never lower it below the band, and a level that differs needs a reason.
 */
export function applyProfessionalJudgement(
  scoreBand: RiskLevel,
  judgedLevel: RiskLevel | undefined,
  reason?: string,
): JudgementResult {
  const errors: JudgementError[] = [];
  if (!isRiskLevel(scoreBand))
    errors.push({ field: 'scoreBand', message: 'Score band must be standard, medium or high' });
  if (judgedLevel !== undefined && !isRiskLevel(judgedLevel)) {
    errors.push({ field: 'judgedLevel', message: 'Judged level must be standard, medium or high' });
  }
  if (errors.length > 0) return { ok: false, errors };

  const trimmed = reason?.trim() ?? '';
  const level = judgedLevel ?? scoreBand;
  if (riskLevelRank(level) < riskLevelRank(scoreBand)) {
    errors.push({
      field: 'judgedLevel',
      message: `Professional judgement cannot lower the level below the score band (${scoreBand})`,
    });
  }
  if (level !== scoreBand && trimmed === '') {
    errors.push({
      field: 'reason',
      message: 'Give the reason for judging the level higher than the score band',
    });
  }
  if (errors.length > 0) return { ok: false, errors };

  const value: JudgedLevel = {
    level,
    scoreBand,
    raised: riskLevelRank(level) > riskLevelRank(scoreBand),
    ...(trimmed === '' ? {} : { reason: trimmed }),
  };
  return { ok: true, value };
}
