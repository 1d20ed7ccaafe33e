/**
 * Risk levels and the banding of an instrument score. Bands are partnership configuration; the
 * defaults are the SafeLives/MARAC convention (1–9 standard, 10–13 medium, 14+ high).
 */

export const RISK_LEVELS = ['standard', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export interface RiskBands {
  /** Lowest score banded medium. */
  readonly mediumFrom: number;
  /** Lowest score banded high ("visible high risk", a MARAC referral criterion). */
  readonly highFrom: number;
}

/** config: score bands (default medium from 10, high from 14; 0–9 standard). */
export const DEFAULT_RISK_BANDS: RiskBands = Object.freeze({ mediumFrom: 10, highFrom: 14 });

export function isRiskLevel(value: unknown): value is RiskLevel {
  return typeof value === 'string' && (RISK_LEVELS as readonly string[]).includes(value);
}

/** 0 for standard, 1 for medium, 2 for high. */
export function riskLevelRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export function maxRiskLevel(...levels: readonly RiskLevel[]): RiskLevel {
  let highest: RiskLevel = 'standard';
  for (const level of levels) if (riskLevelRank(level) > riskLevelRank(highest)) highest = level;
  return highest;
}

export function assertValidBands(bands: RiskBands): void {
  const { mediumFrom, highFrom } = bands;
  if (
    !Number.isInteger(mediumFrom) ||
    !Number.isInteger(highFrom) ||
    mediumFrom < 1 ||
    highFrom <= mediumFrom
  ) {
    throw new RangeError(
      `Risk bands need whole numbers with 1 ≤ mediumFrom < highFrom, got ${mediumFrom}/${highFrom}`,
    );
  }
}

export function bandForScore(score: number, bands: RiskBands = DEFAULT_RISK_BANDS): RiskLevel {
  assertValidBands(bands);
  if (!Number.isInteger(score) || score < 0)
    throw new RangeError(`A score is a whole number ≥ 0, got ${score}`);
  if (score >= bands.highFrom) return 'high';
  if (score >= bands.mediumFrom) return 'medium';
  return 'standard';
}
