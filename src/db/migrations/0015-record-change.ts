import { scriptMigration } from '../sql-script.ts';
import { appendOnly } from './table-parts.ts';

/**
 * Change history beside the audit log (decision 0016): the audit log says who did what to which
 * record; record_change says which field of the record changed, from what, to what. One row per
 * field; the rows of one change share change_id. Append-only like the audit log. Case data: it
 * carries the record's area_id, as every case-data table does.
 */
export const { up, down } = scriptMigration({
  up: `
    create table record_change (
      seq bigint generated always as identity primary key,
      change_id uuid not null,
      changed_at timestamptz not null,
      entity text not null,
      entity_id text not null,
      person_id uuid,
      area_id uuid not null,
      action text not null,
      field text not null,
      from_value jsonb,
      to_value jsonb,
      actor_user_id uuid,
      actor_name text not null,
      actor_agency_id uuid,
      channel text not null check (channel in ('web', 'api', 'cli', 'system'))
    );
    create index record_change_person on record_change(person_id, changed_at desc, seq desc);
    create index record_change_entity on record_change(entity, entity_id, changed_at desc);

    ${appendOnly('record_change')}
  `,
  down: 'drop table record_change; drop function record_change_is_append_only();',
});
