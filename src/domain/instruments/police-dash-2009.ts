import { dashChecklist } from './build.ts';
import type { Instrument, SupplementaryPrompt } from './types.ts';

const CHILD_HARM_PROMPT: SupplementaryPrompt = Object.freeze({
  id: 'child-harmed-or-threatened',
  title: 'Children harmed or threatened',
  text:
    'The abuser has hurt or threatened the children or other dependants. Record what happened to each child in ' +
    'the notification and consider an immediate child-protection referral.',
  triggeredBy: Object.freeze(['abuser-hurt-children', 'abuser-threatened-children']),
  answers: Object.freeze(['yes'] as const),
});

/**
 * The police form: the same 24 risk factors plus three questions in a children/dependants block
 * (27 in all), scored by the number of "yes" answers.
 */
export const POLICE_DASH_2009: Instrument = dashChecklist({
  id: 'police-dash-2009',
  title: 'Police DASH (2009) risk identification checklist (27 questions)',
  audience: 'police',
  source:
    'Risk factors, sections and order follow the ACPO/CAADA DASH (2009) risk model used by police forces in ' +
    'England and Wales. Question wording is paraphrased by Harbour; see docs/domain.md.',
  children: {
    id: 'children-dependants',
    title: 'Children and dependants',
    questions: [
      'pregnancy-or-new-baby',
      'children-not-abusers',
      'abuser-hurt-children',
      'abuser-threatened-children',
    ],
  },
  abuseHistoryTitle: 'Domestic abuse history',
  extraPrompts: [CHILD_HARM_PROMPT],
});
