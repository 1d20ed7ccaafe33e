import { scriptMigration } from '../sql-script.ts';
import { byAgencyAndName, CASE_ROW_KEY, whoAndWhen } from './table-parts.ts';

/**
 * Multi-agency actions (docs/strategy-discussions.md, decision 0021): what a meeting (a strategy
 * discussion, a MARAC case, a panel case) asked one agency to do, by when, and whether it was
 * done. The source is named by kind and id, not by a foreign key, so every kind of meeting shares
 * one table and one inbox of actions. chased_at: when the overdue chase went out (once).
 *
 * Strategy discussions: requested by any agency about one or more children, scheduled or
 * declined by the MASH manager of the children's area, then held and recorded. Participants are
 * the agencies invited (each also holds a 'strategy-discussion' access_relationship for the
 * episode); contributions are what an invited agency sent before it started. outcome_due_at is
 * the deadline for sharing the outcome with every participant; icpc_due_at the initial child
 * protection conference's, when the discussion decided on s47 with a conference.
 */
export const { up, down } = scriptMigration({
  up: `
    create table multi_agency_action (
      id uuid primary key default gen_random_uuid(),
      source_kind text not null check (source_kind in ('strategy-discussion', 'marac-case', 'panel-case')),
      source_id uuid not null,
      area_id uuid not null references area(id),
      person_ids uuid[] not null default '{}',
      owner_agency_id uuid not null references agency(id),
      owner_user_id uuid references app_user(id),
      description text not null,
      due_by timestamptz not null,
      status text not null default 'open' check (status in ('open', 'done')),
      ${byAgencyAndName('created', 'nullable')},
      created_at timestamptz not null default now(),
      ${whoAndWhen('done', 'nullable')},
      done_note text,
      chased_at timestamptz
    );
    create index multi_agency_action_owner on multi_agency_action(owner_agency_id, status, due_by);
    create index multi_agency_action_source on multi_agency_action(source_kind, source_id);

    create table strategy_discussion (
      ${CASE_ROW_KEY},
      child_person_ids uuid[] not null,
      status text not null default 'requested' check (status in ('requested', 'scheduled', 'declined', 'held')),
      source_contact_id uuid references contact(id),
      ${byAgencyAndName('requested', 'nullable')},
      requested_at timestamptz not null,
      reason text not null,
      known_information text not null default '',
      decided_by_name text,
      decided_at timestamptz,
      decline_reason text,
      scheduled_for timestamptz,
      joining_detail text,
      held_at timestamptz,
      attendee_agency_ids uuid[] not null default '{}',
      information_shared text,
      section_47 boolean,
      conference boolean,
      level_of_need text,
      rationale text,
      recorded_by_name text,
      outcome_due_at timestamptz,
      outcome_shared_at timestamptz,
      breach_alerted_at timestamptz,
      icpc_due_at timestamptz
    );
    create index strategy_discussion_area on strategy_discussion(area_id, status);
    create index strategy_discussion_outcome_due on strategy_discussion(outcome_due_at)
      where outcome_shared_at is null and outcome_due_at is not null;

    create table strategy_discussion_participant (
      discussion_id uuid not null references strategy_discussion(id),
      area_id uuid not null references area(id),
      agency_id uuid not null references agency(id),
      why text not null check (why in ('minimum', 'referrer', 'school', 'known-to-family', 'chosen')),
      invited_at timestamptz not null,
      primary key (discussion_id, agency_id)
    );
    create index strategy_discussion_participant_agency on strategy_discussion_participant(agency_id);

    create table strategy_discussion_contribution (
      id uuid primary key default gen_random_uuid(),
      discussion_id uuid not null references strategy_discussion(id),
      area_id uuid not null references area(id),
      agency_id uuid references agency(id),
      author_name text not null,
      information text not null,
      created_at timestamptz not null
    );
    create index strategy_discussion_contribution_discussion on strategy_discussion_contribution(discussion_id);
  `,
  down: 'drop table strategy_discussion_contribution; drop table strategy_discussion_participant; drop table strategy_discussion; drop table multi_agency_action;',
});
