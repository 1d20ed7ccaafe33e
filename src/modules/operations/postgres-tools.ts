import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Where pg_dump and pg_restore are: HARBOUR_PG_BIN if set; else the newest
 * /usr/lib/postgresql/<version>/bin (Debian and Ubuntu install several versions side by side, and
 * pg_dump must be at least as new as the server); else /usr/bin; else the PATH.
 */
export function postgresTool(name: 'pg_dump' | 'pg_restore', env = process.env): string {
  if (env.HARBOUR_PG_BIN) return path.join(env.HARBOUR_PG_BIN, name);
  const versions = '/usr/lib/postgresql';
  if (existsSync(versions)) {
    const newest = readdirSync(versions)
      .filter((v) => /^\d+$/.test(v) && existsSync(path.join(versions, v, 'bin', name)))
      .sort((a, b) => Number(b) - Number(a))[0];
    if (newest) return path.join(versions, newest, 'bin', name);
  }
  if (existsSync(`/usr/bin/${name}`)) return `/usr/bin/${name}`;
  return name;
}

/** Runs a PostgreSQL client tool; its stderr becomes the error message when it fails. */
export async function runPostgresTool(name: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  const tool = postgresTool(name);
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as { code?: string | number; stderr?: string; message: string };
    if (e.code === 'ENOENT')
      throw new Error(
        `${name} was not found (looked for ${tool}); install the PostgreSQL client or set HARBOUR_PG_BIN`,
      );
    throw new Error(`${name} failed: ${(e.stderr || e.message).trim()}`);
  }
}
