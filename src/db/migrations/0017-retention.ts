import { scriptMigration } from '../sql-script.ts';

/**
 * Retention (decision 0012): a listing of records due for removal, and each item's fate. Nothing is
 * removed when a listing is made; a manager's confirmation removes its items through each owning
 * module's service and records who confirmed. The audit log keeps the record of every removal.
 */
export const { up, down } = scriptMigration({
  up: `
    create table retention_run (
      id uuid primary key default gen_random_uuid(),
      listed_at timestamptz not null,
      listed_by_name text not null,
      as_of date not null,
      status text not null check (status in ('listed', 'confirmed', 'superseded')),
      confirmed_at timestamptz,
      confirmed_by_user_id uuid,
      confirmed_by_name text
    );
    create index retention_run_listed on retention_run(listed_at desc);

    create table retention_item (
      run_id uuid not null references retention_run(id),
      record_type text not null check (record_type in ('person', 'contact')),
      record_id uuid not null,
      area_id uuid not null,
      rule text not null,
      due_on date not null,
      removed_at timestamptz,
      primary key (run_id, record_type, record_id)
    );
    create index retention_item_due on retention_item(run_id, area_id, due_on, record_id);
  `,
  down: 'drop table retention_item; drop table retention_run;',
});
