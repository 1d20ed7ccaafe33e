import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile } from '../helpers/per-file.ts';
import { danPages } from './front-door-fixtures.ts';

/** The journey kit as both front-door forms use it: page order, state guard, return-to, check links. */

appPerFile({ now: '2026-03-03T10:00:00Z' });

async function officer() {
  const police = await signedIn(app, 'police.officer@harbour.example');
  await police.get('/front-door/dan');
  assert.equal((await police.post('/front-door/dan/start', {})).headers.location, '/front-door/dan/incident');
  return police;
}

describe('the journey kit', () => {
  it('sends a page reached out of order to the first question not yet answered', async () => {
    const police = await officer();
    for (const url of ['/front-door/dan/risk', '/front-door/dan/children/1', '/front-door/dan/check']) {
      const r = await police.get(url);
      assert.equal(r.statusCode, 303, url);
      assert.equal(r.headers.location, '/front-door/dan/incident', url);
    }
    await police.get('/front-door/dan/incident');
    const refused = await police.post('/front-door/dan/incident', { policeReference: 'NB/26/GUARD' });
    assert.equal(refused.statusCode, 400);
    // Answered with errors still counts as visited: the officer may go on and come back.
    assert.equal((await police.get('/front-door/dan/victim')).statusCode, 200);
    const skipped = await police.get('/front-door/dan/risk');
    assert.equal(skipped.headers.location, '/front-door/dan/victim');
  });

  it('starts again with an empty draft, and forgets the pages answered', async () => {
    const police = await officer();
    await police.get('/front-door/dan/incident');
    await police.post('/front-door/dan/incident', { policeReference: 'NB/26/AGAIN' });
    assert.match((await police.get('/front-door/dan/incident')).body, /NB\/26\/AGAIN/);
    await police.post('/front-door/dan/start', {});
    const page = await police.get('/front-door/dan/incident');
    assert.ok(!page.body.includes('NB/26/AGAIN'));
    assert.equal((await police.get('/front-door/dan/victim')).headers.location, '/front-door/dan/incident');
  });

  it('shows a repeated page for the next new item when asked for one beyond the list', async () => {
    const police = await officer();
    for (const page of ['incident', 'victim']) {
      await police.get(`/front-door/dan/${page}`);
      await police.post(`/front-door/dan/${page}`, {});
    }
    const far = await police.get('/front-door/dan/suspects/9');
    assert.equal(far.statusCode, 200);
    assert.match(far.body, /First suspect/);
    assert.match(far.body, /action="\/front-door\/dan\/suspects\/1"/);
  });

  it('goes back to check your answers after a change, but "add another" still adds another', async () => {
    const police = await officer();
    await police.get('/front-door/dan/incident');
    let r = await police.post('/front-door/dan/incident', danPages.incident('NB/26/RETURN'));
    assert.equal(r.headers.location, '/front-door/dan/victim');
    r = await police.post(
      '/front-door/dan/incident?return=check',
      danPages.incident('NB/26/RETURN', { occurredAtTime: '21:45' }),
    );
    assert.equal(r.headers.location, '/front-door/dan/check');
    await police.post('/front-door/dan/victim', { givenName: 'Rhian', familyName: 'Jones' });
    r = await police.post('/front-door/dan/suspects/1?return=check', {
      givenName: 'Gethin',
      familyName: 'Moss',
      action: 'another',
    });
    assert.equal(r.headers.location, '/front-door/dan/suspects/2');
  });

  it('links each error the service finds on the check page to the page that fixes it', async () => {
    const school = await signedIn(app, 'school.dsl@harbour.example');
    await school.get('/front-door/contact');
    await school.post('/front-door/contact/start', {});
    for (const page of ['source', 'children/1', 'adults/1', 'concerns', 'actions', 'consent']) {
      await school.get(`/front-door/contact/${page}`);
      await school.post(`/front-door/contact/${page}`, page === 'adults/1' ? { action: 'none' } : {});
    }
    const check = await school.get('/front-door/contact/check');
    assert.equal(check.statusCode, 200);
    const r = await school.post('/front-door/contact/check', {});
    assert.equal(r.statusCode, 400);
    for (const href of [
      '/front-door/contact/source?return=check',
      '/front-door/contact/children/1?return=check',
      '/front-door/contact/concerns?return=check',
      '/front-door/contact/actions?return=check',
      '/front-door/contact/consent?return=check',
    ])
      assert.ok(r.body.includes(`href="${href}"`), href);
  });
});
