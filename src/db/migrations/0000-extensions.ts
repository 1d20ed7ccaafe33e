import { scriptMigration } from '../sql-script.ts';

/**
 * Extensions live in public so that every schema (tests use one per file) shares them.
 * The advisory lock stops two migrators racing to create the same extension.
 */
export const { up } = scriptMigration({
  up: `
    select pg_advisory_xact_lock(4242001);
    create extension if not exists citext with schema public;
    create extension if not exists pg_trgm with schema public;
    create extension if not exists fuzzystrmatch with schema public;
  `,
});

export async function down(): Promise<void> {
  // Extensions are shared with other schemas in the same database, so they are left in place.
}
