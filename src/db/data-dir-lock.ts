import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * A lock file records who holds the directory, so the CLI can refuse clearly instead.
 */
export class DataDirInUseError extends Error {
  readonly holder: LockHolder;
  constructor(dataDir: string, holder: LockHolder) {
    const where = holder.port ? ` serving http://localhost:${holder.port}` : '';
    super(
      `The embedded database in ${dataDir} is in use by another Harbour process (pid ${holder.pid}${where}). ` +
        'Nothing was changed. Stop that process first, or point both at a PostgreSQL server with DATABASE_URL.',
    );
    this.name = 'DataDirInUseError';
    this.holder = holder;
  }
}

interface LockHolder {
  pid: number;
  host: string;
  port?: number;
  since: string;
}

export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string, owner: { port?: number }): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'harbour.lock');
  const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...owner };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: LockHolder | undefined;
      try {
        holder = JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
      } catch {
        holder = undefined;
      }
      // A lock left by a process that died is stale; anything else is a live holder.
      if (holder && holder.host === me.host && isAlive(holder.pid)) {
        throw new DataDirInUseError(dataDir, holder);
      }
      if (holder && holder.host !== me.host) throw new DataDirInUseError(dataDir, holder);
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock on ${dataDir}`);
}
