import { HONOUR_BASED_ABUSE_PROMPT, numberDashQuestions, STALKING_PROMPT } from './build.ts';
import { ABUSE_HISTORY_FACTORS, ABUSER_FACTORS, CURRENT_SITUATION_FACTORS } from './dash-factors.ts';
import type { Instrument } from './types.ts';

/** The partner-agency checklist: 24 questions, scored by the number of "yes" answers. */
export const SAFELIVES_DASH_RIC: Instrument = Object.freeze({
  id: 'safelives-dash-ric',
  version: '1',
  title: 'SafeLives Dash risk checklist (24 questions)',
  audience: 'partner-agencies',
  source:
    'Risk factors and order follow the SafeLives Dash risk checklist for partner agencies (developed from the ' +
    'ACPO/CAADA DASH 2009 model). Question wording is paraphrased by Harbour; see docs/domain.md.',
  sections: Object.freeze([
    { id: 'current-situation', title: 'Current situation' },
    { id: 'children-and-pregnancy', title: 'Pregnancy and young children' },
    { id: 'abuse-history', title: 'History of the abuse' },
    { id: 'abuser', title: 'About the abuser' },
  ]),
  questions: Object.freeze(
    numberDashQuestions([
      ['current-situation', [...CURRENT_SITUATION_FACTORS]],
      ['children-and-pregnancy', ['pregnancy-or-new-baby']],
      ['abuse-history', [...ABUSE_HISTORY_FACTORS]],
      ['abuser', [...ABUSER_FACTORS]],
    ]),
  ),
  scoring: Object.freeze({ kind: 'count-yes' }),
  prompts: Object.freeze([STALKING_PROMPT, HONOUR_BASED_ABUSE_PROMPT]),
});
