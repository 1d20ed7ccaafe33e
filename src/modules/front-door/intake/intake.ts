import type { Trx } from '../../../db/database.ts';
import { addTimescale, deadlinesFor } from '../../../domain/clock.ts';
import { type AuditContext, batchingAudits, flushAudits, recordAudit } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import type { Principal } from '../../../platform/principal.ts';
import type { Integrations } from '../integrations.ts';
import { DEADLINE_QUEUE, type DeadlineJob } from '../job-names.ts';
import * as repo from '../repository.ts';
import { feedbackDueAt, frontDoorConfig } from '../settings.ts';
import type { IntakeResult } from '../types.ts';
import { areaFinder, routeToArea } from './area.ts';
import { recordChronologies } from './chronology.ts';
import { contactRow } from './contact-row.ts';
import { arrivalStatus, type Link, linkToOriginal } from './duplicates.ts';
import { countLinked, insertContact, insertContactPeople } from './intake-repository.ts';
import { idsOf, type Matched, resolveEveryone } from './resolve-people.ts';
import { type Submission, suppliedFacts } from './submission.ts';

export type { IntakePerson, Submission } from './submission.ts';

/**
 * Accepts a contact or DAN in the caller's transaction, in named steps: route it to an area,
 * resolve every person, link it to the incident's first contact, record the contact on the
 * clock, write each person's chronology entry, keep who was named and what the submission says
 * of them, then the timeline, the deadline jobs and the audit. Any failure throws and the
 * caller's transaction writes nothing.
 */
export async function intake(
  deps: Deps,
  integrations: Integrations,
  trx: Trx,
  callerContext: AuditContext,
  submission: Submission,
): Promise<IntakeResult> {
  // Every person resolved or created, the chronology entries and the submission itself are audited
  // in this transaction; the rows are written together at the end, in one insert.
  const context = batchingAudits(callerContext, trx);
  const config = frontDoorConfig(deps);
  const principal = context.principal;
  const areaOf = areaFinder(integrations.directory, trx);

  const areaId = await routeToArea(areaOf, submission, principal);
  const matched = await resolveEveryone(integrations, trx, context, submission, areaId, areaOf);
  const childIds = idsOf(matched, 'child');
  const link = await linkToOriginal(trx, submission, principal, childIds);

  const receivedAt = deps.now();
  const deadlines = deadlinesFor(
    { receivedAt, ...(submission.rag ? { rag: submission.rag } : {}) },
    config.timescales,
    config.calendar,
  );
  const screeningDueAt = addTimescale(receivedAt, config.timescales.screening, config.calendar);
  const contact = await insertContact(
    trx,
    contactRow(submission, principal, areaId, link, {
      receivedAt,
      screeningDueAt,
      enquiriesDueAt: deadlines.enquiriesDueAt ?? null,
      decisionDueAt: deadlines.decisionDueAt,
      feedbackDueAt: feedbackDueAt(config, receivedAt),
    }),
  );

  const eventOf = await recordChronologies(integrations, trx, context, submission, matched, {
    areaId,
    contactId: contact.id,
    link,
  });
  await keepPeople(integrations, trx, submission, matched, principal, {
    areaId,
    contactId: contact.id,
    receivedAt,
    eventOf,
  });

  if (submission.kind === 'dan' && link?.kind !== 'duplicate' && submission.incidentRef)
    await integrations.recordDanPeople(trx, context, {
      areaId,
      contactId: contact.id,
      incidentReference: submission.incidentRef,
      occurredOn: submission.incidentDate ?? null,
      people: matched.map((m, i) => {
        const details = submission.people[i]!.details as {
          relationshipToVictim?: string | null;
          livesAtAddress?: boolean;
        };
        return {
          personId: m.personId,
          role: m.role as 'victim' | 'suspect' | 'child',
          ...(details.relationshipToVictim ? { relationshipToVictim: details.relationshipToVictim } : {}),
          ...(details.livesAtAddress ? { livesWithVictim: true } : {}),
        };
      }),
    });
  const encompassNotices =
    submission.kind === 'dan' && link?.kind !== 'duplicate'
      ? await integrations.createEncompassNotices(trx, context, {
          contactId: contact.id,
          areaId,
          submission,
          matched,
        })
      : [];
  await addToTimelines(trx, submission, principal, { areaId, contact, receivedAt, link });
  if (link) await countLinked(trx, link.to.id, receivedAt);
  else await enqueueDeadlines(deps, trx, contact.id, [screeningDueAt, deadlines.decisionDueAt]);

  const victimIds = idsOf(matched, 'victim');
  if (!link && submission.kind === 'dan' && submission.dashStatus === 'awaited' && victimIds[0]) {
    await integrations.expectAssessment(trx, context, {
      contactId: contact.id,
      areaId,
      personIds: [...victimIds, ...childIds],
      awaitedSince: receivedAt,
    });
  }

  await recordAudit(trx, context, {
    action: submission.kind === 'dan' ? 'dan.submit' : 'contact.create',
    subjectType: 'contact',
    subjectId: contact.id,
    personIds: matched.map((m) => m.personId),
    areaId,
    details: {
      reference: contact.reference,
      route: submission.route.route,
      rag: submission.rag,
      ...(link ? { linkKind: link.kind, linkedTo: link.to.id } : {}),
      outcomes: matched.map((m) => m.outcome),
    },
  });
  await flushAudits(context);

  return {
    contactId: contact.id,
    reference: contact.reference,
    areaId,
    status: arrivalStatus(link),
    route: submission.route.route,
    people: matched.map(({ role, position, personId, outcome }) => ({ role, position, personId, outcome })),
    rag: submission.rag,
    receivedAt: receivedAt.toISOString(),
    screeningDueAt: screeningDueAt.toISOString(),
    decisionDueAt: deadlines.decisionDueAt.toISOString(),
    duplicateOf: link?.to.id ?? null,
    linkKind: link?.kind ?? null,
    ...(submission.kind === 'dan' ? { encompassNotices } : {}),
  };
}

/**
 * Step 6: who was named, how they were matched, what the submission says of them (kept on the
 * contact, never copied onto the record), and the agencies it names as knowing them (a child's
 * school, GP), granted by the submitter and never to the submitter itself (docs/access.md).
 */
async function keepPeople(
  integrations: Integrations,
  trx: Trx,
  submission: Submission,
  matched: readonly Matched[],
  principal: Principal,
  at: { areaId: string; contactId: string; receivedAt: Date; eventOf: Map<number, string | null> },
) {
  await insertContactPeople(
    trx,
    matched.map((m, i) => ({
      contact_id: at.contactId,
      area_id: at.areaId,
      position: m.position,
      person_id: m.personId,
      role: m.role,
      match_outcome: m.outcome,
      match_score: m.score ?? null,
      details: JSON.stringify(submission.people[i]!.details),
      supplied: JSON.stringify(suppliedFacts(submission.people[i]!.person)),
      chronology_event_id: at.eventOf.get(i) ?? null,
    })),
  );
  await integrations.grantRelationships(
    trx,
    submission.people.flatMap((entry, i) =>
      (entry.relationships ?? [])
        .filter((r) => r.agencyId !== principal.agencyId)
        .map((r) => ({
          personId: matched[i]!.personId,
          areaId: at.areaId,
          agencyId: r.agencyId,
          basis: r.basis,
          contactId: at.contactId,
          grantedByAgencyId: principal.agencyId,
          grantedByName: principal.name,
          grantedAt: at.receivedAt,
        })),
    ),
  );
}

/** Step 7: the contact's timeline says how it arrived; an original's says what joined it. */
async function addToTimelines(
  trx: Trx,
  submission: Submission,
  principal: Principal,
  at: { areaId: string; contact: { id: string; reference: string }; receivedAt: Date; link: Link },
) {
  const { link, contact } = at;
  const line = (areaId: string, contactId: string, kind: string, summary: string) => ({
    area_id: areaId,
    contact_id: contactId,
    at: at.receivedAt,
    actor_name: principal.name,
    kind,
    summary,
  });
  const received = link
    ? `${submission.summary} Linked to ${link.to.reference} as ${link.kind === 'joined' ? 'a joined referral' : 'a duplicate'}.`
    : `${submission.summary} Routed to ${submission.route.route === 'mash' ? 'the MASH' : 'early help triage'}: ${submission.route.reason}.`;
  await repo.addHistory(trx, [
    line(at.areaId, contact.id, 'received', received),
    ...(link
      ? [
          line(
            link.to.area_id,
            link.to.id,
            link.kind,
            link.kind === 'joined'
              ? `${contact.reference} (a referral about the same incident) joined this contact.`
              : `Duplicate received: ${contact.reference}. It is linked here and not queued again.`,
          ),
        ]
      : []),
  ]);
}

/** Step 8: a contact standing alone is on the clock: screening and decision deadline jobs. */
async function enqueueDeadlines(deps: Deps, trx: Trx, contactId: string, [screening, decision]: Date[]) {
  if (!deps.jobs) return;
  const jobs: [Date, DeadlineJob][] = [
    [screening!, { contactId, kind: 'screening' }],
    [decision!, { contactId, kind: 'decision' }],
  ];
  for (const [due, data] of jobs)
    await deps.jobs.enqueue(trx, DEADLINE_QUEUE, data, {
      startAfter: new Date(due.getTime() + 1000),
      singletonKey: `${data.kind}:${data.contactId}:${due.getTime()}`,
    });
}
