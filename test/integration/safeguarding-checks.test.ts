import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rowCount } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { api, apiKeyFor, household } from './risk-helpers.ts';

let probation: ReturnType<typeof api>;
let police: ReturnType<typeof api>;
let school: ReturnType<typeof api>;
let family: Awaited<ReturnType<typeof household>>;

appPerFile({ now: '2026-03-20T10:00:00Z' }, async () => {
  probation = api(app, await apiKeyFor(deps, 'probation'));
  police = api(app, await apiKeyFor(deps, 'police'));
  school = api(app, await apiKeyFor(deps, 'school-riverside-primary-school'));
  family = await household(deps, 'northbridge', 2);
});

describe('probation ↔ police child-safeguarding checks', () => {
  let checkId: string;

  it('the deadline is set from the court date, across the Easter bank holidays', async () => {
    const response = await probation.post('/api/v1/safeguarding-checks', {
      personId: family.parentIds[1],
      courtDate: '2026-04-08',
    });
    assert.equal(response.statusCode, 201, response.body);
    // Five working days before Wednesday 8 April 2026, skipping Good Friday and Easter Monday.
    assert.equal(response.json().dueBy, '2026-03-30');
    checkId = response.json().id;
  });

  it('bad input is 400 naming the field; other agencies may not ask; nothing is written', async () => {
    const count = () => rowCount(deps, 'safeguarding_check');
    const before = await count();
    const past = await probation.post('/api/v1/safeguarding-checks', {
      personId: family.parentIds[1],
      courtDate: '2026-01-01',
    });
    assert.equal(past.statusCode, 400);
    assert.match(past.body, /courtDate/);
    const bySchool = await school.post('/api/v1/safeguarding-checks', {
      personId: family.parentIds[1],
      courtDate: '2026-05-01',
    });
    assert.equal(bySchool.statusCode, 403);
    assert.equal(await count(), before);
  });

  it('a late answer is escalated once and shown as overdue, then as answered late', async () => {
    assert.equal(await services.safeguardingChecks.escalate(checkId), false, 'not yet due');
    deps.setNow(new Date('2026-03-31T09:00:00Z'));
    assert.equal(await services.safeguardingChecks.escalate(checkId), true);
    assert.equal(await services.safeguardingChecks.escalate(checkId), false, 'escalated once');
    const listed = await police.get('/api/v1/safeguarding-checks');
    assert.equal(listed.statusCode, 200, listed.body);
    const check = listed.json().checks.find((c: { id: string }) => c.id === checkId);
    assert.equal(check.status, 'overdue');
    assert.equal(check.escalated, true);
    const answered = await police.post(`/api/v1/safeguarding-checks/${checkId}/answer`, {
      answer: 'Two domestic-abuse call-outs in 2025; children present at one.',
    });
    assert.equal(answered.statusCode, 200, answered.body);
    const again = await police.post(`/api/v1/safeguarding-checks/${checkId}/answer`, { answer: 'Again' });
    assert.equal(again.statusCode, 409);
    const seen = await probation.get('/api/v1/safeguarding-checks');
    const mine = seen.json().checks.find((c: { id: string }) => c.id === checkId);
    assert.equal(mine.status, 'answered-late');
    assert.match(mine.answer, /call-outs/);
  });

  it('the probation officer’s page reports late checks', async () => {
    const browser = await signedIn(app, 'probation@harbour.example');
    const page = await browser.get('/safeguarding-checks');
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /1 answered late/);
  });
});
