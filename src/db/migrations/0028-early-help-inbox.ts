import { scriptMigration } from '../sql-script.ts';

/**
 * The early-help inbox (issue 12): a stepped-down child waits there until someone in the early
 * help team picks the episode up. Who picked it up, and when, is held on the episode; the partial
 * index serves the inbox's "not yet picked up" list in each area.
 */
export const { up, down } = scriptMigration({
  up: `
    alter table early_help_episode add column assigned_user_id uuid references app_user(id);
    alter table early_help_episode add column assigned_name text;
    alter table early_help_episode add column assigned_at timestamptz;
    create index early_help_episode_inbox on early_help_episode(area_id, started_at desc)
      where status = 'open' and assigned_user_id is null;
  `,
  down: `drop index early_help_episode_inbox;
     alter table early_help_episode drop column assigned_at;
     alter table early_help_episode drop column assigned_name;
     alter table early_help_episode drop column assigned_user_id;`,
});
