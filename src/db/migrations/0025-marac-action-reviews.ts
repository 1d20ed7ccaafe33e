import { scriptMigration } from '../sql-script.ts';

/**
 * MARAC actions reviewed at the next meeting (docs/marac.md, decision 0022): the open actions of
 * cases heard at earlier meetings of the same area and forum are on the next meeting's agenda,
 * and the chair records each one's status there. One review of an action per meeting; the action
 * itself stays the owning agency's (multi_agency_action), marked done by that agency.
 */
export const { up, down } = scriptMigration({
  up: `
    create table marac_action_review (
      id uuid primary key default gen_random_uuid(),
      meeting_id uuid not null references marac_meeting(id),
      case_id uuid not null references marac_case(id),
      -- The meeting's area, as on every case-data row.
      area_id uuid not null references area(id),
      action_id uuid not null references multi_agency_action(id),
      status text not null check (status in ('completed', 'in-progress', 'not-started', 'no-longer-needed')),
      note text,
      reviewed_at timestamptz not null,
      reviewed_by_name text not null,
      unique (meeting_id, action_id)
    );
    create index marac_action_review_case on marac_action_review(case_id);
  `,
  down: `drop table marac_action_review;`,
});
