import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { CASE_DATA_ROLES, mfaRequiredFor, mfaRequiredRoles } from '../../src/platform/auth/mfa.ts';
import { isCommonPassword, passwordStrengthProblem } from '../../src/platform/auth/password-strength.ts';

const RULES = { minimumLength: 12, minimumScore: 3 };
const SECRET = 'a-production-secret-that-is-long-enough-0123456789';

describe('password strength', () => {
  it('refuses long but guessable passwords and common ones, whatever characters they use', async () => {
    for (const weak of ['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', 'Password123!']) {
      assert.ok(await passwordStrengthProblem(weak, RULES), `${weak} is refused`);
    }
    assert.equal(await isCommonPassword('PASSWORD'), true);
    assert.match(String(await passwordStrengthProblem('short', RULES)), /12 characters/);
  });

  it('accepts a long passphrase with no capitals, digits or symbols (no composition rules)', async () => {
    assert.equal(await passwordStrengthProblem('correct horse battery staple', RULES), null);
    assert.equal(await passwordStrengthProblem('lantern orchard velvet compass', RULES), null);
  });

  it('counts the person’s own name and email as guessable', async () => {
    const inputs = ['sam.okafor@harbour.example', 'Sam Okafor'];
    assert.equal(await passwordStrengthProblem('sam.okafor@harbour.example', RULES), null);
    assert.match(
      String(await passwordStrengthProblem('sam.okafor@harbour.example', RULES, inputs)),
      /personal/,
    );
  });
});

describe('who needs a second factor', () => {
  it('by default, every role that reaches case data and the administrator, but not analysts or API systems', () => {
    for (const role of ['front_door_practitioner', 'police_officer', 'school_dsl', 'idva', 'system_admin'])
      assert.ok(CASE_DATA_ROLES.includes(role as never), role);
    for (const role of ['partnership_analyst', 'partner_system'])
      assert.ok(!CASE_DATA_ROLES.includes(role as never), role);
    const production = loadConfig({ NODE_ENV: 'production', HARBOUR_SESSION_SECRET: SECRET }, '/srv/harbour');
    assert.deepEqual(mfaRequiredRoles(production), CASE_DATA_ROLES);
    assert.equal(mfaRequiredFor(production, ['partnership_analyst', 'mash_manager']), true);
    assert.equal(mfaRequiredFor(production, ['partnership_analyst']), false);
  });

  it('asks nothing of the published demo accounts unless the partnership file says otherwise', () => {
    const demo = loadConfig({}, '/srv/harbour');
    assert.deepEqual(mfaRequiredRoles(demo), []);
    demo.partnership.signIn.mfa.requiredForRoles = ['mash_manager'];
    assert.equal(mfaRequiredFor(demo, ['mash_manager']), true);
  });
});
