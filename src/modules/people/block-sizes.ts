/**
 * How many people stand behind each large blocking key. The candidate query leaves out a key
 * whose block is bigger than `matching.maxBlockSize` (partnership settings): a key shared by
 * thousands (the name-pair key of a common name, a busy birth date's initial) says little about
 * who a record is, and reading and ranking its whole block is most of a slow match. Sizes are
 * measured over the whole person index by `harbour matching measure-blocks` and nightly by a job,
 * so a match reads a handful of primary-key rows rather than counting blocks as it goes.
 */

import { sql } from 'kysely';
import { type Db, transaction } from '../../db/database.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import type { Deps } from '../../platform/deps.ts';

/** Keys with at most this many people are not stored (the setting cannot go below it). */
export const MEASURED_FROM = 100;
export const MEASURE_BLOCKS_QUEUE = 'people.measure-blocks';

/** Recounts every live person's blocking keys and replaces the stored sizes; returns how many keys are large. */
export async function measureBlockSizes(db: Db): Promise<{ keys: number; largest: number }> {
  return transaction(db, async (trx) => {
    await trx.deleteFrom('blocking_key_size').execute();
    const { rows } = await sql<{ keys: number; largest: number }>`
      with stored as (
        insert into blocking_key_size (key, people)
        select k, count(*)::int from person, unnest(person.blocking_keys) as k
        where person.merged_into_id is null
        group by k having count(*) > ${MEASURED_FROM}
        returning people
      )
      select count(*)::int as keys, coalesce(max(people), 0)::int as largest from stored`.execute(trx);
    return rows[0]!;
  });
}

/** Schedules the nightly measurement and starts its worker. */
export async function startBlockSizeJob(deps: Deps): Promise<void> {
  const jobs = deps.jobs;
  if (!jobs) return;
  await jobs.define(MEASURE_BLOCKS_QUEUE);
  await jobs.work(MEASURE_BLOCKS_QUEUE, async () => {
    await measureBlockSizes(deps.db);
  });
  await jobs.boss.schedule(MEASURE_BLOCKS_QUEUE, '40 2 * * *', {}, { tz: TIME_ZONE });
}
