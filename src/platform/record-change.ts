import { randomUUID } from 'node:crypto';
import { countWhere, insertRows } from '../db/common-queries.ts';
import type { Db, Trx } from '../db/database.ts';
import { diffRecords, type FieldChange, type RecordVersion } from '../domain/record-diff.ts';
import type { Principal } from './principal.ts';

/**
 * Change history beside the audit log (decision 0016). The audit log records that an action
 * happened (who, what, which record); record_change records what the action changed, field by
 * field, from and to. Writers only append (a trigger refuses update and delete). Called in the
 * transaction of the change, so a change and its history commit or roll back together.
 */
export interface RecordChange {
  /** The kind of record: `person`, `contact`, `decision`. */
  entity: string;
  entityId: string;
  /** The person the record is about, so the person's page can list it. */
  personId?: string | null;
  /** The record's area (the shard key every case-data table carries). */
  areaId: string;
  /** What happened, in the words of the audit action: `person.add-facts`, `person.merge`. */
  action: string;
  before: RecordVersion;
  after: RecordVersion;
  actor: Principal;
  at: Date;
  /** Bookkeeping fields not shown as changes (timestamps, provenance maps). */
  ignore?: readonly string[];
}

/** Stores one row per changed field; returns the fields (none: nothing is stored). */
export async function recordChange(trx: Trx, change: RecordChange): Promise<FieldChange[]> {
  const fields = diffRecords(change.before, change.after, change.ignore);
  if (fields.length === 0) return fields;
  const changeId = randomUUID();
  await insertRows(
    trx.insertInto('record_change'),
    fields.map((f) => ({
      change_id: changeId,
      changed_at: change.at,
      entity: change.entity,
      entity_id: change.entityId,
      person_id: change.personId ?? null,
      area_id: change.areaId,
      action: change.action,
      field: f.field,
      from_value: JSON.stringify(f.from),
      to_value: JSON.stringify(f.to),
      actor_user_id: change.actor.userId,
      actor_name: change.actor.name,
      actor_agency_id: change.actor.agencyId,
      channel: change.actor.channel,
    })),
  );
  return fields;
}

/** A page of the changes to a person's records, newest first, with the total. Not access-checked. */
export async function changesForPerson(conn: Db | Trx, personId: string, page: number, pageSize: number) {
  const [rows, total] = await Promise.all([
    conn
      .selectFrom('record_change')
      .select([
        'seq',
        'change_id',
        'changed_at',
        'entity',
        'entity_id',
        'action',
        'field',
        'from_value',
        'to_value',
        'actor_name',
        'channel',
      ])
      .where('person_id', '=', personId)
      .orderBy('changed_at', 'desc')
      .orderBy('seq', 'desc')
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    countWhere(conn.selectFrom('record_change'), { person_id: personId }),
  ]);
  // jsonb values arrive parsed from both drivers.
  return { rows, total };
}
