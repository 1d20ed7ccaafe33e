/**
 * `harbour seed --synthetic`: a generated partnership at scale, bulk-loaded.
 *
 * The reference data (areas, agencies, teams, demo accounts) is the demo partnership's, seeded by
 * the demo module with no households; the areas are then given enough postcode districts for the
 * population. The population and its history are written in one transaction: secondary indexes
 * and foreign keys of the loaded tables are dropped, rows go in as `INSERT ... SELECT FROM unnest(...)` batches
 * (the fastest path the `pg` client offers without a COPY stream, and the same SQL on PGlite), the
 * indexes and keys are rebuilt from their own definitions (so every reference is still checked, in
 * one pass per key) and the tables analysed.
 */
import { sql } from 'kysely';
import type { Trx } from '../../db/database.ts';
import { transaction } from '../../db/database.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { AgencyKind } from '../../platform/roles.ts';
import { type DemoServices, isEmpty, seedDemo } from '../demo/seed.ts';
import { districtsFor, type GenerationStats, type PartnershipRefs, SyntheticGenerator } from './generate.ts';
import { formatDuration, ProgressBar } from './progress.ts';
import {
  type Cell,
  ColumnBuffer,
  type SyntheticTable,
  TABLE_ORDER,
  TABLES,
  type TableSpec,
} from './tables.ts';

export interface SyntheticSeedOptions {
  people: number;
  years: number;
  seed: number;
  /** End of the generated history; default now. */
  today?: Date;
  progress?: boolean;
  /** Rows per table per INSERT statement. */
  batchSize?: number;
}

export interface SyntheticSeedResult {
  seeded: boolean;
  stats?: GenerationStats;
  rows?: Record<SyntheticTable, number>;
  seconds?: number;
  /** Time spent in each table's INSERT statements, and in rebuilding indexes. */
  insertSeconds?: Record<SyntheticTable, number>;
  indexSeconds?: number;
}

const BATCH_SIZE = 5000;

function selectExpression(column: string, type: string): string {
  if (type === 'text[]') return `string_to_array(${column}, chr(31))`;
  if (type === 'uuid[]') return `string_to_array(${column}, chr(31))::uuid[]`;
  if (type === 'jsonb') return `${column}::jsonb`;
  return column;
}

function paramType(type: string): string {
  return type === 'text[]' || type === 'uuid[]' || type === 'jsonb' ? 'text[]' : `${type}[]`;
}

/** One statement for a whole batch of one table. */
async function insertBatch(trx: Trx, spec: TableSpec, columns: Cell[][]): Promise<void> {
  if (columns[0]!.length === 0) return;
  const names = spec.columns.map(([name]) => name);
  const params = spec.columns.map(([, type], i) => sql`${columns[i]}::${sql.raw(paramType(type))}`);
  await sql`insert into ${sql.table(spec.name)} (${sql.join(names.map((n) => sql.id(n)))})
    select ${sql.raw(spec.columns.map(([name, type]) => selectExpression(`t.${name}`, type)).join(', '))}
    from unnest(${sql.join(params)}) as t(${sql.join(names.map((n) => sql.id(n)))})`.execute(trx);
}

interface IndexDefinition {
  name: string;
  definition: string;
}

/** Secondary (non-unique, non-key) indexes of the tables the seed fills: cheaper to build once at the end. */
async function secondaryIndexes(trx: Trx): Promise<IndexDefinition[]> {
  const result = await sql<IndexDefinition>`
    select ci.relname as name, pg_get_indexdef(i.indexrelid) as definition
    from pg_index i
    join pg_class ct on ct.oid = i.indrelid
    join pg_class ci on ci.oid = i.indexrelid
    join pg_namespace n on n.oid = ct.relnamespace
    where n.nspname = current_schema()
      and ct.relname = any(${[...TABLE_ORDER]}::text[])
      and not i.indisprimary and not i.indisunique
    order by ci.relname`.execute(trx);
  return result.rows;
}

interface ForeignKey {
  name: string;
  table: string;
  definition: string;
}

/**
 * Foreign keys of the loaded tables. Checked row by row they cost more than the inserts; re-added
 * at the end, PostgreSQL validates each with one join, so integrity is still proven, just in bulk.
 */
async function foreignKeys(trx: Trx): Promise<ForeignKey[]> {
  const result = await sql<ForeignKey>`
    select con.conname as name, ct.relname as table, pg_get_constraintdef(con.oid) as definition
    from pg_constraint con
    join pg_class ct on ct.oid = con.conrelid
    join pg_namespace n on n.oid = ct.relnamespace
    where n.nspname = current_schema() and con.contype = 'f'
      and ct.relname = any(${[...TABLE_ORDER]}::text[])
    order by ct.relname, con.conname`.execute(trx);
  return result.rows;
}

async function partnershipRefs(trx: Trx, people: number): Promise<PartnershipRefs> {
  const areas = await trx
    .selectFrom('area')
    .select(['id', 'code', 'name', 'postcode_districts'])
    .orderBy('code')
    .execute();
  const agencies = await trx
    .selectFrom('agency')
    .leftJoin('agency_area', 'agency_area.agency_id', 'agency.id')
    .select(['agency.id', 'agency.kind', 'agency.code', 'agency_area.area_id'])
    .orderBy('agency.code')
    .orderBy('agency_area.area_id')
    .execute();
  const byId = new Map<string, { id: string; kind: AgencyKind; areaIds: string[] }>();
  for (const row of agencies) {
    const agency = byId.get(row.id) ?? { id: row.id, kind: row.kind as AgencyKind, areaIds: [] };
    if (row.area_id) agency.areaIds.push(row.area_id);
    byId.set(row.id, agency);
  }
  return {
    areas: areas.map((a) => ({
      id: a.id,
      code: a.code,
      town: a.name,
      districts: districtsFor(a.postcode_districts, people / areas.length),
    })),
    agencies: [...byId.values()],
  };
}

/** Seeds a synthetic partnership into an empty database; refuses (seeded: false) otherwise. */
export async function seedSynthetic(
  services: DemoServices,
  context: AuditContext,
  options: SyntheticSeedOptions,
): Promise<SyntheticSeedResult> {
  const { deps } = services;
  if (!(await isEmpty(deps))) return { seeded: false };
  const started = performance.now();
  await seedDemo(services, context, { householdsPerArea: 0 });
  const batchSize = options.batchSize ?? BATCH_SIZE;
  const progress = new ProgressBar('people', options.people, { enabled: options.progress ?? false });
  const rows = Object.fromEntries(TABLE_ORDER.map((t) => [t, 0])) as Record<SyntheticTable, number>;
  const tableSeconds = Object.fromEntries(TABLE_ORDER.map((t) => [t, 0])) as Record<SyntheticTable, number>;
  let indexSeconds = 0;
  const stats = await transaction(deps.db, async (trx) => {
    const refs = await partnershipRefs(trx, options.people);
    for (const area of refs.areas)
      await trx
        .updateTable('area')
        .set({ postcode_districts: area.districts })
        .where('id', '=', area.id)
        .execute();
    const indexes = await secondaryIndexes(trx);
    for (const index of indexes) await sql`drop index ${sql.id(index.name)}`.execute(trx);
    const keys = await foreignKeys(trx);
    for (const key of keys)
      await sql`alter table ${sql.table(key.table)} drop constraint ${sql.id(key.name)}`.execute(trx);

    const buffers = new Map(TABLE_ORDER.map((t) => [t, new ColumnBuffer(TABLES[t])]));
    const generator = new SyntheticGenerator(
      refs,
      {
        people: options.people,
        years: options.years,
        seed: options.seed,
        today: options.today ?? deps.now(),
      },
      {
        push(table, row) {
          buffers.get(table)!.push(row);
          rows[table]++;
        },
      },
    );
    const flush = async () => {
      // Taken together, before the first await, so a batch never holds a row whose parent is still buffered.
      const batches = TABLE_ORDER.map((t) => [TABLES[t], buffers.get(t)!.take()] as const);
      for (const [spec, columns] of batches) {
        const t0 = performance.now();
        await insertBatch(trx, spec, columns);
        tableSeconds[spec.name] += (performance.now() - t0) / 1000;
      }
    };
    let pending: Promise<void> = Promise.resolve();
    while (generator.next()) {
      if ([...buffers.values()].some((b) => b.length >= batchSize)) {
        // Generate the next batch while the database writes this one.
        await pending;
        pending = flush();
        await new Promise((resolve) => setImmediate(resolve));
        progress.update(generator.stats.people, `${generator.stats.events.toLocaleString('en-GB')} events`);
      }
    }
    await pending;
    await flush();
    progress.finish(`${generator.stats.events.toLocaleString('en-GB')} events`);

    const indexProgress = new ProgressBar('indexes and keys', indexes.length + keys.length, {
      enabled: options.progress ?? false,
    });
    indexProgress.update(0);
    if (deps.database.kind === 'postgres') await sql`set local maintenance_work_mem = '512MB'`.execute(trx);
    const indexStarted = performance.now();
    for (const [i, index] of indexes.entries()) {
      await sql.raw(index.definition).execute(trx);
      indexProgress.update(i + 1, index.name);
    }
    for (const [i, key] of keys.entries()) {
      await sql`alter table ${sql.table(key.table)} add constraint ${sql.id(key.name)} ${sql.raw(key.definition)}`.execute(
        trx,
      );
      indexProgress.update(indexes.length + i + 1, key.name);
    }
    indexProgress.finish();
    indexSeconds = (performance.now() - indexStarted) / 1000;
    for (const table of TABLE_ORDER) await sql`analyze ${sql.table(table)}`.execute(trx);
    await recordAudit(trx, context, {
      action: 'synthetic.seed',
      details: {
        people: options.people,
        years: options.years,
        seed: options.seed,
        today: (options.today ?? deps.now()).toISOString(),
        stats: { ...generator.stats },
        rows,
      },
    });
    return generator.stats;
  });
  return {
    seeded: true,
    stats,
    rows,
    seconds: (performance.now() - started) / 1000,
    insertSeconds: tableSeconds,
    indexSeconds,
  };
}

/** What the CLI prints after a seed. */
export function describeSeed(result: SyntheticSeedResult, options: SyntheticSeedOptions): string[] {
  const { stats, rows, seconds } = result;
  if (!stats || !rows || seconds === undefined) return [];
  const totalRows = Object.values(rows).reduce((a, b) => a + b, 0);
  return [
    `Seeded a synthetic partnership (seed ${options.seed}): ${stats.people.toLocaleString('en-GB')} people (+${stats.duplicates.toLocaleString('en-GB')} duplicate records) in ${stats.households.toLocaleString('en-GB')} households, ${options.years} years of history.`,
    `  ${stats.contacts.toLocaleString('en-GB')} contacts (${Math.round(stats.contacts / options.years).toLocaleString('en-GB')} a year), ${stats.incidents.toLocaleString('en-GB')} domestic abuse incidents in ${stats.domesticAbuseHouseholds.toLocaleString('en-GB')} households, ${stats.events.toLocaleString('en-GB')} chronology events.`,
    `  Heavy chronology (${stats.heavyChildIds.length}): ${stats.heavyChildIds.join(', ')}`,
    `  Time in inserts (overlapping generation): ${TABLE_ORDER.map((t) => `${t} ${result.insertSeconds?.[t].toFixed(1)}s`).join(', ')}, indexes ${result.indexSeconds?.toFixed(1)}s`,
    `  ${totalRows.toLocaleString('en-GB')} rows in ${formatDuration(seconds)} (${Math.round(totalRows / seconds).toLocaleString('en-GB')} rows/s): ${TABLE_ORDER.map((t) => `${t} ${rows[t].toLocaleString('en-GB')}`).join(', ')}`,
  ];
}
