import { sql } from 'kysely';
import { countWhere, updateWhere } from '../../db/common-queries.ts';
import { transaction } from '../../db/database.ts';
import {
  addYears,
  childRecordDueOn,
  contactDueOn,
  isDue,
  latestDueBirthDate,
} from '../../domain/retention.ts';
import { assertAllowed, scopeFor } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { FlagsService } from '../flags/service.ts';
import type { FrontDoorService } from '../front-door/service.ts';
import type { PeopleService } from '../people/service.ts';
import type { RiskService } from '../risk/service.ts';

export interface DueItem {
  recordType: 'person' | 'contact';
  recordId: string;
  areaId: string;
  rule: 'child-record' | 'long-retention' | 'with-child-record' | 'no-further-action';
  dueOn: string;
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The areas a principal may review or confirm retention in (the policy's answer as a filter). */
function areasFor(
  principal: Principal,
  action: 'retention:review' | 'retention:confirm',
  asOf: Date,
): string[] | 'all' {
  const scope = scopeFor(principal, action, asOf);
  if (scope.kind === 'all') return 'all';
  if (scope.kind === 'none') return [];
  return scope.areaIds;
}

/**
 * Retention (decision 0012). Listing works out what the partnership's rules make due and records
 * it; it removes nothing. A MASH manager's confirmation then removes the listed records of their
 * areas, each through the module that owns it, in one transaction, and the audit log records what
 * was removed, by whom and under which rule. The audit log itself is never removed.
 */
export interface RetentionCollaborators {
  people: PeopleService;
  chronology: ChronologyService;
  frontDoor: FrontDoorService;
  risk: RiskService;
  flags: FlagsService;
}

export function retentionService(
  deps: Deps,
  { people, chronology, frontDoor, risk, flags }: RetentionCollaborators,
) {
  const rules = deps.config.partnership.retention;

  async function dueItems(today: string): Promise<DueItem[]> {
    const candidates = await people.retention.childrenBornOnOrBefore(latestDueBirthDate(today, rules));
    const ids = candidates.map((c) => c.id);
    const [longByEvent, longByFlag] = await Promise.all([
      chronology.retention.peopleWithEventTypes(ids, rules.longRetentionEventTypes),
      flags.retention.peopleWithFlagTypes(ids, rules.longRetentionFlagTypes),
    ]);
    const long = new Set([...longByEvent, ...longByFlag]);
    const items = new Map<string, DueItem>();
    const duePeople = new Map<string, string>();
    for (const child of candidates) {
      const isLong = long.has(child.id);
      const dueOn = childRecordDueOn(child.date_of_birth!, isLong, rules);
      if (!isDue(dueOn, today)) continue;
      duePeople.set(child.id, dueOn);
      items.set(`person:${child.id}`, {
        recordType: 'person',
        recordId: child.id,
        areaId: child.area_id,
        rule: isLong ? 'long-retention' : 'child-record',
        dueOn,
      });
    }
    for (const row of await frontDoor.retention.contactsNaming([...duePeople.keys()])) {
      items.set(`contact:${row.contact_id}`, {
        recordType: 'contact',
        recordId: row.contact_id,
        areaId: row.area_id,
        rule: 'with-child-record',
        dueOn: duePeople.get(row.person_id)!,
      });
    }
    const closedBefore = new Date(`${addYears(today, -rules.noFurtherActionContactYears)}T00:00:00Z`);
    for (const contact of await frontDoor.retention.closedNoFurtherActionContacts(closedBefore)) {
      const key = `contact:${contact.id}`;
      if (items.has(key)) continue;
      const dueOn = contactDueOn(isoDate(contact.closed_at!), rules);
      if (!isDue(dueOn, today)) continue;
      items.set(key, {
        recordType: 'contact',
        recordId: contact.id,
        areaId: contact.area_id,
        rule: 'no-further-action',
        dueOn,
      });
    }
    return [...items.values()];
  }

  return {
    /** Lists what is due today and records the listing (the job, or a manager asking now). Removes nothing. */
    async list(context: AuditContext) {
      if (context.principal.channel !== 'system') assertAllowed(context.principal, 'retention:review');
      const now = deps.now();
      const today = isoDate(now);
      const items = await dueItems(today);
      return transaction(deps.db, async (trx) => {
        // A newer listing replaces an unconfirmed older one: confirmation acts on the latest only.
        await trx
          .updateTable('retention_run')
          .set({ status: 'superseded' })
          .where('status', '=', 'listed')
          .execute();
        const run = await trx
          .insertInto('retention_run')
          .values({ listed_at: now, listed_by_name: context.principal.name, as_of: today, status: 'listed' })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (let i = 0; i < items.length; i += 1000) {
          await trx
            .insertInto('retention_item')
            .values(
              items.slice(i, i + 1000).map((item) => ({
                run_id: run.id,
                record_type: item.recordType,
                record_id: item.recordId,
                area_id: item.areaId,
                rule: item.rule,
                due_on: item.dueOn,
              })),
            )
            .execute();
        }
        await recordAudit(trx, context, {
          action: 'retention.list',
          subjectType: 'retention-run',
          subjectId: run.id,
          details: {
            asOf: today,
            people: items.filter((i) => i.recordType === 'person').length,
            contacts: items.filter((i) => i.recordType === 'contact').length,
          },
        });
        return { runId: run.id, items: items.length };
      });
    },

    /** The latest listing's items in the principal's areas, a page at a time. */
    async review(
      context: AuditContext,
      query: { page: number; sort: 'dueOn' | 'type'; order: 'asc' | 'desc' },
    ) {
      assertAllowed(context.principal, 'retention:review');
      const areas = areasFor(context.principal, 'retention:review', deps.now());
      // The open listing (there is at most one), else the latest confirmed one.
      const run = await deps.db
        .selectFrom('retention_run')
        .selectAll()
        .orderBy(sql`status = 'listed'`, 'desc')
        .orderBy('listed_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!run) return { run: null, rows: [], total: 0, pageSize: rules.pageSize };
      let base = deps.db
        .selectFrom('retention_item')
        .where('run_id', '=', run.id)
        .where('removed_at', 'is', null);
      if (areas !== 'all')
        base = areas.length ? base.where('area_id', 'in', areas) : base.where(sql<boolean>`false`);
      const { total } = await base
        .select((eb) => eb.fn.countAll<number>().as('total'))
        .executeTakeFirstOrThrow();
      const sortColumn = query.sort === 'type' ? 'record_type' : 'due_on';
      const rows = await base
        .selectAll()
        .orderBy(sortColumn, query.order)
        .orderBy('record_id')
        .limit(rules.pageSize)
        .offset((query.page - 1) * rules.pageSize)
        .execute();
      // The flags each listed record holds go with it: the manager sees them before confirming.
      const flagsOf = await flags.retention.flagsByPerson(
        rows.filter((r) => r.record_type === 'person').map((r) => r.record_id),
      );
      await recordAudit(deps.db, context, {
        action: 'retention.review',
        subjectType: 'retention-run',
        subjectId: run.id,
        details: { page: query.page, shown: rows.length },
      });
      return {
        run,
        rows: rows.map((r) => ({ ...r, flags: flagsOf.get(r.record_id) ?? [] })),
        total: Number(total),
        pageSize: rules.pageSize,
      };
    },

    /** Removes the listed records of the manager's areas, through each owner's service, in one transaction. */
    async confirm(context: AuditContext, runId: string) {
      assertAllowed(context.principal, 'retention:confirm');
      const areas = areasFor(context.principal, 'retention:confirm', deps.now());
      return transaction(deps.db, async (trx) => {
        const run = await trx
          .selectFrom('retention_run')
          .selectAll()
          .where('id', '=', runId)
          .forUpdate()
          .executeTakeFirst();
        if (!run) throw new NotFoundError('The retention listing');
        if (run.status !== 'listed')
          throw new ConflictError('This listing has been confirmed or replaced by a newer one; list again.');
        let pending = trx
          .selectFrom('retention_item')
          .selectAll()
          .where('run_id', '=', runId)
          .where('removed_at', 'is', null);
        if (areas !== 'all')
          pending = areas.length ? pending.where('area_id', 'in', areas) : pending.where(sql<boolean>`false`);
        const items = await pending.execute();
        const personIds = items.filter((i) => i.record_type === 'person').map((i) => i.record_id);
        const contactIds = items.filter((i) => i.record_type === 'contact').map((i) => i.record_id);
        // Order matters only for the foreign keys: what points at a row goes before the row.
        const eventIds = await chronology.retention.eventIdsOf(trx, { personIds, contactIds });
        await risk.releaseForRetention(trx, { eventIds, childIds: personIds });
        await people.retention.removeContactRelationships(trx, contactIds);
        const contacts = await frontDoor.retention.removeContacts(trx, contactIds);
        const events = await chronology.retention.removeEvents(trx, eventIds);
        const removedPeople = await people.retention.anonymise(trx, personIds);
        // Flags go with the record (and with the records merged into it, which anonymise returns).
        const removedFlags = await flags.retention.removeFlags(trx, removedPeople);
        const now = deps.now();
        // No items: the empty list matches nothing, so no update is sent.
        await updateWhere(trx.updateTable('retention_item').set({ removed_at: now }), {
          run_id: runId,
          removed_at: null,
          record_id: items.map((i) => i.record_id),
        });
        const left = await countWhere(trx.selectFrom('retention_item'), { run_id: runId, removed_at: null });
        if (left === 0)
          await trx
            .updateTable('retention_run')
            .set({
              status: 'confirmed',
              confirmed_at: now,
              confirmed_by_user_id: context.principal.userId,
              confirmed_by_name: context.principal.name,
            })
            .where('id', '=', runId)
            .execute();
        // The log keeps what was removed (ids and rules), never the removed content itself.
        await recordAudit(trx, context, {
          action: 'retention.remove',
          subjectType: 'retention-run',
          subjectId: runId,
          personIds: removedPeople,
          reason: 'retention period ended; removal confirmed',
          details: {
            people: removedPeople.length,
            contacts,
            chronologyEvents: events,
            flags: removedFlags,
            contactIds,
            rules: Object.fromEntries(
              [...new Set(items.map((i) => i.rule))].map((rule) => [
                rule,
                items.filter((i) => i.rule === rule).length,
              ]),
            ),
          },
        });
        return { people: removedPeople.length, contacts, events, flags: removedFlags };
      });
    },
  };
}

export type RetentionService = ReturnType<typeof retentionService>;
