import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

/**
 * Password strength as NCSC advises: length and an estimate of how guessable it is, plus a refusal of
 * the most common passwords; no composition rules (capitals, digits, symbols).
 */
const estimator = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

/** The common-password list shipped with @zxcvbn-ts/language-common, for an outright refusal. */
const COMMON_PASSWORDS = new Set(
  ((common.dictionary as Record<string, readonly string[]>)['passwords-common'] ?? []).map((p) =>
    p.toLowerCase(),
  ),
);

export interface PasswordRules {
  minimumLength: number;
  minimumScore: number;
}

export function isCommonPassword(password: string): boolean {
  return COMMON_PASSWORDS.has(password.toLowerCase());
}

/** Why a new password will not do, in words for the person choosing it; null when it will. */
export async function passwordStrengthProblem(
  password: string,
  rules: PasswordRules,
  userInputs: string[] = [],
): Promise<string | null> {
  if (password.length < rules.minimumLength)
    return `Password must be ${rules.minimumLength} characters or more`;
  if (password.length > 256) return 'Password must be 256 characters or fewer';
  if (isCommonPassword(password)) return 'Choose a password that is not on the list of common passwords';
  // Words of the person's own name and email count as guessable, like dictionary words.
  const words = userInputs
    .flatMap((input) => input.toLowerCase().split(/[^a-z0-9]+/))
    .filter((w) => w.length > 2);
  const result = await estimator.check(password, [...userInputs, ...words]);
  if (result.score >= rules.minimumScore) return null;
  const hint = result.feedback.warning ?? result.feedback.suggestions[0];
  return `Choose a password that is harder to guess${hint ? `: ${hint.replace(/\.$/, '')}` : ''}. Three or four unrelated words work well`;
}
