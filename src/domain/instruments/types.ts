/** Shapes shared by every risk instrument (question set + scoring rule). */

export const ANSWER_VALUES = ['yes', 'no', 'dont-know', 'not-asked'] as const;
export type AnswerValue = (typeof ANSWER_VALUES)[number];

export interface Answer {
  readonly value: AnswerValue;
  /** What the person said, or why the question was not asked. */
  readonly detail?: string;
}

/** Answers keyed by question id. */
export type AssessmentAnswers = Readonly<Record<string, Answer>>;

export interface InstrumentSection {
  readonly id: string;
  readonly title: string;
}

export interface Question {
  /** Stable across versions and instruments when the question means the same thing. */
  readonly id: string;
  /** Number shown on the form. */
  readonly number: number;
  readonly section: string;
  readonly text: string;
  readonly help?: string;
  readonly required: boolean;
  /** Whether a "yes" adds to the score. */
  readonly scored: boolean;
}

/** A follow-up the assessor is prompted to complete when certain answers are given. */
export interface SupplementaryPrompt {
  readonly id: string;
  readonly title: string;
  readonly text: string;
  /** The prompt shows when any of these questions is answered with one of `answers`. */
  readonly triggeredBy: readonly string[];
  readonly answers: readonly AnswerValue[];
}

export interface ScoringRule {
  /** Count of "yes" answers to scored questions; the only rule the shipped instruments need. */
  readonly kind: 'count-yes';
}

export interface Instrument {
  readonly id: string;
  /** Version of this question set in Harbour; bumped whenever wording or scoring changes. */
  readonly version: string;
  readonly title: string;
  readonly audience: 'partner-agencies' | 'police';
  /** Where the question set comes from and how faithfully it is reproduced. */
  readonly source: string;
  readonly sections: readonly InstrumentSection[];
  readonly questions: readonly Question[];
  readonly scoring: ScoringRule;
  readonly prompts: readonly SupplementaryPrompt[];
}
