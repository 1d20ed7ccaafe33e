import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { REDACTED, redactSettings } from '../../src/settings-redaction.ts';

const SMTP_PASSWORD = 'smtp-password-7f3a9c1e';
const NOTIFY_KEY = 'harbour_test-11111111-2222-3333-4444-555555555555-66666666-7777-8888-9999-000000000000';
const WEBHOOK_SECRET = 'webhook-secret-for-police-0123456789';
const FILE_CLIENT_SECRET = 'client-secret-written-in-the-file-42';
const ENV_CLIENT_SECRET = 'client-secret-from-the-environment-99';

/** The partnership settings as loadConfig makes them with every kind of secret set. */
function configWithSecrets() {
  const dir = mkdtempSync(path.join(tmpdir(), 'harbour-redaction-'));
  const file = path.join(dir, 'partnership.json');
  const provider = {
    label: 'Council',
    issuer: 'https://login.council.example',
    clientId: 'harbour',
    allowedEmailDomains: ['council.example'],
  };
  writeFileSync(
    file,
    JSON.stringify({
      signIn: {
        providers: [
          { ...provider, id: 'council', clientSecret: FILE_CLIENT_SECRET },
          { ...provider, id: 'trust', clientSecretEnv: 'TRUST_CLIENT_SECRET' },
        ],
      },
    }),
  );
  return loadConfig(
    {
      HARBOUR_PARTNERSHIP_FILE: file,
      HARBOUR_SMTP_USER: 'relay-user',
      HARBOUR_SMTP_PASSWORD: SMTP_PASSWORD,
      HARBOUR_NOTIFY_API_KEY: NOTIFY_KEY,
      HARBOUR_WEBHOOK_SECRET_POLICE: WEBHOOK_SECRET,
      TRUST_CLIENT_SECRET: ENV_CLIENT_SECRET,
    },
    dir,
  );
}

describe('harbour settings redaction', () => {
  it('prints no secret: SMTP password, Notify key, webhook and sign-in client secrets show as [set]', () => {
    const config = configWithSecrets();
    // The secrets really are in the settings in force, so the redaction is what keeps them out.
    assert.equal(config.partnership.notifications.smtp.password, SMTP_PASSWORD);
    assert.equal(config.partnership.signIn.providers[1]!.clientSecret, ENV_CLIENT_SECRET);
    const printed = JSON.stringify(redactSettings(config.partnership), null, 2);
    for (const secret of [SMTP_PASSWORD, NOTIFY_KEY, WEBHOOK_SECRET, FILE_CLIENT_SECRET, ENV_CLIENT_SECRET])
      assert.ok(!printed.includes(secret), `a secret was printed: ${secret.slice(0, 12)}…`);
    const shown = JSON.parse(printed);
    assert.equal(shown.notifications.smtp.password, REDACTED);
    assert.equal(shown.notifications.notify.apiKey, REDACTED);
    assert.deepEqual(shown.notifications.webhook.secrets, { POLICE: REDACTED });
    assert.equal(shown.signIn.providers[0].clientSecret, REDACTED);
    assert.equal(shown.signIn.providers[1].clientSecret, REDACTED);
  });

  it('keeps everything that is not a secret, and shows an unset secret as empty', () => {
    const config = configWithSecrets();
    const shown = redactSettings(config.partnership);
    assert.equal(shown.notifications.smtp.user, 'relay-user');
    assert.equal(shown.signIn.providers[1]!.clientSecretEnv, 'TRUST_CLIENT_SECRET');
    assert.equal(shown.signIn.passwords.minimumLength, config.partnership.signIn.passwords.minimumLength);
    assert.deepEqual(shown.frontDoor, config.partnership.frontDoor);
    assert.equal(config.partnership.notifications.smtp.password, SMTP_PASSWORD, 'the original is untouched');
    const defaults = redactSettings(loadConfig({}, '/srv/harbour').partnership);
    assert.equal(defaults.notifications.smtp.password, '');
    assert.equal(defaults.notifications.notify.apiKey, '');
    assert.deepEqual(defaults.notifications.webhook.secrets, {});
  });
});
