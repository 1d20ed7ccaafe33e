/**
 * How a police DAN is rated (FINDINGS F4, F7): its DASH score is a risk assessment like any other,
 * so the notification is rated on the higher of the score's band and the officer's grade. The
 * officer may raise the level, never lower it; a grade below the band is kept, with the reason
 * the officer gave, so the screener sees the disagreement.
 */
import {
  bandForScore,
  DEFAULT_RISK_BANDS,
  type RiskBands,
  type RiskLevel,
  riskLevelRank,
} from '../instruments/bands.ts';

export interface DanRating {
  /** What every rule, check and routing decision uses. */
  readonly level: RiskLevel;
  readonly officerGrade: RiskLevel;
  /** The band of the DASH score; absent when no score was given. */
  readonly band?: RiskLevel;
  /** The officer graded below the score's band (the screener is shown this and the reason). */
  readonly gradeBelowBand: boolean;
}

export function rateDan(
  risk: { dashScore?: number | undefined; officerRiskGrade: RiskLevel },
  bands: RiskBands = DEFAULT_RISK_BANDS,
): DanRating {
  const officerGrade = risk.officerRiskGrade;
  if (risk.dashScore === undefined) return { level: officerGrade, officerGrade, gradeBelowBand: false };
  const band = bandForScore(risk.dashScore, bands);
  const below = riskLevelRank(officerGrade) < riskLevelRank(band);
  return { level: below ? band : officerGrade, officerGrade, band, gradeBelowBand: below };
}
