import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, DEVELOPMENT_SESSION_SECRET, loadConfig } from '../../src/config.ts';
import {
  webhookSecretFromEnvironment,
  webhookSecretVariable,
} from '../../src/modules/notifications/settings.ts';

const SECRET = 'a-production-secret-that-is-long-enough-0123456789';

/** Checks that some problem starts with each of `prefixes`: each bad value is named. */
function assertNamed(problems: string[], prefixes: string[]): void {
  for (const prefix of prefixes)
    assert.ok(
      problems.some((p) => p.startsWith(prefix)),
      `${prefix} in ${problems.join('; ')}`,
    );
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, '/srv/harbour');
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems;
  }
  return [];
}

describe('configuration', () => {
  it('has working defaults for a laptop', () => {
    const config = loadConfig({}, '/srv/harbour');
    assert.equal(config.port, 3000);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.dataDir, '/srv/harbour/data');
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.databasePoolSize, 20);
    assert.equal(config.demo, true);
    assert.equal(config.secureCookies, false);
    assert.equal(config.sessionIdleMinutes, 30);
    assert.equal(config.partnership.signIn.maxFailedAttempts, 5);
  });

  it('reads every setting from the environment', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://harbour@db:5432/harbour',
        HARBOUR_DATA_DIR: 'var/db',
        HARBOUR_DEMO: '0',
        HARBOUR_SESSION_SECRET: SECRET,
        HARBOUR_SESSION_IDLE_MINUTES: '15',
        HARBOUR_DATABASE_POOL_SIZE: '32',
        LOG_LEVEL: 'warn',
      },
      '/srv/harbour',
    );
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, 'postgres://harbour@db:5432/harbour');
    assert.equal(config.dataDir, '/srv/harbour/var/db');
    assert.equal(config.demo, false);
    assert.equal(config.sessionIdleMinutes, 15);
    assert.equal(config.logLevel, 'warn');
    assert.equal(config.databasePoolSize, 32);
  });

  it('names each bad value, all at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      HARBOUR_DEMO: 'maybe',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      HARBOUR_DATABASE_POOL_SIZE: '0',
    });
    assertNamed(problems, [
      'HARBOUR_DATABASE_POOL_SIZE',
      'PORT must be a whole number',
      'HARBOUR_DEMO must be true or false',
      'DATABASE_URL',
      'LOG_LEVEL',
    ]);
  });

  it('rejects a port out of range and a short secret without printing the secret', () => {
    const problems = problemsOf({ PORT: '70000', HARBOUR_SESSION_SECRET: 'short-secret' });
    assert.ok(problems.some((p) => p.startsWith('PORT')));
    const secretProblem = problems.find((p) => p.startsWith('HARBOUR_SESSION_SECRET'));
    assert.ok(secretProblem?.includes('at least 32 characters'));
    assert.ok(!secretProblem?.includes('short-secret'));
  });

  it('refuses to run in production with the published secret or demo accounts', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    assert.ok(problems.some((p) => p.includes('HARBOUR_SESSION_SECRET must be set to your own secret')));
    const demo = problemsOf({ NODE_ENV: 'production', HARBOUR_SESSION_SECRET: SECRET, HARBOUR_DEMO: '1' });
    assert.ok(demo.some((p) => p.startsWith('HARBOUR_DEMO must be 0 in production')));
    const config = loadConfig({ NODE_ENV: 'production', HARBOUR_SESSION_SECRET: SECRET }, '/srv/harbour');
    assert.equal(config.secureCookies, true);
    assert.equal(config.demo, false);
    assert.notEqual(config.sessionSecret, DEVELOPMENT_SESSION_SECRET);
  });

  it('reads partnership settings from a file and rejects unknown keys and bad values', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harbour-config-'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ name: 'Test partnership', signIn: { maxFailedAttempts: 3 } }));
    const config = loadConfig({ HARBOUR_PARTNERSHIP_FILE: good }, dir);
    assert.equal(config.partnership.name, 'Test partnership');
    assert.equal(config.partnership.signIn.maxFailedAttempts, 3);
    assert.equal(config.partnership.signIn.lockoutMinutes, 15);

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ signIn: { maxFailedAttempts: 0 }, signin: {} }));
    const problems = problemsOf({ HARBOUR_PARTNERSHIP_FILE: bad });
    assert.ok(problems.some((p) => p.includes('/signIn/maxFailedAttempts')));
    assert.ok(problems.some((p) => p.includes('/signin is not a known setting')));

    const broken = path.join(dir, 'broken.json');
    writeFileSync(broken, '{ not json');
    assert.ok(
      problemsOf({ HARBOUR_PARTNERSHIP_FILE: broken }).some((p) => p.includes('could not be read as JSON')),
    );
  });

  it('takes the outbox’s secrets and endpoints from the environment over the partnership file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harbour-config-'));
    const file = path.join(dir, 'notify.json');
    writeFileSync(
      file,
      JSON.stringify({
        notifications: {
          smtp: { host: 'relay.file.example', port: 25 },
          notify: { apiKey: 'from-the-file' },
        },
      }),
    );
    const fileOnly = loadConfig({ HARBOUR_PARTNERSHIP_FILE: file }, dir).partnership.notifications;
    assert.equal(fileOnly.smtp.host, 'relay.file.example');
    assert.equal(fileOnly.notify.apiKey, 'from-the-file');
    assert.equal(fileOnly.smtp.user, '');

    const n = loadConfig(
      {
        HARBOUR_PARTNERSHIP_FILE: file,
        HARBOUR_SMTP_HOST: 'smtp.env.example',
        HARBOUR_SMTP_PORT: '587',
        HARBOUR_SMTP_USER: 'harbour',
        HARBOUR_SMTP_PASSWORD: 'relay-password',
        HARBOUR_NOTIFY_BASE_URL: 'http://127.0.0.1:6011',
        HARBOUR_NOTIFY_API_KEY: 'harbour-11111111-1111-1111-1111-111111111111-secret',
        HARBOUR_WEBHOOK_SECRET_KENT_POLICE: 'a-webhook-secret-from-the-environment',
      },
      dir,
    ).partnership.notifications;
    assert.equal(n.smtp.host, 'smtp.env.example');
    assert.equal(n.smtp.port, 587);
    assert.equal(n.smtp.user, 'harbour');
    assert.equal(n.smtp.password, 'relay-password');
    assert.equal(n.notify.baseUrl, 'http://127.0.0.1:6011');
    assert.equal(n.notify.apiKey, 'harbour-11111111-1111-1111-1111-111111111111-secret');
    assert.equal(webhookSecretVariable('kent-police'), 'HARBOUR_WEBHOOK_SECRET_KENT_POLICE');
    assert.equal(webhookSecretFromEnvironment(n, 'kent-police'), 'a-webhook-secret-from-the-environment');
    assert.equal(webhookSecretFromEnvironment(n, 'medway-csc'), undefined);

    // With no partnership file at all, the key still arrives.
    assert.equal(
      loadConfig({ HARBOUR_NOTIFY_API_KEY: 'k' }, dir).partnership.notifications.notify.apiKey,
      'k',
    );
  });

  it('names a bad outbox variable without printing a secret', () => {
    const problems = problemsOf({
      HARBOUR_SMTP_PORT: 'twenty-five',
      HARBOUR_NOTIFY_BASE_URL: 'ftp://notify',
      HARBOUR_SMTP_PASSWORD: 'lonely-password',
      HARBOUR_WEBHOOK_SECRET_KENT_POLICE: 'too-short',
    });
    assertNamed(problems, [
      'HARBOUR_SMTP_PORT must be a port number',
      'HARBOUR_NOTIFY_BASE_URL must start',
      'HARBOUR_SMTP_USER must be set',
      'HARBOUR_WEBHOOK_SECRET_KENT_POLICE must be at least 16',
    ]);
    assert.ok(!problems.join('\n').includes('too-short'));
    assert.ok(!problems.join('\n').includes('lonely-password'));
  });
});
