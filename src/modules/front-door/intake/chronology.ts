import type { Trx } from '../../../db/database.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import type { NewChronologyEvent } from '../../chronology/service.ts';
import type { Integrations } from '../integrations.ts';
import type { Link } from './duplicates.ts';
import { chronologyEventsOf } from './intake-repository.ts';
import { idsOf, type Matched } from './resolve-people.ts';
import { type Submission, submittedField } from './submission.ts';

const DUPLICATE_TYPE = { dan: 'duplicate-dan', contact: 'contact' } as const;

function summaryOf(summary: string, link: Link) {
  if (link?.kind === 'duplicate') return `Duplicate of ${link.to.reference}. ${summary}`;
  if (link?.kind === 'joined') return `Joined ${link.to.reference}. ${summary}`;
  return summary;
}

/**
 * Step 5 (F9: every DAN reaches every chronology): one entry per person named, in this
 * transaction; a duplicate's entries are low significance and point at the original's.
 * Returns each person's entry, by their position in the submission.
 */
export async function recordChronologies(
  integrations: Integrations,
  trx: Trx,
  context: AuditContext,
  submission: Submission,
  matched: readonly Matched[],
  at: { areaId: string; contactId: string; link: Link },
): Promise<Map<number, string | null>> {
  const { link } = at;
  const originalEvents =
    link?.kind === 'duplicate' ? await chronologyEventsOf(trx, link.to.id) : new Map<string, string | null>();
  const victimIds = idsOf(matched, 'victim');
  const perpetratorIds = idsOf(matched, 'suspect');
  const events: NewChronologyEvent[] = [];
  const owners: number[] = [];
  submission.people.forEach((entry, i) => {
    if (!entry.chronology) return;
    const m = matched[i]!;
    const duplicateOf = originalEvents.get(m.personId);
    events.push({
      personId: m.personId,
      areaId: at.areaId,
      type:
        link?.kind === 'duplicate' ? DUPLICATE_TYPE[submission.chronologyType] : submission.chronologyType,
      occurredAt: submission.occurredAt,
      significance: link?.kind === 'duplicate' ? 'low' : entry.chronology.significance,
      summary: summaryOf(entry.chronology.summary, link),
      data: {
        ...entry.chronology.data,
        role: entry.chronology.role,
        ...(submission.incidentRef ? { incidentRef: submission.incidentRef } : {}),
        ...(submission.riskGrade ? { riskGrade: submission.riskGrade } : {}),
        ...(submission.kind === 'dan' ? { victimIds, perpetratorIds } : {}),
        relatedPersonIds: matched.filter((o) => o.personId !== m.personId).map((o) => o.personId),
        ...(duplicateOf ? { duplicateOfEventId: duplicateOf } : {}),
      },
      subjectType: 'contact',
      subjectId: at.contactId,
    });
    owners.push(i);
  });
  const eventIds = await integrations.recordChronology(trx, context, events, {
    // A refusal names the submission's field, not the chronology's.
    fieldName: (k, field, reason) => {
      const entry = submission.people[owners[k]!]!;
      if (field === 'occurredAt' && reason === 'before-birth') return submittedField(entry, 'dateOfBirth');
      if (field === 'occurredAt') return submission.occurredAtField ?? 'occurredAt';
      return submittedField(entry, field);
    },
  });
  return new Map(owners.map((owner, k) => [owner, eventIds[k] ?? null]));
}
