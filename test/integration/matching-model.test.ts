import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { matchingModelService } from '../../src/modules/people/matching-model.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import { ValidationError } from '../../src/platform/errors.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';

let manager: AuditContext;
let police: AuditContext;

const context = (email: string) => contextOf(services.directory, email);

const GIVEN = ['Amara', 'Bram', 'Cerys', 'Dylan', 'Esme', 'Fintan', 'Gwen', 'Hugo', 'Isla', 'Jonah'];
const FAMILY = ['Pennock', 'Rowe', 'Sedgwick', 'Tolley', 'Umber', 'Vance', 'Wexley', 'Yardley'];

appPerFile({}, async () => {
  manager = await context('mash.manager@harbour.example');
  police = await context('police.officer@harbour.example');
  const frontDoor = await context('front.door@harbour.example');
  const { people } = services;
  // Enough people, some recorded twice with a typo, for blocking to find pairs of both kinds.
  for (let i = 0; i < 60; i++) {
    const child: NewPerson = {
      kind: 'child',
      givenName: GIVEN[i % GIVEN.length]!,
      familyName: FAMILY[i % FAMILY.length]!,
      dateOfBirth: `201${i % 9}-0${1 + (i % 9)}-${10 + (i % 18)}`,
      sex: i % 2 ? 'male' : 'female',
      addresses: [{ line1: `${i + 1} Mill Lane`, postcode: 'NB1 3DF' }],
    };
    await transaction(deps.db, (trx) => people.resolvePerson(trx, frontDoor, child));
  }
});

describe('the learnt matching model', () => {
  it('uses the shipped weights and the file’s thresholds before anything is trained or set', async () => {
    const scoring = await matchingModelService(deps).scoring();
    assert.equal(scoring.modelVersion, null);
    assert.deepEqual(scoring.thresholds, { autoLink: 20, review: 8 });
  });

  it('trains a version from the partnership’s people, stores it with its record count, and audits it', async () => {
    const service = matchingModelService(deps);
    const trained = await service.train(manager, { sample: 200, queries: 50, randomPairs: 5000 });
    const live = await deps.db
      .selectFrom('person')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('merged_into_id', 'is', null)
      .executeTakeFirstOrThrow();
    assert.equal(trained.recordCount, Number(live.n));
    assert.ok(trained.model.sample.blockedPairs > 0);
    assert.ok(trained.model.tradeoff.length > 0);
    const stored = await deps.db.selectFrom('matching_model').selectAll().execute();
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.version, trained.version);
    assert.equal(stored[0]!.record_count, trained.recordCount);
    const audit = await auditEvents(deps.db, { action: 'matching.train' });
    assert.deepEqual(
      audit.map((e) => ({ action: e.action, subject_id: e.subject_id })),
      [{ action: 'matching.train', subject_id: String(trained.version) }],
    );
    assert.equal((await service.scoring()).modelVersion, null, 'not used until a manager adopts it');
  });

  it('refuses thresholds that are not numbers, out of range or review above auto-link, naming the field and storing nothing', async () => {
    const service = matchingModelService(deps);
    for (const [input, field] of [
      [{ autoLink: 'lots', review: '8' }, 'autoLink'],
      [{ autoLink: '20', review: '-1' }, 'review'],
      [{ autoLink: '12', review: '14' }, 'review'],
    ] as const) {
      await assert.rejects(
        () => service.setThresholds(manager, input),
        (error: unknown) => error instanceof ValidationError && error.errors.some((e) => e.field === field),
      );
    }
    await assert.rejects(() => service.setThresholds(police, { autoLink: '22', review: '9' }));
    const rows = await deps.db.selectFrom('matching_thresholds').selectAll().execute();
    assert.equal(rows.length, 0);
  });

  it('stores and audits a manager’s thresholds, which resolution then uses with the model they chose from', async () => {
    const service = matchingModelService(deps);
    await service.setThresholds(manager, { autoLink: '22.5', review: '9' });
    const scoring = await service.scoring();
    assert.deepEqual(scoring.thresholds, { autoLink: 22.5, review: 9 });
    const [model] = await deps.db.selectFrom('matching_model').select('version').execute();
    assert.equal(scoring.modelVersion, model!.version, 'setting thresholds adopts the newest model');
    assert.ok(scoring.options.weights, 'and resolution scores with its weights');
    const audit = (await auditEvents(deps.db, { action: 'matching.thresholds.set' }))[0]!;
    const details = (typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details) as {
      before: unknown;
      after: unknown;
    };
    assert.deepEqual(details.before, { autoLink: 20, review: 8 });
    assert.deepEqual(details.after, { autoLink: 22.5, review: 9 });
  });
});

describe('/admin/matching', () => {
  it('shows the model, the weights table beside the chart and the trade-off table to a manager', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const page = await browser.get('/admin/matching');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Model version/);
    assert.match(page.body, /<svg role="img" aria-labelledby="weights-chart-title"/);
    assert.match(page.body, /<table class="govuk-table" id="weights">[\s\S]*Date of birth[\s\S]*exact/);
    assert.match(page.body, /<table class="govuk-table" id="tradeoff">/);
    assert.match(page.body, /auto-link at 22.5 bits, review at 9 bits/);
  });

  it('answers bad thresholds with the error summary naming the field, and good ones by setting them', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    await browser.get('/admin/matching');
    const bad = await browser.post('/admin/matching/thresholds', { autoLink: '10', review: '15' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    assert.match(bad.body, /href="#review"/);
    const good = await browser.post('/admin/matching/thresholds', { autoLink: '21', review: '8' });
    assert.equal(good.statusCode, 303);
    assert.deepEqual((await matchingModelService(deps).scoring()).thresholds, { autoLink: 21, review: 8 });
  });

  it('is refused to a police officer', async () => {
    const browser = await signedIn(app, 'police.officer@harbour.example');
    const page = await browser.get('/admin/matching');
    assert.equal(page.statusCode, 403);
  });
});
