import { syntheticNhsNumber } from '../../src/domain/identifiers.ts';
import type { Deps } from '../../src/platform/deps.ts';

/**
 * NHS numbers nobody in the database holds, from a generator seeded with `seed`: the same numbers
 * on every run, and a test file with its own seed draws numbers of its own.
 */
export async function unusedNhsNumbers(
  deps: Pick<Deps, 'db'>,
  count: number,
  seed: number,
): Promise<string[]> {
  let state = seed;
  const random = () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const out: string[] = [];
  while (out.length < count) {
    const candidate = syntheticNhsNumber(random);
    const held = await deps.db
      .selectFrom('person')
      .select('id')
      .where('nhs_number', '=', candidate)
      .executeTakeFirst();
    if (!held && !out.includes(candidate)) out.push(candidate);
  }
  return out;
}

/** Gives a seeded person the NHS number a test looks them up by. */
export async function setNhsNumber(
  deps: Pick<Deps, 'db'>,
  personId: string,
  nhsNumber: string,
): Promise<void> {
  await deps.db.updateTable('person').set({ nhs_number: nhsNumber }).where('id', '=', personId).execute();
}
