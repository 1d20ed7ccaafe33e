import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { BUILT_IN_FLAG_TYPES, type PersonKind } from '../../src/domain/flags.ts';
import { DEMO_USERS } from '../../src/modules/demo/partnership.ts';
import { CONTACT_SECTIONS } from '../../src/modules/front-door/contact-record.ts';
import { seedMaracDemo } from '../../src/modules/marac/demo.ts';
import {
  type Action,
  decide,
  decideEncompassNotice,
  decideFlagRaise,
  decideInArea,
  decideMaracMeeting,
  decideNotificationRead,
  decideStrategyDiscussion,
  decideUndeliveredView,
  encompassNoticeScope,
  grantedScopes,
  maracResearchVisible,
  type Relationship,
  type RelationshipBasis,
  type Resource,
} from '../../src/platform/access.ts';
import type { Principal } from '../../src/platform/principal.ts';
import { buildServices } from '../../src/services.ts';
import { Browser } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { contactBody, danBody, household } from './front-door-fixtures.ts';
import { apiKeyFor, principalFor } from './risk-helpers.ts';

/**
 * Visits the person, contact, enquiry, match-review and chronology URLs of a demo partnership
 * (pages and API; every contact, enquiry and review, and the people of every kind of relationship)
 * as every demo user and every agency's API key, and checks each answer against
 * the access policy's own decision, computed here from the rows of the relationship data. A route
 * that lets anyone see more, or less, than `decide` says fails this test.
 */

interface Target {
  url: string;
  channel: 'page' | 'api';
  /** The policy's decision for this principal, from the data. */
  expect: (principal: Principal) => boolean;
  /** What an allowed answer must and must not hold for this principal: a mismatch, or null. */
  check?: (principal: Principal, body: string) => string | null;
}

const asRelationship = (r: { agency_id: string; basis: string; expires_at: Date | null }): Relationship => ({
  agencyId: r.agency_id,
  basis: r.basis as RelationshipBasis,
  expiresAt: r.expires_at ? new Date(r.expires_at) : null,
});

async function targets(): Promise<Target[]> {
  const asOf = deps.now();
  const relationships = await deps.db.selectFrom('access_relationship').selectAll().execute();
  // Everyone on a contact or a review pair (every enquiry and named-agency relationship, and no
  // relationship at all for most agencies), and a demo household per area (the standing school,
  // GP and health-visiting relationships): every situation the policy distinguishes, at a size
  // that keeps the crawl inside a couple of minutes.
  const involved = new Set([
    ...(await deps.db.selectFrom('contact_person').select('person_id').execute()).map((r) => r.person_id),
    ...(await deps.db.selectFrom('match_review').select(['person_id', 'candidate_id']).execute()).flatMap(
      (r) => [r.person_id, r.candidate_id],
    ),
  ]);
  const everyone = await deps.db
    .selectFrom('person')
    .select(['id', 'area_id', 'kind'])
    .where('merged_into_id', 'is', null)
    .orderBy('id')
    .execute();
  const perArea = new Map<string, number>();
  const people = everyone.filter((p) => {
    if (involved.has(p.id)) return true;
    const n = perArea.get(p.area_id) ?? 0;
    perArea.set(p.area_id, n + 1);
    return n < 4;
  });
  const out: Target[] = [];
  const allowed = (action: Action, resource: Resource) => (p: Principal) =>
    decide(p, action, resource).allowed;
  for (const person of people) {
    const resource: Resource = {
      areaId: person.area_id,
      relationships: relationships.filter((r) => r.person_id === person.id).map(asRelationship),
      asOf,
    };
    out.push(
      { url: `/people/${person.id}`, channel: 'page', expect: allowed('person:view', resource) },
      { url: `/api/v1/people/${person.id}`, channel: 'api', expect: allowed('person:view', resource) },
      // The record's change history is shown to whoever may see the record (decision 0016).
      { url: `/people/${person.id}/changes`, channel: 'page', expect: allowed('person:view', resource) },
      {
        url: `/people/${person.id}/chronology`,
        channel: 'page',
        expect: allowed('chronology:view', resource),
      },
      {
        url: `/api/v1/people/${person.id}/chronology`,
        channel: 'api',
        expect: allowed('chronology:view', resource),
      },
      // The raise-a-flag page: open when the agency's kind owns a type of flag for this person.
      {
        url: `/people/${person.id}/flags/new`,
        channel: 'page',
        expect: (p: Principal) =>
          BUILT_IN_FLAG_TYPES.some(
            (t) =>
              t.appliesTo.includes(person.kind as PersonKind) &&
              decideFlagRaise(p, resource, t.raisedBy).allowed,
          ),
      },
    );
  }
  let sectionsAdded = false;
  for (const contact of await deps.db
    .selectFrom('contact')
    .select(['id', 'area_id', 'source_agency_id'])
    .execute()) {
    const resource: Resource = {
      areaId: contact.area_id,
      suppliedBy: contact.source_agency_id,
      relationships: relationships.filter((r) => r.contact_id === contact.id).map(asRelationship),
      asOf,
    };
    out.push(
      {
        url: `/front-door/contacts/${contact.id}`,
        channel: 'page',
        expect: allowed('contact:view', resource),
      },
      { url: `/api/v1/contacts/${contact.id}`, channel: 'api', expect: allowed('contact:view', resource) },
    );
    // Each section of the contact record is its own page; one contact's are enough to try them all.
    if (!sectionsAdded)
      for (const section of CONTACT_SECTIONS.filter((s) => s !== 'summary'))
        out.push({
          url: `/front-door/contacts/${contact.id}/${section}`,
          channel: 'page',
          expect: allowed('contact:view', resource),
        });
    sectionsAdded = true;
  }
  for (const enquiry of await deps.db.selectFrom('enquiry').select(['id', 'area_id']).execute()) {
    const resource: Resource = {
      areaId: enquiry.area_id,
      relationships: relationships.filter((r) => r.episode_id === enquiry.id).map(asRelationship),
      asOf,
    };
    out.push({
      url: `/front-door/enquiries/${enquiry.id}`,
      channel: 'page',
      expect: allowed('enquiry:respond', resource),
    });
  }
  const participants = await deps.db.selectFrom('strategy_discussion_participant').selectAll().execute();
  for (const sd of await deps.db
    .selectFrom('strategy_discussion')
    .select(['id', 'area_id', 'requested_by_agency_id'])
    .execute()) {
    const parties = {
      areaId: sd.area_id,
      requestedByAgencyId: sd.requested_by_agency_id,
      participantAgencyIds: participants.filter((p) => p.discussion_id === sd.id).map((p) => p.agency_id),
    };
    const expect = (p: Principal) => decideStrategyDiscussion(p, 'strategy-discussion:view', parties).allowed;
    out.push(
      { url: `/strategy-discussions/${sd.id}`, channel: 'page', expect },
      { url: `/api/v1/strategy-discussions/${sd.id}`, channel: 'api', expect },
    );
  }
  // MARAC: each case as the policy sees it (its episode's relationships), each agency's research
  // shown only to whom maracResearchVisible allows, and each meeting to its coordinator and parties.
  const maracMeetings = await deps.db.selectFrom('marac_meeting').selectAll().execute();
  const research = await deps.db.selectFrom('marac_research').selectAll().execute();
  for (const c of await deps.db.selectFrom('marac_case').selectAll().execute()) {
    const resource: Resource = {
      areaId: c.area_id,
      relationships: relationships.filter((r) => r.episode_id === c.id).map(asRelationship),
      asOf,
    };
    const meeting = maracMeetings.find((m) => m.id === c.meeting_id);
    const started = (meeting !== undefined && meeting.status !== 'scheduled') || c.status === 'discussed';
    const returned = research.filter((r) => r.case_id === c.id && r.information);
    out.push({
      url: `/marac/cases/${c.id}`,
      channel: 'page',
      expect: allowed('marac:view', resource),
      check: (p, body) => {
        for (const r of returned) {
          const visible = maracResearchVisible(
            p,
            { agencyId: r.agency_id },
            { areaId: c.area_id, meetingStarted: started },
          );
          if (visible !== body.includes(r.information!))
            return `research of agency ${r.agency_id} ${visible ? 'missing' : 'shown before the meeting'}`;
        }
        return null;
      },
    });
  }
  for (const m of maracMeetings) {
    const caseIds = new Set(
      (await deps.db.selectFrom('marac_case').select('id').where('meeting_id', '=', m.id).execute()).map(
        (c) => c.id,
      ),
    );
    const parties = {
      areaId: m.area_id,
      participantAgencyIds: research.filter((r) => caseIds.has(r.case_id)).map((r) => r.agency_id),
    };
    const expect = (p: Principal) => decideMaracMeeting(p, parties).allowed;
    out.push(
      { url: `/marac/meetings/${m.id}`, channel: 'page', expect },
      { url: `/api/v1/marac/meetings/${m.id}`, channel: 'api', expect },
    );
  }
  out.push({ url: '/marac', channel: 'page', expect: allowed('marac:coordinate', {}) });
  const reviews = await deps.db
    .selectFrom('match_review')
    .innerJoin('person as a', 'a.id', 'match_review.person_id')
    .innerJoin('person as b', 'b.id', 'match_review.candidate_id')
    .select(['match_review.id', 'a.area_id as a_area', 'b.area_id as b_area'])
    .execute();
  for (const review of reviews) {
    out.push({
      url: `/match-review/${review.id}`,
      channel: 'page',
      // In reach when either record is in an area where the principal may merge.
      expect: (p) =>
        decideInArea(p, 'person:merge', review.a_area).allowed ||
        decideInArea(p, 'person:merge', review.b_area).allowed,
    });
  }
  // Operation Encompass (docs/encompass.md): every notice, its lists, report and administration.
  // A notice held for the force's review is not yet its addressee's; one escalated is also seen
  // by the agencies it was escalated to (the LA's education safeguarding officer).
  const escalatedTo = new Map<string, string[]>();
  for (const e of await deps.db
    .selectFrom('encompass_escalation')
    .select(['notice_id', 'notified_agency_ids'])
    .execute())
    escalatedTo.set(e.notice_id, [...(escalatedTo.get(e.notice_id) ?? []), ...e.notified_agency_ids]);
  for (const n of await deps.db
    .selectFrom('encompass_notice')
    .select(['id', 'area_id', 'addressee_agency_id', 'source_agency_id', 'status'])
    .execute()) {
    const parties = {
      areaId: n.area_id,
      addresseeAgencyId: n.addressee_agency_id,
      sourceAgencyId: n.source_agency_id,
      heldForReview: n.status === 'awaiting-review',
      escalatedToAgencyIds: escalatedTo.get(n.id) ?? [],
    };
    out.push({
      url: `/encompass/notices/${n.id}`,
      channel: 'page',
      expect: (p) => decideEncompassNotice(p, 'encompass:view', parties).allowed,
    });
  }
  const grantedAny = (action: Action) => (p: Principal) => grantedScopes(p, action).length > 0;
  out.push(
    {
      url: '/encompass/notices',
      channel: 'page',
      expect: (p) => encompassNoticeScope(p, 'encompass:view') !== null,
    },
    { url: '/encompass/report', channel: 'page', expect: grantedAny('encompass:report') },
    { url: '/encompass/episodes/new', channel: 'page', expect: grantedAny('encompass:share') },
    { url: '/admin/encompass/schools', channel: 'page', expect: grantedAny('encompass:administer') },
    { url: '/admin/encompass/calendar', channel: 'page', expect: grantedAny('encompass:administer') },
    { url: '/front-door/early-help/inbox', channel: 'page', expect: grantedAny('early-help:manage') },
  );
  // The outbox's pages (docs/notifications.md): every in-app message, the inbox and preferences,
  // the administrators' report and agency settings, and the sender's undelivered list.
  const inbox = (p: Principal) => grantedScopes(p, 'notification:inbox').length > 0 && p.agencyId !== null;
  const granted = (action: Action) => (p: Principal) => grantedScopes(p, action).length > 0;
  out.push(
    { url: '/inbox', channel: 'page', expect: inbox },
    { url: '/inbox?show=unread', channel: 'page', expect: inbox },
    { url: '/inbox/preferences', channel: 'page', expect: inbox },
    { url: '/admin/notifications', channel: 'page', expect: granted('notification:report') },
    {
      url: '/admin/notifications?status=dead-letter',
      channel: 'page',
      expect: granted('notification:report'),
    },
    { url: '/admin/notifications/agencies', channel: 'page', expect: granted('notification:configure') },
    {
      url: '/notifications/undelivered',
      channel: 'page',
      expect: (p) => p.agencyId !== null && decideUndeliveredView(p, { senderAgencyId: p.agencyId }).allowed,
    },
  );
  const someAgency = await deps.db
    .selectFrom('agency')
    .select('id')
    .orderBy('code')
    .executeTakeFirstOrThrow();
  out.push({
    url: `/admin/notifications/agencies/${someAgency.id}`,
    channel: 'page',
    expect: granted('notification:configure'),
  });
  const messages = await deps.db
    .selectFrom('outbox_delivery as d')
    .innerJoin('outbox_message as m', 'm.id', 'd.message_id')
    .select(['d.id', 'm.recipient_agency_id', 'm.recipient_user_id'])
    .where('d.channel', '=', 'in-app')
    .execute();
  for (const m of messages)
    out.push({
      url: `/inbox/${m.id}`,
      channel: 'page',
      expect: (p) =>
        decideNotificationRead(p, {
          recipientAgencyId: m.recipient_agency_id,
          recipientUserId: m.recipient_user_id,
        }).allowed,
    });
  // Bulk transfers' reconciliation reports (docs/health.md): the agency whose records a run loaded.
  out.push({ url: '/imports', channel: 'page', expect: granted('import:report') });
  for (const run of await deps.db.selectFrom('import_run').select(['id', 'agency_id']).execute()) {
    const expect = allowed('import:report', { suppliedBy: run.agency_id });
    out.push(
      { url: `/imports/${run.id}`, channel: 'page', expect },
      { url: `/imports/${run.id}?outcome=rejected&sort=score&order=desc`, channel: 'page', expect },
      { url: `/imports/${run.id}/report.csv`, channel: 'page', expect },
      { url: `/api/v1/imports/${run.id}/report`, channel: 'api', expect },
    );
  }
  return out;
}

/** Runs `work` over `items`, a few at a time. */
async function inBatches<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>) {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

appPerFile({ now: '2026-03-03T10:00:00Z' }, async () => {
  // Relationships of every kind the front door records: a DAN naming a school and a GP, a
  // school's contact, enquiries (one still open, one whose contact closed long enough ago for its
  // relationships to have expired), and match reviews within and across areas.
  const service = buildServices(deps).frontDoor;
  const police = await principalFor(deps, 'police.officer@harbour.example');
  const worker = await principalFor(deps, 'social.worker@harbour.example');
  const school = await principalFor(deps, 'school.dsl@harbour.example');
  const agencyId = async (code: string) =>
    (await deps.db.selectFrom('agency').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
  const open = (await service.submitDan({ principal: police }, danBody({}, 'NB/26/CRAWL-1', household())))
    .body;
  await service.submitContact({ principal: school }, contactBody({}, household()));
  const closed = (await service.submitDan({ principal: police }, danBody({}, 'NB/26/CRAWL-2', household())))
    .body;
  await service.sendEnquiries({ principal: worker }, open.contactId, {
    agencyIds: [await agencyId('community-health'), await agencyId('probation')],
    question: 'What do you know of this family?',
  });
  deps.setNow(new Date('2026-01-05T10:00:00Z'));
  await service.sendEnquiries({ principal: worker }, closed.contactId, {
    agencyIds: [await agencyId('hospital')],
    question: 'Any attendances?',
  });
  await service.decide({ principal: worker }, closed.contactId, {
    levelOfNeed: '1',
    outcome: 'universal-services',
    rationale: 'Below threshold.',
    feedback: 'Signposted to universal services.',
  });
  deps.setNow(new Date('2026-03-03T10:00:00Z'));
  // A strategy discussion a school asked for, scheduled (its invitations are relationships), and
  // one still requested: participants see them, nobody else does.
  const strategy = buildServices(deps).strategyDiscussions;
  const manager = await principalFor(deps, 'mash.manager@harbour.example');
  const [firstChild, secondChild] = await deps.db
    .selectFrom('contact_person')
    .select('person_id')
    .where('role', '=', 'child')
    .orderBy('person_id')
    .limit(2)
    .execute();
  const scheduled = await strategy.request(
    { principal: school },
    {
      childPersonIds: [firstChild!.person_id],
      reason: 'Disclosure at school',
    },
  );
  await strategy.schedule({ principal: manager }, scheduled.id, {
    scheduledFor: new Date('2026-03-04T10:00:00Z'),
    joiningDetail: 'Room 1',
  });
  await strategy.request(
    { principal: police },
    { childPersonIds: [secondChild!.person_id], reason: 'Repeat call-outs' },
  );
  const areas = await deps.db.selectFrom('area').select(['id', 'code']).execute();
  const childIn = async (code: string, offset: number) =>
    (
      await deps.db
        .selectFrom('person')
        .select('id')
        .where('area_id', '=', areas.find((a) => a.code === code)!.id)
        .where('kind', '=', 'child')
        .orderBy('id')
        .offset(offset)
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;
  const pair = async (a: string, b: string, areaCode: string) =>
    deps.db
      .insertInto('match_review')
      .values({
        area_id: areas.find((x) => x.code === areaCode)!.id,
        person_id: a,
        candidate_id: b,
        score: 10,
        band: 'review',
        reasons: JSON.stringify([]),
        origin: 'resolve',
        created_by_agency_id: null,
      })
      .execute();
  // A bulk transfer of community health's records, one row created and one rejected.
  await buildServices(deps).transfer.importPeople(
    { principal: await principalFor(deps, 'mash.health@harbour.example') },
    {
      fileName: 'crawl-caseload.csv',
      rows: [
        {
          reference: 'CRAWL-T1',
          kind: 'child',
          givenName: 'Crawlina',
          familyName: 'Transferton',
          dateOfBirth: '2019-04-04',
          postcode: 'NB1 2AA',
        },
        { reference: 'CRAWL-T2', kind: 'child', givenName: '', familyName: 'Nameless', postcode: 'NB1 2AA' },
      ],
    },
  );
  // Outbox messages to an agency and to one person by name (the invitations above add more).
  const outbox = buildServices(deps).notifications;
  const dsl = await principalFor(deps, 'school.dsl@harbour.example');
  await transaction(deps.db, async (trx) => {
    await outbox.enqueue(
      trx,
      { principal: manager },
      {
        type: 'action.assigned',
        to: { agencyId: dsl.agencyId! },
        reference: 'ACT-CRAWL1',
        subject: 'An action for your agency',
        link: '/actions',
      },
    );
    await outbox.enqueue(
      trx,
      { principal: manager },
      {
        type: 'action.assigned',
        to: { agencyId: dsl.agencyId!, userId: dsl.userId! },
        reference: 'ACT-CRAWL2',
        subject: 'An action for you',
        link: '/actions',
      },
    );
  });
  await pair(await childIn('northbridge', 0), await childIn('northbridge', 1), 'northbridge');
  await pair(await childIn('northbridge', 2), await childIn('southmere', 0), 'northbridge');
  // MARAC's demo: a held meeting (its research shared) and next week's (research still hidden).
  assert.ok(await seedMaracDemo(buildServices(deps)), 'the MARAC demo found its households');
});

describe('every case URL answers as the access policy decides from the relationship data', () => {
  it('the fixture holds every front-door relationship: current and expired enquiries, named agencies', async () => {
    const rows = await deps.db.selectFrom('access_relationship').select(['basis', 'expires_at']).execute();
    const bases = new Set(rows.map((r) => r.basis));
    for (const basis of ['enquiry', 'school-on-roll', 'registered-gp'])
      assert.ok(bases.has(basis as never), `a ${basis} relationship exists`);
    assert.ok(
      rows.some((r) => r.basis === 'enquiry' && r.expires_at && new Date(r.expires_at) < deps.now()),
      'an expired enquiry relationship exists',
    );
    assert.ok(
      rows.some((r) => r.basis === 'enquiry' && r.expires_at === null),
      'a current one too',
    );
  });

  it('the fixture holds MARAC research both hidden (meeting to come) and shared (meeting held)', async () => {
    const rows = await deps.db
      .selectFrom('marac_research as r')
      .innerJoin('marac_case as c', 'c.id', 'r.case_id')
      .innerJoin('marac_meeting as m', 'm.id', 'c.meeting_id')
      .select(['m.status'])
      .where('r.information', 'is not', null)
      .execute();
    assert.ok(rows.some((r) => r.status === 'scheduled'));
    assert.ok(rows.some((r) => r.status === 'held'));
  });

  it('pages, as every demo user', async () => {
    const all = (await targets()).filter((t) => t.channel === 'page');
    const mismatches: string[] = [];
    let allowedSeen = 0;
    let refusedSeen = 0;
    for (const user of DEMO_USERS) {
      const principal = await principalFor(deps, user.email);
      const browser = new Browser(app);
      const signedIn = await browser.signIn(user.email);
      assert.equal(signedIn.statusCode, 303, `${user.email} signs in`);
      await inBatches(all, 6, async (target) => {
        const expected = target.expect(principal);
        const response = await browser.get(target.url);
        const ok = response.statusCode === 200;
        const refused = response.statusCode === 403 || response.statusCode === 404;
        if (expected) allowedSeen++;
        else refusedSeen++;
        if ((expected && !ok) || (!expected && !refused))
          mismatches.push(
            `${user.email} ${target.url}: policy says ${expected ? 'allow' : 'refuse'}, route answered ${response.statusCode}`,
          );
        const wrong = ok && target.check ? target.check(principal, response.body) : null;
        if (wrong) mismatches.push(`${user.email} ${target.url}: ${wrong}`);
      });
    }
    assert.deepEqual(mismatches, []);
    assert.ok(allowedSeen > 0 && refusedSeen > 0, 'the crawl saw both answers');
  });

  it('the API, as every agency’s key', async () => {
    const all = (await targets()).filter((t) => t.channel === 'api');
    const agencies = await deps.db.selectFrom('agency').select('code').orderBy('code').execute();
    const directory = buildServices(deps).directory;
    const mismatches: string[] = [];
    let allowedSeen = 0;
    for (const { code } of agencies) {
      const key = await apiKeyFor(deps, code);
      const principal = (await directory.principalForApiKey(key))!;
      await inBatches(all, 8, async (target) => {
        const expected = target.expect(principal);
        const response = await app.inject({ url: target.url, headers: { authorization: `Bearer ${key}` } });
        const ok = response.statusCode === 200;
        const refused =
          (response.statusCode === 403 || response.statusCode === 404) &&
          /application\/problem\+json/.test(String(response.headers['content-type']));
        if (expected) allowedSeen++;
        if ((expected && !ok) || (!expected && !refused))
          mismatches.push(
            `${code} ${target.url}: policy says ${expected ? 'allow' : 'refuse'}, route answered ${response.statusCode}`,
          );
      });
    }
    assert.deepEqual(mismatches, []);
    assert.ok(allowedSeen > 0);
  });
});
