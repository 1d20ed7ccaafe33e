import { scriptMigration } from '../sql-script.ts';
import { CASE_ROW_KEY } from './table-parts.ts';

/**
 * One chronology per person: every agency's events, written in the same transaction as the record
 * they came from (subject_type + subject_id). Reads are "this person's events, newest first", so
 * the main index leads with person_id and carries occurred_at descending.
 */
export const { up, down } = scriptMigration({
  up: `
    create table chronology_event (
      ${CASE_ROW_KEY},
      person_id uuid not null references person(id),
      type text not null,
      occurred_at timestamptz not null,
      recorded_at timestamptz not null default now(),
      source_agency_id uuid references agency(id),
      source_agency_kind text,
      significance text not null check (significance in ('low', 'medium', 'high')),
      summary text not null,
      data jsonb not null default '{}',
      subject_type text,
      subject_id text,
      recorded_by_user_id uuid,
      shared_with_agency_ids uuid[] not null default '{}'
    );
    create index chronology_event_person_time on chronology_event(person_id, occurred_at desc, id desc);
    create index chronology_event_subject on chronology_event(subject_type, subject_id);
  `,
  down: 'drop table chronology_event;',
});
