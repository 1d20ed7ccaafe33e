import type { Trx } from '../../../db/database.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import type { NewPerson } from '../../people/service.ts';
import type { Integrations } from '../integrations.ts';
import type { MatchedPerson } from '../types.ts';
import type { AreaOf } from './area.ts';
import { type Submission, submittedField } from './submission.ts';

export type Matched = MatchedPerson & { score?: number };

/**
 * Step 2: every person named is matched against the index (or created), all together: batched
 * reads and one insert per table. A person's own postcode may place them in another area.
 */
export async function resolveEveryone(
  integrations: Integrations,
  trx: Trx,
  context: AuditContext,
  submission: Submission,
  areaId: string,
  areaOf: AreaOf,
): Promise<Matched[]> {
  const toResolve: { position: number; input: NewPerson }[] = [];
  for (const [position, entry] of submission.people.entries()) {
    if (entry.existingPersonId) continue;
    const personArea = entry.postcode ? await areaOf(entry.postcode) : null;
    toResolve.push({ position, input: { ...entry.person, areaId: personArea ?? areaId } });
  }
  const resolutions = await integrations.resolvePeople(
    trx,
    context,
    toResolve.map((r) => r.input),
    (k, field) => submittedField(submission.people[toResolve[k]!.position]!, field),
  );
  const resolvedAt = new Map(toResolve.map((r, k) => [r.position, resolutions[k]!]));
  return submission.people.map((entry, position) => {
    if (entry.existingPersonId)
      return { role: entry.role, position, personId: entry.existingPersonId, outcome: 'linked' };
    const resolution = resolvedAt.get(position)!;
    return {
      role: entry.role,
      position,
      personId: resolution.personId,
      outcome: resolution.outcome,
      ...(resolution.score !== undefined ? { score: resolution.score } : {}),
    };
  });
}

export const idsOf = (matched: readonly Matched[], role: Matched['role']) =>
  matched.filter((m) => m.role === role).map((m) => m.personId);
