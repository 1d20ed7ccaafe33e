import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import type { App } from '../../src/app.ts';
import { buildServices, type Services } from '../../src/services.ts';
import { type TestDeps, testDeps } from './deps.ts';
import { testApp } from './http.ts';

/**
 * The calling test file's database, services and app, set before its first test and closed after
 * its last (live bindings, as in e2e-session.ts: each test file runs in a process of its own).
 * The file's own set-up, given as `setUp`, runs in the same hook once they are set: a second
 * top-level `before` of the file is not awaited behind this one's.
 */
export let deps: TestDeps;
export let services: Services;
export let app: App;

export type PerFileOptions = NonNullable<Parameters<typeof testDeps>[0]> & {
  /** Where the test clock starts (a Date or an ISO instant); the real clock when not given. */
  now?: Date | string;
  /** A partnership file of the file's own, written to a temporary folder and named to the config. */
  partnership?: object;
  /** Changes the settings before the app is built over them (the app reads some only then). */
  configure?: (deps: TestDeps) => void;
  /** Closes what the file's set-up opened over the app (a second instance), before the app closes. */
  tearDown?: () => Promise<void>;
};

/** A seeded database (unless `seed: false`) and its services for the file, without an app. */
export function databasePerFile(options: PerFileOptions = {}, setUp?: () => Promise<void>): void {
  perFile(options, false, setUp);
}

/** As `databasePerFile`, with the app the server assembles over it, closed before the database. */
export function appPerFile(options: PerFileOptions = {}, setUp?: () => Promise<void>): void {
  perFile(options, true, setUp);
}

function perFile(
  { now, partnership, configure, tearDown, ...depsOptions }: PerFileOptions,
  withApp: boolean,
  setUp?: () => Promise<void>,
): void {
  before(async () => {
    if (partnership) depsOptions.env = { ...depsOptions.env, HARBOUR_PARTNERSHIP_FILE: fileOf(partnership) };
    deps = await testDeps(depsOptions);
    if (now) deps.setNow(new Date(now));
    configure?.(deps);
    services = buildServices(deps);
    if (withApp) app = await testApp(deps);
    await setUp?.();
  });
  after(async () => {
    await tearDown?.();
    await app?.close();
    await deps?.close();
  });
}

function fileOf(partnership: object): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'harbour-partnership-')), 'partnership.json');
  writeFileSync(file, JSON.stringify(partnership));
  return file;
}
