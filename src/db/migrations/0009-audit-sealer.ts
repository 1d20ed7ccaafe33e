import { scriptMigration } from '../sql-script.ts';

/**
 * The audit log is chained after commit instead of under a global lock (decision 0009).
 *
 * - Rows are inserted unsealed: `chain_seq`, `prev_hash` and `hash` are null until the sealer fills
 *   them. `chain_seq` is the chain order, assigned by the sealer; `seq` stays the insertion number.
 * - The existing chain (chained in `seq` order under the old lock) becomes the sealed prefix of the
 *   new one: same hashes, `chain_seq` numbered in `seq` order, so it verifies unchanged.
 * - The append-only trigger now allows exactly one kind of UPDATE: filling the seal columns of an
 *   unsealed row, with every other column unchanged. DELETE and TRUNCATE are refused, and an INSERT
 *   may not arrive already sealed.
 * - `audit_anchor` (one row) keeps the sealed count and head hash outside the log, so deleting the
 *   newest rows or truncating the log cannot pass verification as a shorter, intact chain. It only
 *   moves forward, and only to a head that is in the log.
 */
export const { up, down } = scriptMigration({
  up: `
    drop trigger audit_event_append_only on audit_event;

    alter table audit_event add column chain_seq bigint;
    alter table audit_event alter column prev_hash drop not null;
    alter table audit_event alter column hash drop not null;

    update audit_event set chain_seq = numbered.n
    from (select seq, row_number() over (order by seq) as n from audit_event) numbered
    where audit_event.seq = numbered.seq;

    alter table audit_event add constraint audit_event_chain_seq unique (chain_seq);
    alter table audit_event add constraint audit_event_sealed_whole check (
      (chain_seq is null and prev_hash is null and hash is null)
      or (chain_seq is not null and prev_hash is not null and hash is not null)
    );
    create index audit_event_unsealed on audit_event(seq) where chain_seq is null;

    create or replace function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only: only the sealer may fill the seal of an unsealed row';
    end $$;
    -- The check is the trigger's WHEN clause, evaluated without calling the function, so a valid
    -- seal costs nothing extra. It lists every content column: a migration that adds a column to
    -- audit_event adds it here too (an integration test compares this list with the table).
    create trigger audit_event_append_only before update on audit_event for each row
      when (old.chain_seq is not null or new.chain_seq is null
        or (old.seq, old.id, old.occurred_at, old.actor_user_id, old.actor_name,
          old.actor_agency_id, old.channel, old.action, old.outcome, old.subject_type,
          old.subject_id, old.person_ids, old.area_id, old.reason, old.request_id, old.details)
        is distinct from
          (new.seq, new.id, new.occurred_at, new.actor_user_id, new.actor_name,
          new.actor_agency_id, new.channel, new.action, new.outcome, new.subject_type,
          new.subject_id, new.person_ids, new.area_id, new.reason, new.request_id, new.details))
      execute function audit_event_is_append_only();
    create trigger audit_event_no_delete before delete on audit_event
      for each row execute function audit_event_is_append_only();

    create function audit_event_arrives_unsealed() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event rows are sealed by the sealer, not inserted sealed';
    end $$;
    create trigger audit_event_arrives_unsealed before insert on audit_event
      for each row when (new.chain_seq is not null or new.prev_hash is not null or new.hash is not null)
      execute function audit_event_arrives_unsealed();

    create function audit_refuses_truncate() returns trigger language plpgsql as $$
    begin
      raise exception '% is append-only and cannot be truncated', tg_table_name;
    end $$;
    create trigger audit_event_no_truncate before truncate on audit_event
      for each statement execute function audit_refuses_truncate();

    create table audit_anchor (
      id boolean primary key default true check (id),
      sealed_count bigint not null check (sealed_count >= 0),
      head_hash text not null,
      sealed_at timestamptz not null default now()
    );
    insert into audit_anchor (sealed_count, head_hash)
    select count(*), coalesce(
      (select hash from audit_event order by chain_seq desc limit 1),
      '0000000000000000000000000000000000000000000000000000000000000000')
    from audit_event;

    create function audit_anchor_only_advances() returns trigger language plpgsql as $$
    begin
      if tg_op = 'UPDATE' and new.id = old.id and new.sealed_count >= old.sealed_count
        and exists (select 1 from audit_event where chain_seq = new.sealed_count and hash = new.head_hash) then
        return new;
      end if;
      raise exception 'audit_anchor only moves forward, to a sealed row of audit_event';
    end $$;
    create trigger audit_anchor_only_advances before update or delete on audit_anchor
      for each row execute function audit_anchor_only_advances();
    create trigger audit_anchor_no_truncate before truncate on audit_anchor
      for each statement execute function audit_refuses_truncate();
  `,
  down: `
    drop table audit_anchor;
    drop function audit_anchor_only_advances();
    drop trigger audit_event_no_truncate on audit_event;
    drop trigger audit_event_append_only on audit_event;
    drop trigger audit_event_no_delete on audit_event;
    drop function audit_refuses_truncate();
    drop trigger audit_event_arrives_unsealed on audit_event;
    drop function audit_event_arrives_unsealed();
    drop index audit_event_unsealed;
    alter table audit_event drop constraint audit_event_sealed_whole;
    alter table audit_event drop constraint audit_event_chain_seq;
    alter table audit_event drop column chain_seq;
    create or replace function audit_event_is_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_event is append-only';
    end $$;
    create trigger audit_event_append_only before update or delete on audit_event
      for each row execute function audit_event_is_append_only();
  `,
});
