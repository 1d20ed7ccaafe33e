import { CASE_MEASURES, PEOPLE_MEASURES } from '../../domain/marac/return-measures.ts';
import type { SafeLivesReturn } from '../../domain/marac/safelives.ts';

/** What the return page shows: the measures as GOV.UK summary-list rows, then the referrals by agency. */
export function returnPage(
  quarter: string,
  areaId: string,
  figures: SafeLivesReturn & { from: string; to: string },
) {
  const rows = [...CASE_MEASURES, ...PEOPLE_MEASURES].flatMap((m) =>
    m.label === null
      ? []
      : [{ key: { text: m.label }, value: { text: m.shown?.(figures) ?? figures[m.figure] } }],
  );
  return {
    title: `SafeLives data return ${quarter}`,
    quarter,
    areaId,
    figures,
    rows,
    byAgency: Object.entries(figures.referralsByAgencyKind),
  };
}
