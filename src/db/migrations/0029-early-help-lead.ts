import type { Kysely } from 'kysely';
import { runScript } from '../sql-script.ts';

/**
 * The lead of a stepped-down episode is chosen from the directory (issue 12): a person or a team
 * of the lead agency, held by reference beside the name shown. Episodes recorded before this
 * named their lead in free text and keep only that name; one episode is led by a person or by a
 * team, never both.
 *
 * An incident role on a person's record also names the contact it came from, so the record links
 * to it (issue 12: the person record had no link to the DAN that named the person). Roles recorded
 * before this keep only the incident reference.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `
    alter table early_help_episode add column lead_user_id uuid references app_user(id);
    alter table early_help_episode add column lead_team_id uuid references team(id);
    alter table early_help_episode add constraint early_help_episode_one_lead
      check (lead_user_id is null or lead_team_id is null);
    alter table person_incident_role add column contact_id uuid;
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runScript(
    db,
    `alter table person_incident_role drop column contact_id;
     alter table early_help_episode drop constraint early_help_episode_one_lead;
     alter table early_help_episode drop column lead_team_id;
     alter table early_help_episode drop column lead_user_id;`,
  );
}
