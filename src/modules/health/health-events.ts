import { transaction } from '../../db/database.ts';
import { isValidNhsNumber, normaliseNhsNumber } from '../../domain/identifiers.ts';
import { decide, ForbiddenError } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import type { ChronologyService, NewChronologyEvent } from '../chronology/service.ts';
import type { PeopleService } from '../people/service.ts';
import * as repo from './repository.ts';
import { HEALTH_EVENT_KINDS, type HealthEvent } from './schemas.ts';

const KIND_WORDS: Record<HealthEvent['kind'], string> = {
  'was-not-brought': 'Was not brought to a health appointment',
  'did-not-attend': 'Did not attend a health appointment',
  'ed-attendance': 'Attended the emergency department',
  'health-visitor-concern': 'Health visitor concern',
  'school-nurse-concern': 'School nurse concern',
  'maternity-booking': 'Maternity booking',
};

/**
 * Health events by API (F16): missed appointments (was-not-brought for children, did-not-attend
 * for adults), ED attendances, health-visitor and school-nurse concerns and maternity bookings,
 * in bulk, idempotent by the sender's reference. People are found by NHS number; an unknown
 * number is answered "not-known", never silently dropped. One transaction for the batch.
 */
export function healthEventsService(
  deps: Deps,
  { people, chronology }: { people: PeopleService; chronology: ChronologyService },
) {
  const { db } = deps;
  return {
    async submit(context: AuditContext, events: readonly HealthEvent[]) {
      const principal = context.principal;
      const agencyId = principal.agencyId;
      if (!agencyId || !decide(principal, 'health-event:submit').allowed)
        throw new ForbiddenError('health-event:submit', 'only health agencies send health events', {
          type: 'health-event',
        });
      const errors: FieldError[] = [];
      const seen = new Set<string>();
      const numbers = events.map((event, i) => {
        if (seen.has(event.reference))
          errors.push({
            field: `events[${i}].reference`,
            message: 'Each reference may appear once in a batch',
          });
        seen.add(event.reference);
        const nhs = normaliseNhsNumber(event.nhsNumber);
        if (!nhs || !isValidNhsNumber(nhs))
          errors.push({ field: `events[${i}].nhsNumber`, message: 'Enter a real NHS number' });
        return nhs ?? '';
      });
      if (errors.length) throw new ValidationError(errors);

      const held = new Map(
        (await repo.receiptsFor(db, agencyId, [...seen])).map((r) => [r.sender_reference, r]),
      );
      const found = new Map<string, { id: string; area_id: string; kind: string }>();
      for (const nhs of new Set(numbers)) {
        const [person] = await people.liveIdsByNhsNumber(nhs);
        if (person) found.set(nhs, person);
      }
      const resources = await people.accessResources([...found.values()].map((p) => p.id));
      const fresh: { index: number; person: { id: string; area_id: string } }[] = [];
      events.forEach((event, i) => {
        const person = found.get(numbers[i]!);
        if (held.has(event.reference) || !person) return;
        if (event.kind === 'was-not-brought' && person.kind === 'adult')
          errors.push({
            field: `events[${i}].kind`,
            message: 'Was-not-brought is for children; use did-not-attend for an adult',
          });
        if (event.kind === 'did-not-attend' && person.kind !== 'adult')
          errors.push({
            field: `events[${i}].kind`,
            message: 'Did-not-attend is for adults; use was-not-brought for a child',
          });
        const resource = resources.get(person.id);
        if (!resource || !decide(principal, 'health-event:submit', resource).allowed)
          throw new ForbiddenError('health-event:submit', 'the person’s area is not one the agency serves', {
            type: 'person',
            id: person.id,
            personIds: [person.id],
            areaId: person.area_id,
          });
        fresh.push({ index: i, person });
      });
      if (errors.length) throw new ValidationError(errors);

      return transaction(db, async (trx) => {
        const toRecord: NewChronologyEvent[] = fresh.map(({ index, person }) => {
          const event = events[index]!;
          const disclosed = event.kind === 'maternity-booking' && event.domesticAbuseDisclosed === true;
          return {
            personId: person.id,
            areaId: person.area_id,
            type: HEALTH_EVENT_KINDS[event.kind],
            occurredAt: new Date(event.occurredAt),
            significance: disclosed || event.kind === 'ed-attendance' ? 'high' : 'medium',
            summary: `${KIND_WORDS[event.kind]}${disclosed ? ' (domestic abuse disclosed at booking)' : ''}: ${event.summary}`,
            subjectType: 'health-event',
            subjectId: event.reference,
          };
        });
        const ids = await chronology.record(trx, context, toRecord, {
          fieldName: (i, f) => `events[${fresh[i]!.index}].${f === 'occurredAt' ? 'occurredAt' : f}`,
        });
        await repo.insertReceipts(
          trx,
          fresh.map(({ index, person }, n) => ({
            agency_id: agencyId,
            sender_reference: events[index]!.reference,
            area_id: person.area_id,
            person_id: person.id,
            event_id: ids[n]!,
            received_at: deps.now(),
          })),
        );
        const recorded = new Map(fresh.map(({ index }, n) => [index, ids[n]!]));
        const results = events.map((event, i) => {
          const receipt = held.get(event.reference);
          if (receipt)
            return {
              reference: event.reference,
              outcome: 'already-recorded' as const,
              eventId: receipt.event_id,
            };
          const id = recorded.get(i);
          return id
            ? { reference: event.reference, outcome: 'recorded' as const, eventId: id }
            : { reference: event.reference, outcome: 'not-known' as const, eventId: null };
        });
        await recordAudit(trx, context, {
          action: 'health.events-received',
          personIds: fresh.map((f) => f.person.id),
          details: {
            recorded: fresh.length,
            alreadyRecorded: results.filter((r) => r.outcome === 'already-recorded').length,
            notKnown: results.filter((r) => r.outcome === 'not-known').map((r) => r.reference),
          },
        });
        return results;
      });
    },
  };
}

export type HealthEventsService = ReturnType<typeof healthEventsService>;
