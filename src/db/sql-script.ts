import { type Kysely, sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Splits a migration script into statements. PGlite's query path takes one statement at a time,
 * so scripts are run statement by statement on both backends. Understands '...' strings,
 * "..." identifiers, -- comments and $$-quoted function bodies.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let current = '';
  let i = 0;
  while (i < script.length) {
    const ch = script[i]!;
    if (ch === '-' && script[i + 1] === '-') {
      const end = script.indexOf('\n', i);
      i = end === -1 ? script.length : end + 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const end = script.indexOf(ch, i + 1);
      const stop = end === -1 ? script.length : end + 1;
      current += script.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(script.slice(i))?.[0];
      if (tag) {
        const end = script.indexOf(tag, i + tag.length);
        const stop = end === -1 ? script.length : end + tag.length;
        current += script.slice(i, stop);
        i = stop;
        continue;
      }
    }
    if (ch === ';') {
      if (current.trim()) statements.push(current.trim());
      current = '';
      i++;
      continue;
    }
    current += ch;
    i++;
  }
  if (current.trim()) statements.push(current.trim());
  return statements;
}

export async function runScript(db: Kysely<unknown>, script: string): Promise<void> {
  for (const statement of splitStatements(script)) {
    await sql.raw(statement).execute(db);
  }
}

/**
 * A migration written as SQL: its up script and, where the step can be undone, its down script.
 * Every migration in migrations/ is one, so the files hold only their SQL and why it is so.
 */
export function scriptMigration(scripts: { up: string; down?: string }): Migration {
  const { up, down } = scripts;
  return {
    up: (db) => runScript(db, up),
    ...(down === undefined ? {} : { down: (db: Kysely<unknown>) => runScript(db, down) }),
  };
}
