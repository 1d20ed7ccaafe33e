import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import { lastAuditEvent } from '../helpers/audit-events.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowById } from '../helpers/rows.ts';
import { seededContexts } from '../helpers/seeded-users.ts';

async function raisePair(given: string, family: string): Promise<{ incoming: string; existing: string }> {
  const { police: context } = await seededContexts(services.directory, ['police']);
  const { people } = services;
  const base: NewPerson = {
    kind: 'child',
    givenName: given,
    familyName: family,
    dateOfBirth: '2017-02-11',
    addresses: [{ line1: '5 Orchard Row', postcode: 'NB1 3DF' }],
  };
  const first = await transaction(deps.db, (trx) => people.resolvePerson(trx, context, base));
  // No date of birth and a nickname: plausible, never automatic.
  const second = await transaction(deps.db, (trx) =>
    people.resolvePerson(trx, context, { ...base, givenName: given.slice(0, 3), dateOfBirth: undefined }),
  );
  assert.equal(second.outcome, 'review');
  return { incoming: second.personId, existing: first.personId };
}

appPerFile();

describe('match review pages', () => {
  it('shows an empty queue, then a pair side by side with the reason for each field', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const empty = await browser.get('/match-review');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /Nothing is waiting for a decision/);
    await raisePair('Benedict', 'Harrowgate');
    const queue = await browser.get('/match-review?sort=created&order=asc');
    assert.match(queue.body, /1 pair/);
    assert.match(queue.body, /aria-sort="ascending"/);
    const link = /href="\/match-review\/([0-9a-f-]{36})"/.exec(queue.body)![1]!;
    const pair = await browser.get(`/match-review/${link}`);
    assert.equal(pair.statusCode, 200);
    assert.match(pair.body, /Side by side, field by field/);
    assert.match(pair.body, /Family name<\/th>[\s\S]*?Agrees/);
    assert.match(pair.body, /Date of birth<\/th>[\s\S]*?Not on both/);
  });

  it('needs a decision and a reason, names both in the error summary, and changes nothing', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const queue = await browser.get('/match-review');
    const id = /href="\/match-review\/([0-9a-f-]{36})"/.exec(queue.body)![1]!;
    await browser.get(`/match-review/${id}`);
    const response = await browser.post(`/match-review/${id}`, { decision: '', note: '' });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /govuk-error-summary/);
    assert.match(response.body, /href="#decision"/);
    assert.match(response.body, /href="#note"/);
    const review = await rowById(deps.db, 'match_review', id);
    assert.equal(review.status, 'pending');
  });

  it('records “not the same person” and never offers the pair again', async () => {
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const queue = await browser.get('/match-review');
    const id = /href="\/match-review\/([0-9a-f-]{36})"/.exec(queue.body)![1]!;
    await browser.get(`/match-review/${id}`);
    const response = await browser.post(`/match-review/${id}`, {
      decision: 'not-same',
      note: 'Different children: school confirmed Ben is a cousin',
    });
    assert.equal(response.statusCode, 303);
    const after = await browser.get('/match-review');
    assert.match(after.body, /Nothing is waiting for a decision/);
    assert.match(after.body, /The pair will not be offered again/);
    const review = await rowById(deps.db, 'match_review', id);
    const { people } = services;
    const { manager } = await seededContexts(services.directory, ['manager']);
    const again = [
      {
        personId: review.candidate_id,
        areaId: review.area_id,
        score: 10,
        band: 'review' as const,
        reasons: [],
      },
    ];
    const queued = await transaction(deps.db, (trx) =>
      people.queueReviews(
        trx,
        manager,
        { id: review.person_id, areaId: review.area_id },
        again as unknown as Parameters<typeof people.queueReviews>[3],
        'test',
      ),
    );
    assert.equal(queued, 0, 'the pair is remembered');
    const decided = await browser.get('/match-review?status=decided');
    assert.match(decided.body, /Not the same person/);
  });

  it('links a pair (merge), shows it in merge history, and undoes it from there', async () => {
    const { incoming, existing } = await raisePair('Philippa', 'Strangeways');
    const browser = await signedIn(app, 'mash.manager@harbour.example');
    const review = await deps.db
      .selectFrom('match_review')
      .select('id')
      .where('person_id', '=', incoming)
      .executeTakeFirstOrThrow();
    await browser.get(`/match-review/${review.id}`);
    const merged = await browser.post(`/match-review/${review.id}`, {
      decision: 'link',
      note: 'Same child: mother confirmed Phi is Philippa',
    });
    assert.equal(merged.statusCode, 303);
    const row = await rowById(deps.db, 'person', incoming);
    assert.equal(row.merged_into_id, existing);
    const mergedPage = await browser.get(`/people/${incoming}`);
    assert.match(mergedPage.body, /This record has been merged/);
    const history = await browser.get('/match-review/merges');
    assert.match(history.body, /Strangeways/);
    const mergeId = /href="\/match-review\/merges\/([0-9a-f-]{36})"/.exec(history.body)![1]!;
    const detail = await browser.get(`/match-review/merges/${mergeId}`);
    assert.match(detail.body, /What moved/);
    const noReason = await browser.post(`/match-review/merges/${mergeId}/unmerge`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    assert.match(noReason.body, /href="#reason"/);
    const undone = await browser.post(`/match-review/merges/${mergeId}/unmerge`, {
      reason: 'Merged in error',
    });
    assert.equal(undone.statusCode, 303);
    const after = await rowById(deps.db, 'person', incoming);
    assert.equal(after.merged_into_id, null);
  });

  it('keeps the queue to MASH staff, and audits a refused attempt', async () => {
    const browser = await signedIn(app, 'police.officer@harbour.example');
    assert.equal((await browser.get('/match-review')).statusCode, 403);
    assert.equal((await browser.get('/match-review/merges')).statusCode, 403);
    const audit = await lastAuditEvent(deps.db);
    assert.deepEqual(
      { action: audit.action, outcome: audit.outcome },
      { action: 'person:merge', outcome: 'denied' },
    );
  });
});
