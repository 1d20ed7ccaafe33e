/**
 * How fast the audit sealer chains a backlog (decision 0009): appends N unsealed audit events in
 * bulk, then times sealing them all, on the embedded database or DATABASE_URL.
 *
 *   [DATABASE_URL=postgres://root@127.0.0.1:5432/test] node bench/audit-seal-rate.ts [--rows 50000] [--batch 2000]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { createDatabase } from '../src/db/database.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { sealCommittedAudit } from '../src/platform/audit-sealer.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '50000' }, batch: { type: 'string', default: '2000' } },
});
const rows = Number(values.rows);
const batchSize = Number(values.batch);
const schema = `seal_bench_${randomBytes(4).toString('hex')}`;
const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl) {
  const admin = await createDatabase({ dataDir: '', databaseUrl, poolSize: 1 });
  await sql.raw(`create schema ${schema}`).execute(admin.db);
  await admin.close();
}
const database = await createDatabase({
  dataDir: 'memory://',
  ...(databaseUrl ? { databaseUrl, schema } : {}),
});
try {
  await migrateToLatest(database);
  for (let start = 0; start < rows; start += 5000) {
    const count = Math.min(5000, rows - start);
    await database.db
      .insertInto('audit_event')
      .values(
        Array.from({ length: count }, (_, i) => ({
          id: randomUUID(),
          occurred_at: new Date(),
          actor_name: 'bench',
          channel: 'system' as const,
          action: 'bench.event',
          outcome: 'allowed' as const,
          person_ids: [randomUUID()],
          details: JSON.stringify({ i: start + i, note: 'a typical small details object' }),
        })),
      )
      .execute();
  }
  const started = performance.now();
  const sealed = await sealCommittedAudit(database.db, { batchSize });
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${database.kind}: sealed ${sealed} events in ${seconds.toFixed(2)} s (${Math.round(sealed / seconds)}/s, batches of ${batchSize})`,
  );
} finally {
  await database.close();
  if (databaseUrl) {
    const admin = await createDatabase({ dataDir: '', databaseUrl, poolSize: 1 });
    await sql.raw(`drop schema ${schema} cascade`).execute(admin.db);
    await admin.close();
  }
}
