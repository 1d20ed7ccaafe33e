import { hash, verify } from '@node-rs/argon2';
import { type PasswordRules, passwordStrengthProblem } from './password-strength.ts';

/** Algorithm.Argon2id; the package exports it as a const enum, which type stripping cannot read. */
const ARGON2ID = 2;

/** OWASP's argon2id baseline (19 MiB, 2 iterations, 1 lane). */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** Verifying against a throwaway hash when the account is unknown keeps response times alike. */
let decoy: Promise<string> | undefined;

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hashPassword('harbour-decoy-password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** The strength rules with the partnership's settings (signIn.passwords). */
export function passwordProblem(password: string, rules: PasswordRules, userInputs: string[] = []) {
  return passwordStrengthProblem(password, rules, userInputs);
}
