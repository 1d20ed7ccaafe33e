import { sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * The PostgreSQL role split (docs/database-roles.md, decision 0009). The owner role owns the schema
 * and runs migrations; the app role the server connects as gets data access only. Not owning the
 * tables, the app role cannot disable or drop the audit log's triggers, and its grants on the audit
 * tables are narrower still: it may insert audit events and change-history rows (never alter them) and fill the seal of unsealed ones, never
 * delete or truncate them, and may only move the anchor forward.
 *
 * Run by the owner after every migration (`harbour migrate --app-role NAME`), so tables added by
 * later migrations are granted too. Idempotent.
 */
export async function grantAppRole(
  owner: Db,
  options: { role: string; schema: string; jobSchema: string },
): Promise<void> {
  const role = sql.id(options.role);
  const schema = sql.id(options.schema);
  const statements = [
    sql`grant usage on schema ${schema} to ${role}`,
    sql`grant select, insert, update, delete on all tables in schema ${schema} to ${role}`,
    sql`grant usage, select on all sequences in schema ${schema} to ${role}`,
    sql`revoke truncate, references, trigger on all tables in schema ${schema} from ${role}`,
    sql`revoke update, delete on ${schema}.audit_event from ${role}`,
    sql`grant update (chain_seq, prev_hash, hash) on ${schema}.audit_event to ${role}`,
    sql`revoke update, delete on ${schema}.record_change from ${role}`,
    sql`revoke insert, update, delete on ${schema}.audit_anchor from ${role}`,
    sql`grant update (sealed_count, head_hash, sealed_at) on ${schema}.audit_anchor to ${role}`,
    // pg-boss manages its own tables (one per queue, created at run time), so the app role owns the
    // job schema. Nothing in it is evidence; the case data and the audit log stay out of its reach.
    sql`create schema if not exists ${sql.id(options.jobSchema)} authorization ${role}`,
  ];
  await owner.transaction().execute(async (trx) => {
    for (const statement of statements) await statement.execute(trx);
  });
}

/** The user name in a postgres:// URL: the role a connection made with it acts as. */
export function roleOf(databaseUrl: string): string {
  return decodeURIComponent(new URL(databaseUrl).username);
}
