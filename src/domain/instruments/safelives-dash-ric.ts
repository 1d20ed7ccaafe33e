import { dashChecklist } from './build.ts';
import type { Instrument } from './types.ts';

/** The partner-agency checklist: 24 questions, scored by the number of "yes" answers. */
export const SAFELIVES_DASH_RIC: Instrument = dashChecklist({
  id: 'safelives-dash-ric',
  title: 'SafeLives Dash risk checklist (24 questions)',
  audience: 'partner-agencies',
  source:
    'Risk factors and order follow the SafeLives Dash risk checklist for partner agencies (developed from the ' +
    'ACPO/CAADA DASH 2009 model). Question wording is paraphrased by Harbour; see docs/domain.md.',
  children: {
    id: 'children-and-pregnancy',
    title: 'Pregnancy and young children',
    questions: ['pregnancy-or-new-baby'],
  },
  abuseHistoryTitle: 'History of the abuse',
});
