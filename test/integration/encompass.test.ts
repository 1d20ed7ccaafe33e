import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { ENCOMPASS_ESCALATION_QUEUE } from '../../src/modules/encompass/service.ts';
import { DEADLINE_QUEUE } from '../../src/modules/front-door/job-names.ts';
import type { DanInput } from '../../src/modules/front-door/types.ts';
import { jobSchemaFor } from '../../src/platform/jobs.ts';
import { cliPrincipal } from '../../src/platform/principal.ts';
import { contextOf } from '../helpers/deps.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { rowCountWhere } from '../helpers/row-count.ts';
import { rowById, rowsWhere, rowWhere } from '../helpers/rows.ts';
import { danBody, household } from './front-door-fixtures.ts';

/**
 * Operation Encompass (issue 14, F13, F29): a DAN's notices to schools, made in its transaction,
 * due before the next school day of the area's calendar (half term included), acknowledged by the
 * key adult, escalated when they are not.
 */

// Spring term 2027 with a half term from 15 to 19 February: the Friday before is 12 February.
const PARTNERSHIP = {
  encompass: {
    terms: [
      { start: '2027-01-05', end: '2027-02-12' },
      { start: '2027-02-22', end: '2027-03-26' },
    ],
    escalation: { deputyAfterMinutes: 30, localAuthorityAfterMinutes: 120 },
  },
};
const FRIDAY_NIGHT = new Date('2027-02-12T23:30:00Z');
const FIRST_DAY_BACK = '2027-02-22T08:30:00.000Z';

let policeKey: string;
let riversideKey: string;
let academyKey: string;
const agencyIds = new Map<string, string>();

async function createKey(agency: string) {
  return (
    await services.directory.createApiKey({ principal: cliPrincipal('test') }, agency, `${agency} system`)
  ).key;
}

function api(method: 'GET' | 'POST', url: string, key: string, payload?: object) {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}` },
    ...(payload ? { payload } : {}),
  });
}

const noticeCount = (where: { contactId?: string; personId?: string } = {}) =>
  rowCountWhere(deps.db, 'encompass_notice', {
    ...(where.contactId ? { contact_id: where.contactId } : {}),
    ...(where.personId ? { person_id: where.personId } : {}),
  });

/** The scenario's household: two school-age children at two schools, and a baby. */
function scenarioDan(reference: string): DanInput {
  const home = household();
  const base = danBody({}, reference, home);
  return {
    ...base,
    incident: { ...base.incident, occurredAt: FRIDAY_NIGHT.toISOString() },
    children: [
      {
        ...base.children[0]!,
        dateOfBirth: '2017-06-14',
        school: { agencyCode: 'school-riverside-primary-school' },
      },
      {
        ...base.children[1]!,
        givenName: 'Rory',
        dateOfBirth: '2012-10-03',
        present: false,
        witnessed: false,
        school: { agencyCode: 'school-harbour-view-high-school' },
      },
      {
        givenName: 'Wren',
        familyName: home.family,
        dateOfBirth: '2026-06-01',
        livesAtAddress: true,
        present: true,
        witnessed: false,
        injured: false,
      },
    ],
  };
}

appPerFile(
  { jobs: true, partnership: PARTNERSHIP, now: new Date(FRIDAY_NIGHT.getTime() + 15 * 60_000) },
  async () => {
    policeKey = await createKey('police');
    riversideKey = await createKey('school-riverside-primary-school');
    academyKey = await createKey('school-harbour-view-high-school');
    const agencies = await services.directory.agenciesByCode([
      'school-riverside-primary-school',
      'school-harbour-view-high-school',
      'northbridge-csc',
      'police',
    ]);
    for (const a of agencies) agencyIds.set(a.code, a.id);
  },
);

describe('a DAN at 23:30 on the Friday before half term', () => {
  let notices: { id: string; schoolAgencyId: string; dueBy: string }[] = [];
  let contactId = '';

  it('gives a notice to each school-age child’s school, due before the first day back, and none for the baby', async () => {
    const response = await api(
      'POST',
      '/api/v1/domestic-abuse-notifications',
      policeKey,
      scenarioDan('NB/27/HALF-1'),
    );
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    contactId = body.contactId;
    notices = body.encompassNotices;
    assert.equal(notices.length, 2);
    assert.deepEqual(
      notices.map((n) => n.schoolAgencyId).sort(),
      [
        agencyIds.get('school-harbour-view-high-school'),
        agencyIds.get('school-riverside-primary-school'),
      ].sort(),
    );
    for (const notice of notices) assert.equal(notice.dueBy, FIRST_DAY_BACK);
    assert.equal(await noticeCount({ contactId }), 2);
    const rows = await rowsWhere(deps.db, 'encompass_notice', { contact_id: contactId });
    const names = rows.map((r) => (r.content as { childName: string }).childName);
    assert.ok(!names.some((n) => n.startsWith('Wren')), 'the baby gets no notice');
    const absent = rows.find((r) => (r.content as { childName: string }).childName.startsWith('Rory'))!;
    assert.equal(
      (absent.content as { present: boolean }).present,
      false,
      'a child not present still gets one',
    );
    for (const row of rows) {
      assert.equal(row.status, 'released');
      assert.equal(row.source_agency_id, agencyIds.get('police'));
      assert.equal((row.content as { doNotApproachParents: boolean }).doNotApproachParents, true);
      assert.equal((row.content as { policeReference: string }).policeReference, 'NB/27/HALF-1');
    }
  });

  it('queues each notice’s escalation for after it is due', async () => {
    const schema = jobSchemaFor(deps.database);
    const { rows } = await sql<{
      start_after: Date;
      notice: string;
    }>`select start_after, data->>'noticeId' as notice
      from ${sql.table(`${schema}.job`)} where name = ${ENCOMPASS_ESCALATION_QUEUE}`.execute(deps.db);
    for (const notice of notices) {
      const job = rows.find((r) => r.notice === notice.id);
      assert.ok(job, 'an escalation job per notice');
      assert.equal(
        new Date(job.start_after).toISOString(),
        new Date(Date.parse(FIRST_DAY_BACK) + 30 * 60_000).toISOString(),
      );
    }
  });

  it('a school’s key sees only its own notices, and the school sees the child’s record', async () => {
    const own = await api('GET', '/api/v1/encompass/notices?status=unacknowledged', riversideKey);
    assert.equal(own.statusCode, 200, own.body);
    const listed = own.json().notices as { id: string; schoolAgencyId: string; childName: string }[];
    assert.ok(listed.length >= 1);
    assert.ok(listed.every((n) => n.schoolAgencyId === agencyIds.get('school-riverside-primary-school')));
    const academyNotice = notices.find(
      (n) => n.schoolAgencyId === agencyIds.get('school-harbour-view-high-school'),
    )!;
    assert.ok(!listed.some((n) => n.id === academyNotice.id));
    const other = await api('GET', `/api/v1/encompass/notices/${academyNotice.id}`, riversideKey);
    assert.equal(other.statusCode, 403);
    const refused = await api(
      'POST',
      `/api/v1/encompass/notices/${academyNotice.id}/acknowledgement`,
      riversideKey,
      {
        actionTaken: 'Nothing',
        supportOffered: false,
        loggedOnSchoolSystem: false,
      },
    );
    assert.equal(refused.statusCode, 403);
    assert.ok(
      (await rowCountWhere(deps.db, 'audit_event', { action: 'encompass:acknowledge', outcome: 'denied' })) >=
        1,
      'the refusal is audited',
    );
    // The school opens the child's record through the relationship recorded as data.
    const notice = await rowById(deps.db, 'encompass_notice', listed[0]!.id);
    const record = await api('GET', `/api/v1/people/${notice.person_id}`, riversideKey);
    assert.equal(record.statusCode, 200, record.body);
    const elsewhere = await api('GET', `/api/v1/people/${notice.person_id}`, academyKey);
    assert.equal(elsewhere.statusCode, 403, 'another school does not');
  });

  it('a bad acknowledgement is a 400 naming each field and changes nothing; a good one clears the notice', async () => {
    const mine = notices.find((n) => n.schoolAgencyId === agencyIds.get('school-riverside-primary-school'))!;
    const bad = await api('POST', `/api/v1/encompass/notices/${mine.id}/acknowledgement`, riversideKey, {
      actionTaken: '   ',
      supportOffered: true,
      loggedOnSchoolSystem: true,
    });
    assert.equal(bad.statusCode, 400, bad.body);
    assert.ok(JSON.stringify(bad.json()).includes('actionTaken'));
    const still = await rowById(deps.db, 'encompass_notice', mine.id);
    assert.equal(still.status, 'released');

    const good = await api('POST', `/api/v1/encompass/notices/${mine.id}/acknowledgement`, riversideKey, {
      actionTaken: 'Class teacher told; the child has a trusted adult to go to and a quiet space at break.',
      supportOffered: true,
      loggedOnSchoolSystem: true,
    });
    assert.equal(good.statusCode, 200, good.body);
    assert.equal(good.json().status, 'acknowledged');
    const list = await api('GET', '/api/v1/encompass/notices?status=unacknowledged', riversideKey);
    assert.ok(
      !(list.json().notices as { id: string }[]).some((n) => n.id === mine.id),
      'acknowledgement clears it',
    );
    const again = await api('POST', `/api/v1/encompass/notices/${mine.id}/acknowledgement`, riversideKey, {
      actionTaken: 'Again',
      supportOffered: true,
      loggedOnSchoolSystem: true,
    });
    assert.equal(again.statusCode, 409);
    // Acknowledged: its escalation does nothing.
    deps.setNow(new Date(Date.parse(FIRST_DAY_BACK) + 3 * 3_600_000));
    assert.equal(await services.encompass.escalate(mine.id), null);
  });

  it('escalates an unacknowledged notice after the configured time: the deputy, then the LA and the force', async () => {
    const theirs = notices.find(
      (n) => n.schoolAgencyId === agencyIds.get('school-harbour-view-high-school'),
    )!;
    const due = Date.parse(FIRST_DAY_BACK);
    deps.setNow(new Date(due + 29 * 60_000));
    assert.equal(await services.encompass.escalate(theirs.id), null, 'not yet: within the configured time');
    deps.setNow(new Date(due + 31 * 60_000));
    assert.equal(await services.encompass.escalate(theirs.id), 'deputy');
    assert.equal(await services.encompass.escalate(theirs.id), null, 'once per stage');
    deps.setNow(new Date(due + 121 * 60_000));
    assert.equal(await services.encompass.escalate(theirs.id), 'local-authority');
    const rows = await deps.db
      .selectFrom('encompass_escalation')
      .select(['stage', 'notified_agency_ids', 'notified_user_ids'])
      .where('notice_id', '=', theirs.id)
      .orderBy('at')
      .execute();
    assert.deepEqual(
      rows.map((r) => r.stage),
      ['deputy', 'local-authority'],
    );
    assert.deepEqual(
      [...rows[1]!.notified_agency_ids].sort(),
      [agencyIds.get('northbridge-csc'), agencyIds.get('police')].sort(),
    );
    // The academy's key still sees it, marked as escalated.
    const seen = await api('GET', `/api/v1/encompass/notices/${theirs.id}`, academyKey);
    assert.equal(seen.statusCode, 200, seen.body);
    assert.equal(seen.json().escalationStage, 'local-authority');
    // The LA stage reaches Northbridge's education safeguarding officer by name: recorded, a
    // message to her own inbox, the notice on her list and page (seen, not hers to acknowledge).
    const officer = await contextOf(services.directory, 'education.safeguarding@harbour.example');
    assert.deepEqual(rows[1]!.notified_user_ids, [officer.principal.userId]);
    const message = await deps.db
      .selectFrom('outbox_message')
      .select(['recipient_agency_id', 'recipient_user_id'])
      .where('type', '=', 'encompass.escalation')
      .where('link', '=', `/encompass/notices/${theirs.id}`)
      .where('recipient_user_id', '=', officer.principal.userId)
      .executeTakeFirst();
    assert.equal(message?.recipient_agency_id, agencyIds.get('northbridge-csc'), 'to the officer by name');
    const listed = await services.encompass.list(officer, { status: 'unacknowledged' });
    assert.ok(
      listed.rows.some((n) => n.id === theirs.id),
      'on the officer’s list once escalated',
    );
    const view = await services.encompass.view(officer, theirs.id);
    assert.equal(view.may.acknowledge, false, 'the school acknowledges its own notice');
    assert.equal((await services.encompass.waitingFor(officer.principal)).escalated, 1);
    // The other school's notice, never escalated, is not the officer's.
    const riversides = notices.find((n) => n.id !== theirs.id)!;
    await assert.rejects(services.encompass.view(officer, riversides.id), { name: 'ForbiddenError' });
    deps.setNow(new Date(FRIDAY_NIGHT.getTime() + 15 * 60_000));
  });

  it('the report lists notices by school with time to acknowledge; a school may not see it', async () => {
    const manager = await contextOf(services.directory, 'mash.manager@harbour.example');
    const rows = await services.encompass.report(manager, new Date(FRIDAY_NIGHT.getTime() - 86_400_000));
    const riverside = rows.find(
      (r) => r.addresseeAgencyId === agencyIds.get('school-riverside-primary-school'),
    )!;
    assert.equal(riverside.notices, 1);
    assert.equal(riverside.acknowledged, 1);
    assert.equal(riverside.acknowledgedLate, 0, 'acknowledged before it was due');
    assert.equal(riverside.meanMinutes, 0, 'the test clock stood still between release and acknowledgement');
    const academy = rows.find(
      (r) => r.addresseeAgencyId === agencyIds.get('school-harbour-view-high-school'),
    )!;
    assert.equal(academy.unacknowledged, 1);
    const dsl = await contextOf(services.directory, 'school.dsl@harbour.example');
    await assert.rejects(services.encompass.report(dsl, new Date(0)), { name: 'ForbiddenError' });
  });
});

describe('where a notice goes when there is no school in the partnership', () => {
  it('a home-educated child’s notice goes to the local authority', async () => {
    const base = danBody({}, 'NB/27/HOME-1');
    const body: DanInput = {
      ...base,
      incident: { ...base.incident, occurredAt: FRIDAY_NIGHT.toISOString() },
      children: [{ ...base.children[0]!, dateOfBirth: '2016-04-04', school: undefined, homeEducated: true }],
    };
    const response = await api('POST', '/api/v1/domestic-abuse-notifications', policeKey, body);
    assert.equal(response.statusCode, 201, response.body);
    const [notice] = response.json().encompassNotices;
    assert.equal(notice.schoolAgencyId, 'local-authority');
    const row = await rowById(deps.db, 'encompass_notice', notice.id);
    assert.equal(row.addressee_agency_id, agencyIds.get('northbridge-csc'));
    assert.equal(row.la_reason, 'home-educated');
    assert.equal(row.school_agency_id, null);
    const manager = await contextOf(services.directory, 'mash.manager@harbour.example');
    const listed = await services.encompass.list(manager, { status: 'unacknowledged' });
    assert.ok(
      listed.rows.some((n) => n.id === notice.id),
      'the LA’s MASH sees it',
    );
    // Addressed to the LA's education safeguarding officer: a message to her by name, first on her
    // home page, hers to acknowledge — not the MASH manager's.
    const officer = await contextOf(services.directory, 'education.safeguarding@harbour.example');
    const messages = await deps.db
      .selectFrom('outbox_message')
      .select(['recipient_agency_id', 'recipient_user_id'])
      .where('type', '=', 'encompass.notice')
      .where('link', '=', `/encompass/notices/${notice.id}`)
      .execute();
    assert.deepEqual(messages, [
      { recipient_agency_id: agencyIds.get('northbridge-csc'), recipient_user_id: officer.principal.userId },
    ]);
    const hers = await services.encompass.list(officer, { status: 'unacknowledged' });
    assert.ok(
      hers.rows.some((n) => n.id === notice.id),
      'on the officer’s list',
    );
    const browser = await signedIn(app, 'education.safeguarding@harbour.example');
    const home = await browser.get('/');
    assert.equal(home.statusCode, 200);
    const panels = [...home.body.matchAll(/<h2 class="govuk-heading-m" id="panel-\d+">([^<]+)<\/h2>/g)].map(
      (m) => m[1],
    );
    assert.equal(panels[0], 'Operation Encompass notices', 'the officer’s notices come first');
    assert.match(home.body, new RegExp(`href="/encompass/notices/${notice.id}"`));
    const acknowledgement = {
      actionTaken: 'Visited the family with the elective home education adviser.',
      supportOffered: true,
      loggedOnSchoolSystem: true,
    };
    await assert.rejects(services.encompass.acknowledge(manager, notice.id, acknowledgement), {
      name: 'ForbiddenError',
    });
    const page = await browser.get(`/encompass/notices/${notice.id}`);
    assert.equal(page.statusCode, 200);
    const done = await browser.post(`/encompass/notices/${notice.id}/acknowledgement`, {
      actionTaken: acknowledgement.actionTaken,
      supportOffered: 'yes',
      loggedOnSchoolSystem: 'yes',
    });
    assert.equal(done.statusCode, 303, done.body);
    const row2 = await deps.db
      .selectFrom('encompass_notice')
      .select(['status', 'acknowledged_by_user_id'])
      .where('id', '=', notice.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row2, { status: 'acknowledged', acknowledged_by_user_id: officer.principal.userId });
  });

  it('a school named only by name (outside the partnership) goes to the local authority too', async () => {
    const base = danBody({}, 'NB/27/AWAY-1');
    const body: DanInput = {
      ...base,
      incident: { ...base.incident, occurredAt: FRIDAY_NIGHT.toISOString() },
      children: [{ ...base.children[0]!, dateOfBirth: '2014-01-20', school: { name: 'Faraway Academy' } }],
    };
    const response = await api('POST', '/api/v1/domestic-abuse-notifications', policeKey, body);
    assert.equal(response.statusCode, 201, response.body);
    const [notice] = response.json().encompassNotices;
    assert.equal(notice.schoolAgencyId, 'local-authority');
    const row = await rowById(deps.db, 'encompass_notice', notice.id);
    assert.equal(row.la_reason, 'school-outside-partnership');
  });
});

describe('a notice is made in the DAN’s transaction', () => {
  it('a DAN that fails after its notices were made writes none of them', async () => {
    const jobs = deps.jobs!;
    const realEnqueue = jobs.enqueue.bind(jobs);
    const before = await noticeCount();
    (jobs as { enqueue: typeof jobs.enqueue }).enqueue = async (trx, queue, data, options) => {
      if (queue === DEADLINE_QUEUE) throw new Error('job queue unavailable');
      return realEnqueue(trx, queue, data, options);
    };
    try {
      const officer = await contextOf(services.directory, 'police.officer@harbour.example');
      await assert.rejects(
        services.frontDoor.submitDan(officer, scenarioDan('NB/27/FAIL-1')),
        /job queue unavailable/,
      );
    } finally {
      (jobs as { enqueue: typeof jobs.enqueue }).enqueue = realEnqueue;
    }
    assert.equal(await noticeCount(), before, 'no notice survives the failed DAN');
  });

  it('an invalid DAN is refused with a 400 and writes no notice', async () => {
    const before = await noticeCount();
    const body = scenarioDan('NB/27/BAD-1');
    const response = await api('POST', '/api/v1/domestic-abuse-notifications', policeKey, {
      ...body,
      children: [{ ...body.children[0]!, school: { agencyCode: 'no-such-school' } }],
    });
    assert.equal(response.statusCode, 400);
    assert.equal(await noticeCount(), before);
  });
});

describe('custody and missing episodes shared with the school (F29)', () => {
  it('police share a child’s custody episode with the school on roll by the same channel', async () => {
    const riverside = agencyIds.get('school-riverside-primary-school')!;
    const child = await deps.db
      .selectFrom('access_relationship')
      .select('person_id')
      .where('agency_id', '=', riverside)
      .where('basis', '=', 'school-on-roll')
      .where('expires_at', 'is', null)
      .executeTakeFirstOrThrow();
    const response = await api('POST', '/api/v1/encompass/episodes', policeKey, {
      personId: child.person_id,
      kind: 'custody',
      policeReference: 'NB/27/CUST-1',
      occurredAt: new Date(FRIDAY_NIGHT.getTime() - 3_600_000).toISOString(),
      place: 'Northbridge custody suite',
      summary: 'Held overnight after an arrest; released to an appropriate adult in the morning.',
    });
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().schoolAgencyId, riverside);
    const event = await rowWhere(deps.db, 'chronology_event', { subject_id: response.json().id });
    assert.equal(event.type, 'custody-episode');
    assert.deepEqual(event.shared_with_agency_ids, [riverside]);
    const listed = await api('GET', '/api/v1/encompass/notices?status=unacknowledged', riversideKey);
    assert.ok(
      (listed.json().notices as { id: string; kind: string }[]).some(
        (n) => n.id === response.json().id && n.kind === 'custody',
      ),
    );
  });

  it('the page picks the child by name and date of birth, without JavaScript, with clear messages', async () => {
    const riverside = agencyIds.get('school-riverside-primary-school')!;
    const child = await deps.db
      .selectFrom('access_relationship')
      .innerJoin('person', 'person.id', 'access_relationship.person_id')
      .select(['person.id', 'person.given_name', 'person.family_name', 'person.date_of_birth'])
      .where('access_relationship.agency_id', '=', riverside)
      .where('access_relationship.basis', '=', 'school-on-roll')
      .where('person.kind', '=', 'child')
      .where('person.date_of_birth', 'is not', null)
      .executeTakeFirstOrThrow();
    const browser = await signedIn(app, 'police.officer@harbour.example');
    const blank = await browser.get('/encompass/episodes/new');
    assert.equal(blank.statusCode, 200);
    assert.doesNotMatch(blank.body, /Harbour id/, 'no raw id to type');
    const [year, month, day] = String(child.date_of_birth).slice(0, 10).split('-');
    const query = new URLSearchParams({
      name: `${child.given_name} ${child.family_name}`,
      'dateOfBirth-day': String(Number(day)),
      'dateOfBirth-month': String(Number(month)),
      'dateOfBirth-year': year!,
    });
    const found = await browser.get(`/encompass/episodes/new?${query}`);
    assert.equal(found.statusCode, 200, found.body);
    assert.match(found.body, new RegExp(`name="personId" type="radio" value="${child.id}"`));
    // Continue without choosing: the error summary says what to do.
    const unchosen = await browser.get(`/encompass/episodes/new?${query}&chosen=yes`);
    assert.equal(unchosen.statusCode, 400);
    assert.match(unchosen.body, /govuk-error-summary/);
    assert.match(unchosen.body, /Choose the child the episode is about/);
    const badDate = await browser.get(
      '/encompass/episodes/new?name=x&dateOfBirth-day=31&dateOfBirth-month=2&dateOfBirth-year=2015',
    );
    assert.equal(badDate.statusCode, 400);
    assert.match(badDate.body, /href="#dateOfBirth-day"/);
    assert.match(badDate.body, /Date of birth must be a real date/);
    const chosen = await browser.get(`/encompass/episodes/new?${query}&chosen=yes&personId=${child.id}`);
    assert.equal(chosen.statusCode, 200);
    assert.match(chosen.body, new RegExp(`${child.given_name} ${child.family_name}`));
    assert.match(chosen.body, new RegExp(`name="personId" value="${child.id}"`));
    // A child the officer may not share about, or none at all, is sent back to the picker.
    const stranger = await browser.post('/encompass/episodes', { personId: 'not-a-child' });
    assert.equal(stranger.statusCode, 400);
    assert.match(stranger.body, /Choose the child the episode is about/);
    await browser.get(`/encompass/episodes/new?personId=${child.id}`);
    const missing = await browser.post('/encompass/episodes', { personId: child.id, kind: 'missing' });
    assert.equal(missing.statusCode, 400);
    for (const field of ['policeReference', 'occurredOn', 'place', 'summary'])
      assert.match(missing.body, new RegExp(`href="#${field}"`), field);
    const shared = await browser.post('/encompass/episodes', {
      personId: child.id,
      kind: 'missing',
      policeReference: 'NB/27/MISS-1',
      occurredOn: '2027-02-12',
      occurredTime: '18:00',
      place: 'Northbridge town centre',
      summary: 'Reported missing by the family; found safe the same evening.',
    });
    assert.equal(shared.statusCode, 303, shared.body);
    assert.match(String(shared.headers.location), /^\/encompass\/notices\/[0-9a-f-]{36}$/);
    // Each search is audited, saying it was made to share an episode.
    const searches = await deps.db
      .selectFrom('audit_event')
      .select(sql<string>`details->>'forAction'`.as('forAction'))
      .where('action', '=', 'person.search')
      .execute();
    assert.ok(searches.some((a) => a.forAction === 'encompass:share'));
  });

  it('a school cannot share an episode (police only), and a bad one is a 400 naming each field', async () => {
    const refused = await api('POST', '/api/v1/encompass/episodes', riversideKey, {
      personId: '00000000-0000-4000-8000-000000000000',
      kind: 'missing',
      policeReference: 'X',
      occurredAt: FRIDAY_NIGHT.toISOString(),
      place: 'x',
      summary: 'x',
    });
    assert.ok([403, 404].includes(refused.statusCode), refused.body);
    const someone = await rowWhere(deps.db, 'person', { kind: 'child' });
    const bad = await api('POST', '/api/v1/encompass/episodes', policeKey, {
      personId: someone.id,
      kind: 'missing',
      policeReference: '',
      occurredAt: '2099-01-01T00:00:00Z',
      place: '',
      summary: '',
    });
    assert.equal(bad.statusCode, 400, bad.body);
    const text = JSON.stringify(bad.json());
    for (const field of ['policeReference', 'occurredAt', 'place', 'summary'])
      assert.ok(text.includes(field), field);
  });
});
