import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { contextOf, seededAgencyId, testDeps } from '../helpers/deps.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';

describe('the demo’s outbox (agency channels and inbox messages)', () => {
  databasePerFile({ seed: false }, async () => {
    await seedDemo(
      services,
      { principal: cliPrincipal('test') },
      { householdsPerArea: 3, inboxMessages: true },
    );
  });

  it('gives the MASH social worker and the school DSL unread messages in their inbox, about generated children', async () => {
    const worker = await contextOf(services.directory, 'social.worker@harbour.example');
    const dsl = await contextOf(services.directory, 'school.dsl@harbour.example');
    const mash = await services.notifications.inbox(worker, { show: 'unread', page: 1 });
    const school = await services.notifications.inbox(dsl, { show: 'unread', page: 1 });
    assert.ok(mash.total >= 2, `the MASH worker has ${mash.total} unread messages`);
    assert.ok(school.total >= 2, `the school DSL has ${school.total} unread messages`);
    const subjects = (page: typeof mash) => JSON.stringify(page);
    assert.match(subjects(mash), /MARAC research request/);
    assert.match(subjects(mash), /assigned to you: a home visit/);
    assert.match(subjects(school), /Operation Encompass/);
    // The home visit is the worker's own; the manager, in the same agency, does not see it.
    const manager = await contextOf(services.directory, 'mash.manager@harbour.example');
    const theirs = await services.notifications.inbox(manager, { show: 'all', page: 1 });
    assert.doesNotMatch(JSON.stringify(theirs), /assigned to you: a home visit/);
    // Each links to a person the school can open, and opening it shows the detail with the child's name.
    const encompass = (await services.notifications.inbox(dsl, { show: 'all', page: 1 })).rows.find((r) =>
      /Operation Encompass/.test(r.subject),
    )!;
    assert.match(encompass.link, /^\/people\/[0-9a-f-]{36}$/);
    const opened = JSON.stringify(await services.notifications.open(dsl, encompass.id));
    assert.match(opened, /do not approach the parents/);
  });

  it('seeds a secure mail domain for the police and a webhook, chosen for no message type, for the MASH', async () => {
    const admin = await contextOf(services.directory, 'admin@harbour.example');
    const police = await services.notifications.agencySettings(admin, await seededAgencyId(deps, 'police'));
    assert.deepEqual(police.setting?.secure_email_domains, ['police.harbour.example']);
    assert.equal(police.setting?.email, 'central.referrals@police.harbour.example');
    const mash = await services.notifications.agencySettings(
      admin,
      await seededAgencyId(deps, 'northbridge-csc'),
    );
    assert.match(mash.setting?.webhook_url ?? '', /^https:\/\//);
    assert.ok((mash.setting?.webhook_secret ?? '').length >= 32, 'Harbour made a signing secret');
    assert.equal(mash.setting?.webhook_secure, false);
    for (const channels of Object.values(mash.channels)) assert.ok(!channels.includes('webhook'));
    // So every demo message stays in Harbour: no delivery waits for an outside channel.
    const outside = await deps.db
      .selectFrom('outbox_delivery')
      .select('channel')
      .where('channel', '!=', 'in-app')
      .execute();
    assert.deepEqual(outside, []);
  });

  it('leaves the small tests seed without messages or agency settings', async () => {
    const small = await testDeps();
    try {
      const messages = await small.db.selectFrom('outbox_message').select('id').execute();
      const settings = await small.db.selectFrom('notification_agency_setting').select('agency_id').execute();
      assert.equal(messages.length, 0);
      assert.equal(settings.length, 0);
    } finally {
      await small.close();
    }
  });
});
