import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * Multi-agency actions (docs/strategy-discussions.md, decision 0021): what a meeting (a strategy
 * discussion, a MARAC case, a panel case) asked one agency to do, by when, and whether it was
 * done. The source is named by kind and id, not by a foreign key, so every kind of meeting shares
 * one table and one inbox of actions. chased_at: when the overdue chase went out (once).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    create table multi_agency_action (
      id uuid primary key default gen_random_uuid(),
      source_kind text not null check (source_kind in ('strategy-discussion', 'marac-case', 'panel-case')),
      source_id uuid not null,
      person_ids uuid[] not null default '{}',
      owner_agency_id uuid not null references agency(id),
      owner_user_id uuid references app_user(id),
      description text not null,
      due_by timestamptz not null,
      status text not null default 'open' check (status in ('open', 'done')),
      created_by_agency_id uuid references agency(id),
      created_by_name text not null,
      created_at timestamptz not null default now(),
      done_at timestamptz,
      done_by_user_id uuid references app_user(id),
      done_by_name text,
      done_note text,
      chased_at timestamptz
    );
    create index multi_agency_action_owner on multi_agency_action(owner_agency_id, status, due_by);
    create index multi_agency_action_source on multi_agency_action(source_kind, source_id);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(db, 'drop table multi_agency_action;');
}
