import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { App } from '../../src/app.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { rowCount, type TestDeps, testDeps } from '../helpers/deps.ts';
import { Browser, testApp } from '../helpers/http.ts';

let deps: TestDeps;
let first: App;
let second: App;

const sessionRows = () => rowCount(deps, 'http_session');

/** The error summary and the field error: everything the page says about why sign-in failed. */
function whatThePageSays(body: string): string {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  const field = /<p id="email-error"[\s\S]*?<\/p>/.exec(body)?.[0] ?? '';
  assert.ok(summary && field, 'the page shows an error summary and a field error');
  return summary + field;
}

before(async () => {
  deps = await testDeps();
  // Two app instances over one database, as behind a load balancer.
  first = await testApp(deps);
  second = await testApp(deps);
});
after(async () => {
  await first.close();
  await second.close();
  await deps.close();
});

describe('the sign-in page', () => {
  it('writes no session row for an anonymous visit, yet still refuses a form without its CSRF token', async () => {
    const before = await sessionRows();
    const browser = new Browser(first, { remoteAddress: '198.51.100.1' });
    const page = await browser.get('/sign-in');
    assert.equal(page.statusCode, 200);
    assert.equal(browser.cookie('harbour_session'), undefined);
    assert.ok(browser.cookie('harbour_csrf'), 'the CSRF secret travels in its own signed cookie');
    await browser.get('/sign-in?next=%2Fpeople');
    assert.equal(await sessionRows(), before);

    const forged = await browser.post(
      '/sign-in',
      { email: 'front.door@harbour.example', password: 'harbour-demo-2026' },
      { csrf: null },
    );
    assert.equal(forged.statusCode, 403);
    const stranger = new Browser(first, { remoteAddress: '198.51.100.1' });
    const otherToken = await stranger.post(
      '/sign-in',
      { email: 'front.door@harbour.example', password: 'harbour-demo-2026' },
      { csrf: browser.lastCsrf },
    );
    assert.equal(otherToken.statusCode, 403, "another browser's token does not match this browser's secret");
    assert.equal(await sessionRows(), before);

    const signedIn = await browser.post('/sign-in', {
      email: 'front.door@harbour.example',
      password: 'harbour-demo-2026',
    });
    assert.equal(signedIn.statusCode, 303);
    assert.equal(await sessionRows(), before + 1);
  });
});

describe('no account enumeration', () => {
  it('answers unknown, wrong and waiting alike, in words and (within a tolerance) in time', async (t) => {
    const signIn = deps.config.partnership.signIn;
    const saved = { ...signIn };
    // Enough room that the measured attempts themselves never start a wait.
    signIn.maxFailedAttempts = 50;
    signIn.addressMaxFailedAttempts = 10_000;
    const now = deps.now();
    await deps.db
      .insertInto('sign_in_throttle')
      .values({
        kind: 'account',
        key: 'probation@harbour.example',
        failures: 50,
        first_failure_at: now,
        last_failure_at: now,
        last_attempt_at: now,
        blocked_until: new Date(now.getTime() + 3_600_000),
      })
      .execute();
    try {
      const browser = new Browser(first, { remoteAddress: '198.51.100.2' });
      await browser.get('/sign-in');
      const attempt = async (email: string, password: string) => {
        const started = process.hrtime.bigint();
        const response = await browser.post('/sign-in', { email, password });
        return { response, ms: Number(process.hrtime.bigint() - started) / 1e6 };
      };
      const cases = {
        unknown: (i: number) => attempt(`nobody-${i}@harbour.example`, 'a-wrong-password'),
        wrong: () => attempt('idva@harbour.example', 'a-wrong-password'),
        // The right password, refused because the account must wait.
        waiting: () => attempt('probation@harbour.example', 'harbour-demo-2026'),
      };
      const times: Record<keyof typeof cases, number[]> = { unknown: [], wrong: [], waiting: [] };
      const said = new Set<string>();
      const statuses = new Set<number>();
      await cases.wrong(); // warm-up: the first password hash of a process is slower
      for (let round = 0; round < 12; round++) {
        for (const name of Object.keys(cases) as (keyof typeof cases)[]) {
          const { response, ms } = await cases[name](round);
          statuses.add(response.statusCode);
          said.add(whatThePageSays(response.body));
          times[name].push(ms);
        }
      }
      assert.deepEqual([...statuses], [400]);
      assert.equal(said.size, 1, 'one message for all three');
      assert.match([...said][0]!, /Enter a correct email address and password/);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const medians = Object.values(times).map(median);
      const ratio = Math.max(...medians) / Math.min(...medians);
      t.diagnostic(`median ms unknown/wrong/waiting: ${medians.map((m) => m.toFixed(1)).join(' / ')}`);
      assert.ok(
        ratio < 2,
        `median times ${medians.map((m) => m.toFixed(1)).join(', ')} ms differ by ${ratio.toFixed(2)}×`,
      );
      const denied = await auditEvents(deps.db, { action: 'sign-in', outcome: 'denied' });
      const recorded = [...new Set(denied.map((r) => String(r.reason)))];
      assert.ok(recorded.includes('unknown account'));
      assert.ok(recorded.includes('wrong password'));
      assert.ok(
        recorded.some((r) => r.startsWith('throttled')),
        'the audit log keeps the true reason',
      );
    } finally {
      Object.assign(signIn, saved);
      await deps.db.deleteFrom('sign_in_throttle').execute();
    }
  });
});

describe('throttling', () => {
  it('counts failures on one instance against sign-ins on another, with growing waits', async () => {
    const { maxFailedAttempts, firstDelaySeconds } = deps.config.partnership.signIn;
    const onFirst = new Browser(first, { remoteAddress: '198.51.100.3' });
    for (let i = 0; i < maxFailedAttempts; i++) {
      const r = await onFirst.signIn('school.dsl@harbour.example', `wrong-password-${i}`);
      assert.equal(r.statusCode, 400);
    }
    const row = async () =>
      deps.db
        .selectFrom('sign_in_throttle')
        .selectAll()
        .where('kind', '=', 'account')
        .where('key', '=', 'school.dsl@harbour.example')
        .executeTakeFirstOrThrow();
    const afterFifth = await row();
    assert.equal(afterFifth.failures, maxFailedAttempts);
    const wait = (r: typeof afterFifth) => (r.blocked_until!.getTime() - r.last_failure_at.getTime()) / 1000;
    assert.equal(wait(afterFifth), firstDelaySeconds);

    // Another instance, another address, the right password: still made to wait.
    const onSecond = new Browser(second, { remoteAddress: '198.51.100.4' });
    assert.equal((await onSecond.signIn('school.dsl@harbour.example')).statusCode, 400);
    assert.equal((await row()).failures, maxFailedAttempts, 'a refused attempt is not counted');

    // Once the wait is over the next failure doubles it.
    deps.setNow(new Date(Date.now() + (firstDelaySeconds + 1) * 1000));
    try {
      await onSecond.signIn('school.dsl@harbour.example', 'wrong-password-again');
      assert.equal(wait(await row()), firstDelaySeconds * 2);
    } finally {
      deps.setNow(new Date());
    }
  });

  it('slows one address that tries many accounts, and leaves other addresses alone', async () => {
    const { addressMaxFailedAttempts } = deps.config.partnership.signIn;
    const attacker = new Browser(first, { remoteAddress: '198.51.100.5' });
    await attacker.get('/sign-in');
    for (let i = 0; i < addressMaxFailedAttempts; i++) {
      const app = i % 2 === 0 ? first : second;
      const r = await app.inject({
        method: 'POST',
        url: '/sign-in',
        remoteAddress: '198.51.100.5',
        headers: {
          cookie: `harbour_csrf=${attacker.cookie('harbour_csrf')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({
          email: `guess-${i}@harbour.example`,
          password: 'a-wrong-password',
          _csrf: attacker.lastCsrf,
        }).toString(),
      });
      assert.equal(r.statusCode, 400);
    }
    assert.equal((await attacker.signIn('marac@harbour.example')).statusCode, 400);
    const colleague = new Browser(second, { remoteAddress: '198.51.100.6' });
    assert.equal((await colleague.signIn('marac@harbour.example')).statusCode, 303);
  });

  it('shows an administrator the counters and lets them clear one, after which sign-in works', async () => {
    const victim = new Browser(second, { remoteAddress: '198.51.100.7' });
    for (let i = 0; i < deps.config.partnership.signIn.maxFailedAttempts; i++) {
      await victim.signIn('analyst@harbour.example', `wrong-password-${i}`);
    }
    assert.equal((await victim.signIn('analyst@harbour.example')).statusCode, 400);

    const admin = new Browser(first, { remoteAddress: '198.51.100.8' });
    assert.equal((await admin.signIn('admin@harbour.example')).statusCode, 303);
    const page = await admin.get('/admin/sign-in-limits');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /analyst@harbour\.example/);
    assert.match(page.body, /Waiting until/);
    assert.match(page.body, /198\.51\.100\.5/, 'the address that guessed many accounts is listed too');
    const cleared = await admin.post('/admin/sign-in-limits/clear', {
      kind: 'account',
      key: 'analyst@harbour.example',
    });
    assert.equal(cleared.statusCode, 303);
    assert.equal((await victim.signIn('analyst@harbour.example')).statusCode, 303);
    const events = await auditEvents(deps.db, { action: 'sign-in-limit.clear' });
    assert.equal(events.length, 1);
    assert.equal((events[0]!.details as { key: string }).key, 'analyst@harbour.example');

    const police = new Browser(first, { remoteAddress: '198.51.100.9' });
    await police.signIn('police.officer@harbour.example');
    assert.equal((await police.get('/admin/sign-in-limits')).statusCode, 403);
  });
});
