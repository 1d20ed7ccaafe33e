/**
 * The SafeLives MARAC data return for a period, from the cases heard in it. Pure: the service
 * supplies the facts of each case; the figures are what the return asks for (DOMAIN.md).
 */
export interface ReturnCase {
  repeat: boolean;
  childCount: number;
  referringAgencyKind: string;
  victimSex: string | null;
  /** Age in whole years at referral, when the date of birth is known. */
  victimAge: number | null;
  perpetratorAges: readonly (number | null)[];
  bme: boolean;
  lgbt: boolean;
  disability: boolean;
}

export interface SafeLivesReturn {
  cases: number;
  repeats: number;
  /** Repeats as a percentage of cases, one decimal place; 0 with no cases. */
  repeatPercent: number;
  children: number;
  policeReferrals: number;
  nonPoliceReferrals: number;
  referralsByAgencyKind: Record<string, number>;
  bme: number;
  lgbt: number;
  disability: number;
  maleVictims: number;
  victimsAged16To17: number;
  perpetratorsUnder18: number;
}

export function safeLivesReturn(cases: readonly ReturnCase[]): SafeLivesReturn {
  const count = (test: (c: ReturnCase) => boolean) => cases.filter(test).length;
  const byKind: Record<string, number> = {};
  for (const c of cases) byKind[c.referringAgencyKind] = (byKind[c.referringAgencyKind] ?? 0) + 1;
  const repeats = count((c) => c.repeat);
  const police = count((c) => c.referringAgencyKind === 'police');
  return {
    cases: cases.length,
    repeats,
    repeatPercent: cases.length === 0 ? 0 : Math.round((repeats / cases.length) * 1000) / 10,
    children: cases.reduce((n, c) => n + c.childCount, 0),
    policeReferrals: police,
    nonPoliceReferrals: cases.length - police,
    referralsByAgencyKind: Object.fromEntries(Object.entries(byKind).sort(([a], [b]) => a.localeCompare(b))),
    bme: count((c) => c.bme),
    lgbt: count((c) => c.lgbt),
    disability: count((c) => c.disability),
    maleVictims: count((c) => c.victimSex === 'male'),
    victimsAged16To17: count((c) => c.victimAge === 16 || c.victimAge === 17),
    perpetratorsUnder18: cases.reduce(
      (n, c) => n + c.perpetratorAges.filter((a) => a !== null && a < 18).length,
      0,
    ),
  };
}

/** A quarter 'YYYY-Qn' as the half-open range of dates it covers ('YYYY-MM-DD'). */
export function quarterRange(quarter: string): { from: string; to: string } | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) return null;
  const year = Number(m[1]);
  const q = Number(m[2]);
  const month = (q - 1) * 3 + 1;
  const pad = (n: number) => String(n).padStart(2, '0');
  const to = q === 4 ? `${year + 1}-01-01` : `${year}-${pad(month + 3)}-01`;
  return { from: `${year}-${pad(month)}-01`, to };
}

/**
 * Black and minority ethnic, from the person record's ethnicity (the DfE census codes Harbour
 * holds): every group but the White ones, with Gypsy/Roma and Irish Traveller counted as minority
 * ethnic, as the return asks. Unknown, refused and not obtained count as neither.
 */
export function isMinorityEthnic(ethnicity: string | null): boolean {
  if (!ethnicity) return false;
  const code = ethnicity.trim().toUpperCase();
  if (['REFU', 'NOBT', 'UNKN', ''].includes(code)) return false;
  if (code === 'WROM' || code === 'WIRT') return true;
  return !code.startsWith('W');
}
