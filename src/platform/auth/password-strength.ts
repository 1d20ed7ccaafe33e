import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * Password strength as NCSC advises: length and an estimate of how guessable it is, plus a refusal of
 * the most common passwords; no composition rules (capitals, digits, symbols).
 *
 * The dictionaries are large and only a password change needs them, so they are loaded on first
 * use: every process (each CLI command, each test file) would otherwise parse them at start-up.
 */
interface Strength {
  estimator: ZxcvbnFactory;
  /** The common-password list shipped with @zxcvbn-ts/language-common, for an outright refusal. */
  commonPasswords: ReadonlySet<string>;
}

let strength: Promise<Strength> | undefined;

function loadStrength(): Promise<Strength> {
  strength ??= (async () => {
    const [{ ZxcvbnFactory }, common, english] = await Promise.all([
      import('@zxcvbn-ts/core'),
      import('@zxcvbn-ts/language-common'),
      import('@zxcvbn-ts/language-en'),
    ]);
    const estimator = new ZxcvbnFactory({
      dictionary: { ...common.dictionary, ...english.dictionary },
      graphs: common.adjacencyGraphs,
      translations: english.translations,
    });
    const list = (common.dictionary as Record<string, readonly string[]>)['passwords-common'] ?? [];
    return { estimator, commonPasswords: new Set(list.map((p) => p.toLowerCase())) };
  })();
  return strength;
}

export interface PasswordRules {
  minimumLength: number;
  minimumScore: number;
}

export async function isCommonPassword(password: string): Promise<boolean> {
  return (await loadStrength()).commonPasswords.has(password.toLowerCase());
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
  if (await isCommonPassword(password))
    return 'Choose a password that is not on the list of common passwords';
  // Words of the person's own name and email count as guessable, like dictionary words.
  const words = userInputs
    .flatMap((input) => input.toLowerCase().split(/[^a-z0-9]+/))
    .filter((w) => w.length > 2);
  const result = await (await loadStrength()).estimator.check(password, [...userInputs, ...words]);
  if (result.score >= rules.minimumScore) return null;
  const hint = result.feedback.warning ?? result.feedback.suggestions[0];
  return `Choose a password that is harder to guess${hint ? `: ${hint.replace(/\.$/, '')}` : ''}. Three or four unrelated words work well`;
}
