import {
  assertValidBands,
  bandForScore,
  DEFAULT_RISK_BANDS,
  type RiskBands,
  type RiskLevel,
} from './bands.ts';
import { ANSWER_VALUES, type AssessmentAnswers, type Instrument, type SupplementaryPrompt } from './types.ts';

export interface ScoringOptions {
  /** Partnership score bands; defaults to DEFAULT_RISK_BANDS. */
  readonly bands?: RiskBands;
}

export interface AnswerProblem {
  readonly questionId: string;
  readonly message: string;
}

export interface AssessmentScore {
  readonly instrumentId: string;
  readonly instrumentVersion: string;
  /** Number of "yes" answers to scored questions. */
  readonly score: number;
  readonly band: RiskLevel;
  /** Question ids answered "yes", in form order. */
  readonly yesQuestionIds: readonly string[];
  /**
   * Required questions with no answer, or marked "not asked" without a reason — a checklist
   * whose gaps are unexplained cannot be relied on (FINDINGS F7).
   */
  readonly missingRequired: readonly string[];
  /** Answers that name no question of this instrument, or carry an unknown value. */
  readonly invalidAnswers: readonly AnswerProblem[];
  /** Follow-up prompts triggered by the answers, in the instrument's order. */
  readonly prompts: readonly SupplementaryPrompt[];
  /** Whether the assessment can be stored as complete. */
  readonly complete: boolean;
}

export function scoreAssessment(
  instrument: Instrument,
  answers: AssessmentAnswers,
  options: ScoringOptions = {},
): AssessmentScore {
  const bands = options.bands ?? DEFAULT_RISK_BANDS;
  assertValidBands(bands);

  const known = new Set(instrument.questions.map((q) => q.id));
  const invalidAnswers: AnswerProblem[] = [];
  for (const [questionId, answer] of Object.entries(answers)) {
    if (!known.has(questionId)) {
      invalidAnswers.push({
        questionId,
        message: `No question "${questionId}" in ${instrument.id} v${instrument.version}`,
      });
    } else if (!(ANSWER_VALUES as readonly string[]).includes(answer?.value)) {
      invalidAnswers.push({ questionId, message: `Answer must be one of ${ANSWER_VALUES.join(', ')}` });
    }
  }

  const yesQuestionIds: string[] = [];
  const missingRequired: string[] = [];
  for (const question of instrument.questions) {
    const answer = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    if (answer?.value === 'yes' && question.scored) yesQuestionIds.push(question.id);
    const unexplainedNotAsked = answer?.value === 'not-asked' && !answer.detail?.trim();
    if (question.required && (answer === undefined || unexplainedNotAsked)) missingRequired.push(question.id);
  }

  const prompts = instrument.prompts.filter((prompt) =>
    prompt.triggeredBy.some((id) => {
      const value = Object.hasOwn(answers, id) ? answers[id]?.value : undefined;
      return value !== undefined && prompt.answers.includes(value);
    }),
  );

  const score = yesQuestionIds.length;
  return {
    instrumentId: instrument.id,
    instrumentVersion: instrument.version,
    score,
    band: bandForScore(score, bands),
    yesQuestionIds,
    missingRequired,
    invalidAnswers,
    prompts,
    complete: missingRequired.length === 0 && invalidAnswers.length === 0,
  };
}
