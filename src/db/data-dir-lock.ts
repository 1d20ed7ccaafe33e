import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * The holder listens on a local socket beside the data directory (a named pipe on Windows). The
 * operating system closes that listener when the process dies however it dies (kill -9, an
 * out-of-memory kill, a container stopped), so a dead holder can never be mistaken for a live one,
 * even when the new process has the same PID (PID 1 in a container). A holder file beside it names
 * the holder, so the refusal can say who it is. Decision 5 and decision 10.
 *
 * The lock's files sit beside the data directory (`<dir>.harbour.sock`, `<dir>.harbour.lock`), not
 * in it: a backup dumps the whole directory (PGlite's dumpDataDir), and a socket inside it would be
 * carried into the dump, and the restore would fail to unpack it (decision 12).
 */
export class DataDirInUseError extends Error {
  readonly holder: LockHolder | undefined;
  constructor(dataDir: string, holder: LockHolder | undefined) {
    const where = holder?.port ? ` serving http://localhost:${holder.port}` : '';
    const who = holder
      ? `pid ${holder.pid} on ${holder.host}${where}, since ${holder.since}`
      : 'holder unknown';
    super(
      `The embedded database in ${dataDir} is in use by another Harbour process (${who}). ` +
        'Nothing was changed. Stop that process first, or point both at a PostgreSQL server with DATABASE_URL.',
    );
    this.name = 'DataDirInUseError';
    this.holder = holder;
  }
}

export interface LockHolder {
  pid: number;
  host: string;
  port?: number;
  since: string;
}

export interface DataDirLock {
  release(): void;
}

/** The lock's files, beside the data directory (never inside it: see above). */
export function lockFiles(dataDir: string): { socket: string; holder: string; takeover: string } {
  const base = path.resolve(dataDir).replace(/[\\/]+$/, '');
  return {
    socket: `${base}.harbour.sock`,
    holder: `${base}.harbour.lock`,
    /** Held for the milliseconds it takes to replace a dead holder's socket, so two starters cannot both do it. */
    takeover: `${base}.harbour.takeover`,
  };
}
const TAKEOVER_STALE_MS = 10_000;
/** Unix socket paths are limited to 104 bytes on macOS and 108 on Linux, terminator included. */
const MAX_SOCKET_PATH_BYTES = 103;

function socketAddress(dataDir: string): string {
  const absoluteDir = path.resolve(dataDir);
  if (process.platform === 'win32') {
    const digest = createHash('sha256').update(absoluteDir.toLowerCase()).digest('hex').slice(0, 32);
    return `\\\\?\\pipe\\harbour-${digest}`;
  }
  const absolute = lockFiles(absoluteDir).socket;
  const relative = `.${path.sep}${path.relative(process.cwd(), absolute)}`;
  const shorter = Buffer.byteLength(relative) < Buffer.byteLength(absolute) ? relative : absolute;
  if (Buffer.byteLength(shorter) > MAX_SOCKET_PATH_BYTES) {
    throw new Error(
      `The embedded database's directory path is too long for its lock socket (${shorter}). ` +
        'Use a shorter HARBOUR_DATA_DIR, or start Harbour from a directory nearer to it.',
    );
  }
  return shorter;
}

function listen(address: string): Promise<Server | null> {
  return new Promise((resolve, reject) => {
    // A probe only needs the connection to succeed; it is closed at once.
    const server = createServer((socket) => socket.end());
    server.once('error', (error: NodeJS.ErrnoException) =>
      error.code === 'EADDRINUSE' ? resolve(null) : reject(error),
    );
    server.listen({ path: address, exclusive: true }, () => {
      // The lock must not keep a process alive that has nothing else to do.
      server.unref();
      resolve(server);
    });
  });
}

/** True when a live process listens on the socket; a socket file whose process has died refuses connections. */
function holderIsAlive(address: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path: address });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      socket.destroy();
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(false);
      else reject(error);
    });
  });
}

function readHolder(dataDir: string): LockHolder | undefined {
  try {
    return JSON.parse(readFileSync(lockFiles(dataDir).holder, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

async function takeoverMutex(dataDir: string): Promise<() => void> {
  const mutex = lockFiles(dataDir).takeover;
  const giveUpAt = Date.now() + 2 * TAKEOVER_STALE_MS;
  for (;;) {
    try {
      mkdirSync(mutex);
      return () => rmSync(mutex, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    // Left behind only by a process killed in the middle of taking over: it is never held this long.
    try {
      if (Date.now() - statSync(mutex).mtimeMs > TAKEOVER_STALE_MS)
        rmSync(mutex, { recursive: true, force: true });
    } catch {
      // Gone between the two calls: try again.
    }
    if (Date.now() > giveUpAt) throw new Error(`Could not take the lock on ${dataDir}`);
    await sleep(25);
  }
}

export async function acquireDataDirLock(dataDir: string, owner: { port?: number }): Promise<DataDirLock> {
  mkdirSync(dataDir, { recursive: true });
  const address = socketAddress(dataDir);
  const releaseMutex = await takeoverMutex(dataDir);
  let server: Server | null;
  try {
    server = await listen(address);
    if (!server) {
      if (await holderIsAlive(address)) throw new DataDirInUseError(dataDir, readHolder(dataDir));
      // The socket file of a process that has died: take its place.
      if (process.platform !== 'win32') rmSync(address, { force: true });
      server = await listen(address);
      if (!server) throw new Error(`Could not take the lock on ${dataDir}`);
    }
    const me: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...owner };
    const holderPath = lockFiles(dataDir).holder;
    writeFileSync(`${holderPath}.${process.pid}.tmp`, JSON.stringify(me));
    renameSync(`${holderPath}.${process.pid}.tmp`, holderPath);
  } finally {
    releaseMutex();
  }
  const held = server;
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      rmSync(lockFiles(dataDir).holder, { force: true });
      if (process.platform !== 'win32') rmSync(address, { force: true });
      held.close();
    },
  };
}
