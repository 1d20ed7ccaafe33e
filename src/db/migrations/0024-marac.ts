import { scriptMigration } from '../sql-script.ts';

/**
 * MARAC and the below-MARAC panel (docs/marac.md, decision 0022). One set of tables serves both
 * forums (`forum`): a case is a referral from the moment it is made until it is closed or
 * transferred; it is listed on one meeting at a time (meeting_id, agenda_position), and each
 * participating agency's research for it is a row of marac_research (hidden from the other
 * agencies until the meeting starts). A transfer to another area's MARAC is kept as a row of
 * marac_transfer so the receiving coordinator sees where the case came from.
 */
export const { up, down } = scriptMigration({
  up: `
    create table marac_meeting (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      area_id uuid not null references area(id),
      forum text not null check (forum in ('marac', 'panel')),
      starts_at timestamptz not null,
      status text not null default 'scheduled' check (status in ('scheduled', 'in-progress', 'held')),
      started_at timestamptz,
      ended_at timestamptz,
      minutes_due_at timestamptz,
      minutes text,
      minutes_published_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index marac_meeting_area on marac_meeting(area_id, forum, starts_at);

    create table marac_case (
      id uuid primary key default gen_random_uuid(),
      reference text not null unique,
      area_id uuid not null references area(id),
      forum text not null check (forum in ('marac', 'panel')),
      victim_person_id uuid not null references person(id),
      perpetrator_person_ids uuid[] not null default '{}',
      child_person_ids uuid[] not null default '{}',
      referring_agency_id uuid not null references agency(id),
      referring_agency_kind text not null,
      referred_by_user_id uuid references app_user(id),
      referred_by_name text not null,
      referred_at timestamptz not null,
      criterion text not null check (criterion in ('visible-high-risk', 'professional-judgement',
        'potential-escalation', 'repeat', 'below-threshold')),
      judgement_reason text,
      engine_criteria text[] not null default '{}',
      risk_assessment_id uuid references risk_assessment(id),
      risk_level text check (risk_level in ('standard', 'medium', 'high')),
      dash_score integer check (dash_score between 0 and 27),
      dash_reference text,
      consent text not null check (consent in ('given', 'not-given')),
      sharing_reason text,
      repeat boolean not null,
      repeat_of_case_id uuid references marac_case(id),
      duplicate_of_case_id uuid references marac_case(id),
      diversity jsonb not null default '{}',
      status text not null default 'referred' check (status in ('referred', 'listed', 'discussed', 'closed')),
      meeting_id uuid references marac_meeting(id),
      agenda_position integer,
      discussion_notes text,
      discussed_at timestamptz,
      closed_at timestamptz
    );
    create index marac_case_victim on marac_case(victim_person_id, referred_at);
    create index marac_case_queue on marac_case(area_id, forum, status);
    create index marac_case_meeting on marac_case(meeting_id) where meeting_id is not null;

    create table marac_research (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references marac_case(id),
      area_id uuid not null references area(id),
      agency_id uuid not null references agency(id),
      requested_at timestamptz not null,
      due_at timestamptz not null,
      returned_at timestamptz,
      returned_by_name text,
      information text,
      unique (case_id, agency_id)
    );
    create index marac_research_agency on marac_research(agency_id, returned_at);

    create table marac_transfer (
      id uuid primary key default gen_random_uuid(),
      case_id uuid not null references marac_case(id),
      -- The area the case leaves: the record's area, as on every case-data row.
      area_id uuid not null references area(id),
      to_area_id uuid not null references area(id),
      reason text not null,
      transferred_at timestamptz not null,
      transferred_by_name text not null
    );
  `,
  down: `drop table marac_transfer; drop table marac_research; drop table marac_case; drop table marac_meeting;`,
});
