import { HONOUR_BASED_ABUSE_PROMPT, numberDashQuestions, STALKING_PROMPT } from './build.ts';
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
      [
        'current-situation',
        [
          'injury',
          'very-frightened',
          'afraid-of',
          'isolated',
          'depressed-or-suicidal',
          'separation',
          'child-contact-conflict',
          'stalking-harassment',
        ],
      ],
      ['children-and-pregnancy', ['pregnancy-or-new-baby']],
      [
        'abuse-history',
        [
          'abuse-more-often',
          'abuse-getting-worse',
          'controlling-or-jealous',
          'weapons',
          'threats-to-kill',
          'strangulation',
          'sexual-abuse',
          'other-person-feared',
          'abuser-hurt-others',
          'animal-abuse',
        ],
      ],
      [
        'abuser',
        [
          'financial-issues',
          'abuser-substances-or-mental-health',
          'abuser-suicide-threats',
          'breach-of-bail-or-orders',
          'abuser-criminal-history',
        ],
      ],
    ]),
  ),
  scoring: Object.freeze({ kind: 'count-yes' }),
  prompts: Object.freeze([STALKING_PROMPT, HONOUR_BASED_ABUSE_PROMPT]),
});
