import { ABUSE_HISTORY_FACTORS, ABUSER_FACTORS, CURRENT_SITUATION_FACTORS } from './dash-factors.ts';
import { DASH_QUESTION_WORDING, type DashQuestionId } from './dash-questions.ts';
import type { Instrument, Question, SupplementaryPrompt } from './types.ts';

/** Number the questions in form order, section by section; every DASH question is required and scored. */
export function numberDashQuestions(
  layout: readonly (readonly [string, readonly DashQuestionId[]])[],
): Question[] {
  const questions: Question[] = [];
  for (const [section, ids] of layout) {
    for (const id of ids) {
      const wording: { text: string; help?: string } = DASH_QUESTION_WORDING[id];
      questions.push(
        Object.freeze({
          id,
          number: questions.length + 1,
          section,
          text: wording.text,
          ...(wording.help === undefined ? {} : { help: wording.help }),
          required: true,
          scored: true,
        }),
      );
    }
  }
  return questions;
}

export const STALKING_PROMPT: SupplementaryPrompt = Object.freeze({
  id: 'stalking-screening',
  title: 'Stalking and harassment',
  text:
    'Stalking or harassment was disclosed. Complete the stalking screening questions (S-DASH) and record the ' +
    'pattern of behaviour, how long it has gone on and whether it is escalating.',
  triggeredBy: Object.freeze(['stalking-harassment']),
  answers: Object.freeze(['yes'] as const),
});

export const HONOUR_BASED_ABUSE_PROMPT: SupplementaryPrompt = Object.freeze({
  id: 'honour-based-abuse',
  title: 'Honour-based abuse and forced marriage',
  text:
    'Isolation from family or friends, or fear of someone other than the abuser, was disclosed. Ask whether ' +
    'family or community members are involved, whether there are concerns about forced marriage, and seek ' +
    'specialist advice before contacting the family.',
  triggeredBy: Object.freeze(['isolated', 'other-person-feared']),
  answers: Object.freeze(['yes'] as const),
});

/**
 * A DASH checklist: the 24 risk factors in their three sections around a block about children,
 * scored by the number of "yes" answers, with the stalking and honour-based abuse prompts. The
 * police and partner-agency forms differ only in that block, some titles and extra prompts.
 */
export function dashChecklist(form: {
  id: string;
  title: string;
  audience: Instrument['audience'];
  source: string;
  children: { id: string; title: string; questions: readonly DashQuestionId[] };
  abuseHistoryTitle: string;
  extraPrompts?: readonly SupplementaryPrompt[];
}): Instrument {
  const { children } = form;
  return Object.freeze({
    id: form.id,
    version: '1',
    title: form.title,
    audience: form.audience,
    source: form.source,
    sections: Object.freeze([
      { id: 'current-situation', title: 'Current situation' },
      { id: children.id, title: children.title },
      { id: 'abuse-history', title: form.abuseHistoryTitle },
      { id: 'abuser', title: 'About the abuser' },
    ]),
    questions: Object.freeze(
      numberDashQuestions([
        ['current-situation', [...CURRENT_SITUATION_FACTORS]],
        [children.id, children.questions],
        ['abuse-history', [...ABUSE_HISTORY_FACTORS]],
        ['abuser', [...ABUSER_FACTORS]],
      ]),
    ),
    scoring: Object.freeze({ kind: 'count-yes' as const }),
    prompts: Object.freeze([STALKING_PROMPT, HONOUR_BASED_ABUSE_PROMPT, ...(form.extraPrompts ?? [])]),
  });
}
