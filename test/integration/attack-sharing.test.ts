import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { transaction } from '../../src/db/database.ts';
import type { RelationshipBasis } from '../../src/platform/access.ts';
import { buildServices } from '../../src/services.ts';
import { grantAccess } from '../helpers/access-relationship.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowById, rowsWhere, rowWhere } from '../helpers/rows.ts';
import { contactPeople, danBody, household as newHousehold } from './front-door-fixtures.ts';
import { api, apiKeyFor, dashAnswers, household, principalFor } from './risk-helpers.ts';

/**
 * Replays the inspection's sharing findings (issue 9: 1, 2, 3, 4, 5 and 7) as an attacker with a
 * partner's key or account would, on whichever backend the suite runs on. Each refusal must be a
 * problem+json 403/404/400 and leave every affected table exactly as it was.
 */
let school: ReturnType<typeof api>;
let police: ReturnType<typeof api>;
let hospital: ReturnType<typeof api>;
let idva: ReturnType<typeof api>;
let gp: ReturnType<typeof api>;
let agencies: Map<string, string>;
let southmereChild: Awaited<ReturnType<typeof household>>;
let northbridgeChild: Awaited<ReturnType<typeof household>>;

/** The tables that hold a person and who may see them. */
const PERSON_TABLES = [
  'person',
  'person_name',
  'person_identifier',
  'person_address',
  'person_contact_detail',
  'access_relationship',
] as const;
const TABLES = [
  ...PERSON_TABLES,
  'contact',
  'contact_person',
  'chronology_event',
  'risk_assessment',
  'dash_expectation',
  'match_review',
  'person_merge',
] as const;

/** Every affected table's row count and a digest of its contents. */
async function snapshot(tables: readonly string[] = TABLES) {
  const out: Record<string, string> = {};
  for (const table of tables) {
    const row = await sql<{ n: string; digest: string | null }>`
      select count(*)::text as n, md5(string_agg(t::text, '|' order by t::text)) as digest
      from ${sql.table(table)} t`.execute(deps.db);
    out[table] = `${row.rows[0]!.n}:${row.rows[0]!.digest}`;
  }
  return out;
}

function assertProblem(response: { statusCode: number; headers: Record<string, unknown> }, status: number) {
  assert.equal(response.statusCode, status);
  assert.match(String(response.headers['content-type']), /application\/problem\+json/);
}

async function grant(personId: string, agencyCode: string, basis: RelationshipBasis) {
  const person = await rowById(deps.db, 'person', personId);
  await grantAccess(
    deps,
    { personId, agencyId: agencies.get(agencyCode)!, areaId: person.area_id, basis },
    'MASH (test setup)',
  );
}

appPerFile({ now: '2026-03-03T10:00:00Z' }, async () => {
  agencies = new Map(
    (await deps.db.selectFrom('agency').select(['id', 'code']).execute()).map((a) => [a.code, a.id]),
  );
  school = api(app, await apiKeyFor(deps, 'school-riverside-primary-school'));
  police = api(app, await apiKeyFor(deps, 'police'));
  hospital = api(app, await apiKeyFor(deps, 'hospital'));
  idva = api(app, await apiKeyFor(deps, 'idva-service'));
  gp = api(app, await apiKeyFor(deps, 'gp-riverside'));
  southmereChild = await household(deps, 'southmere');
  northbridgeChild = await household(deps, 'northbridge', 1);
});

describe('finding 1: naming a child never grants access to the child’s record', () => {
  it('a Northbridge school’s contact about a Southmere child: accepted, linked, and nothing of the record disclosed or written', async () => {
    const child = await deps.db
      .selectFrom('person')
      .selectAll()
      .where('area_id', '=', southmereChild.areaId)
      .where('kind', '=', 'child')
      .where('nhs_number', 'is not', null)
      .where('date_of_birth', 'is not', null)
      // Born by the test's today: a record dated in the future would be refused as input, not as an attack.
      .where('date_of_birth', '<', deps.now().toISOString().slice(0, 10))
      // A fixed child (names come from the seeded generator; ids are random), so the run is repeatable.
      .orderBy(['family_name', 'given_name', 'date_of_birth'])
      .limit(1)
      .executeTakeFirstOrThrow();
    const before = await snapshot(PERSON_TABLES);

    // Matching first: the caller learns only that a possible match exists.
    const match = await school.post('/api/v1/people/match', {
      kind: 'child',
      givenName: child.given_name,
      familyName: child.family_name,
      dateOfBirth: child.date_of_birth!,
      identifiers: [{ scheme: 'nhs', value: child.nhs_number! }],
    });
    assert.equal(match.statusCode, 200, match.body);
    assert.deepEqual(match.json().candidates, []);
    assert.equal(match.json().otherPossibleMatches, true);
    assert.doesNotMatch(match.body, new RegExp(child.id));

    const contact = await school.post('/api/v1/contacts', {
      sourceCode: '2A',
      referrer: { name: 'A Person', role: 'DSL', organisation: 'Riverside', phone: '01632 960999' },
      address: { line1: '1 Attacker Street', town: 'Northbridge', postcode: 'NB1 4AA' },
      children: [
        {
          givenName: child.given_name,
          familyName: child.family_name,
          dateOfBirth: child.date_of_birth!,
          nhsNumber: child.nhs_number!,
          school: { agencyCode: 'school-riverside-primary-school' },
        },
      ],
      concerns: ['neglect'],
      narrative: 'Trying to find where this child lives now.',
      actionsTaken: 'None.',
      consent: { asked: true, given: true },
      familyKnows: true,
    });
    assert.equal(contact.statusCode, 201, contact.body);
    const body = contact.json();
    assert.doesNotMatch(contact.body, new RegExp(child.id), 'the answer never carries the child’s id');
    assert.deepEqual(body.people, [{ role: 'child', position: 0, outcome: 'received' }]);
    const linked = await rowWhere(deps.db, 'contact_person', { contact_id: body.contactId });
    assert.equal(linked.person_id, child.id, 'the attack path ran: the contact was matched to the child');
    assert.equal(linked.match_outcome, 'linked');
    assert.equal(
      (linked.supplied as { addresses?: { line1: string }[] }).addresses?.[0]?.line1,
      '1 Attacker Street',
      'the supplied address is kept as a fact of the submission',
    );

    assert.deepEqual(
      await snapshot(PERSON_TABLES),
      before,
      'no address, contact detail or relationship added',
    );
    const record = await school.get(`/api/v1/people/${child.id}`);
    assertProblem(record, 403);
    assert.doesNotMatch(record.body, new RegExp(child.family_name));
    const chronology = await school.get(`/api/v1/people/${child.id}/chronology`);
    assertProblem(chronology, 403);

    // The school still sees its own submission and where it stands, nothing of the record.
    const own = await school.get(`/api/v1/contacts/${body.contactId}`);
    assert.equal(own.statusCode, 200);
    assert.doesNotMatch(own.body, new RegExp(child.id));
  });

  it('the school’s "my contacts" page and its contact page show what it sent, and link to no record', async () => {
    const browser = await signedIn(app, 'school.dsl@harbour.example');
    const mine = await browser.get('/front-door/my-contacts');
    assert.equal(mine.statusCode, 200, mine.body.slice(0, 200));
    const latest = await deps.db
      .selectFrom('contact')
      .select('id')
      .where('source_agency_id', '=', agencies.get('school-riverside-primary-school')!)
      .orderBy('received_at', 'desc')
      .executeTakeFirstOrThrow();
    const page = await browser.get(`/front-door/contacts/${latest.id}`);
    assert.equal(page.statusCode, 200);
    const matched = await rowWhere(deps.db, 'contact_person', { contact_id: latest.id });
    assert.doesNotMatch(page.body, new RegExp(matched.person_id));
    assert.doesNotMatch(page.body, /href="\/people\//, 'no link to any person’s record');
  });
});

describe('finding 2: only the force that owes a DASH, or the MASH, settles "DASH awaited"', () => {
  it('a school key with another area’s DAN contactId: 403, and nothing written', async () => {
    const dan = await police.post(
      '/api/v1/domestic-abuse-notifications',
      danBody(
        {
          risk: { dashStatus: 'awaited', officerRiskGrade: 'medium' },
          incident: {
            policeReference: 'SQ/26/ATTACK-2',
            occurredAt: '2026-03-02T21:40:00Z',
            location: { line1: '4 Mere Walk', town: 'Southmere', postcode: 'SQ2 3AB' },
            circumstances: 'Shouting heard by neighbours; police attended.',
          },
        } as never,
        'SQ/26/ATTACK-2',
        newHousehold(),
      ),
    );
    assert.equal(dan.statusCode, 201, dan.body);
    const contactId = dan.json().contactId;
    // The DAN names the school for its children: that school may see the DAN exists, but may not
    // assess its adults or settle what the police owe.
    const victimId = (await contactPeople(deps, contactId, 'victim'))[0]!;
    const awaited = () =>
      deps.db
        .selectFrom('dash_expectation')
        .select('status')
        .where('contact_id', '=', contactId)
        .executeTakeFirstOrThrow();
    assert.equal((await awaited()).status, 'awaited');
    const before = await snapshot();
    const attack = await school.post('/api/v1/risk-assessments', {
      instrumentId: 'safelives-dash-ric',
      instrumentVersion: '1',
      victimPersonId: victimId,
      contactId,
      answers: dashAnswers('safelives-dash-ric', '1', 0),
    });
    assertProblem(attack, 403);
    assert.deepEqual(await snapshot(), before);
    assert.equal((await awaited()).status, 'awaited');

    // An agency the MASH asked about the DAN may add its own assessment, which settles nothing.
    await grant(victimId, 'idva-service', 'enquiry');
    const party = await idva.post('/api/v1/risk-assessments', {
      instrumentId: 'safelives-dash-ric',
      instrumentVersion: '1',
      victimPersonId: victimId,
      answers: dashAnswers('safelives-dash-ric', '1', 2),
    });
    assert.equal(party.statusCode, 201, party.body);
    assert.equal(party.json().attachedToAwaited, null);
    assert.equal((await awaited()).status, 'awaited');

    // The force that owes it settles it, naming its own DAN.
    const owed = await police.post('/api/v1/risk-assessments', {
      instrumentId: 'police-dash-2009',
      instrumentVersion: '1',
      victimPersonId: victimId,
      contactId,
      answers: dashAnswers('police-dash-2009', '1', 3),
    });
    assert.equal(owed.statusCode, 201, owed.body);
    assert.equal((await awaited()).status, 'received');
  });
});

describe('finding 3: provenance is the caller’s, and a write names only records the caller may see', () => {
  it('an event with another agency as its source: 400 naming sourceAgencyId, nothing written', async () => {
    await grant(northbridgeChild.childId, 'school-riverside-primary-school', 'school-on-roll');
    const before = await snapshot();
    const forged = await school.post(`/api/v1/people/${northbridgeChild.childId}/events`, {
      type: 'case-closure',
      occurredAt: '2026-03-01T10:00:00Z',
      significance: 'high',
      summary: 'Case closed by children’s services.',
      sourceAgencyId: agencies.get('northbridge-csc'),
    });
    assertProblem(forged, 400);
    assert.ok(forged.json().errors.some((e: { field: string }) => e.field === 'sourceAgencyId'));
    assert.deepEqual(await snapshot(), before);
    const honest = await school.post(`/api/v1/people/${northbridgeChild.childId}/events`, {
      type: 'school-concern',
      occurredAt: '2026-03-01T10:00:00Z',
      significance: 'medium',
      summary: 'Upset in class.',
      sourceAgencyId: agencies.get('school-riverside-primary-school'),
    });
    assert.equal(honest.statusCode, 201, honest.body);
  });

  it('an assessment naming children or perpetrators the caller may not see: 403, nothing written', async () => {
    const mother = northbridgeChild.parentIds[0]!;
    await grant(mother, 'idva-service', 'allocated-worker');
    const assessment = (extra: Record<string, unknown>) => ({
      instrumentId: 'safelives-dash-ric',
      instrumentVersion: '1',
      victimPersonId: mother,
      answers: dashAnswers('safelives-dash-ric', '1', 4),
      ...extra,
    });
    const before = await snapshot();
    for (const extra of [
      { childPersonIds: [southmereChild.childId] },
      { perpetratorPersonIds: [southmereChild.parentIds[1]!] },
      { childPersonIds: [northbridgeChild.childId] },
    ]) {
      const refused = await idva.post('/api/v1/risk-assessments', assessment(extra));
      assertProblem(refused, 403);
    }
    const unknownContact = await idva.post(
      '/api/v1/risk-assessments',
      assessment({ contactId: '00000000-0000-4000-8000-000000000000' }),
    );
    assertProblem(unknownContact, 404);
    assert.deepEqual(await snapshot(), before);

    // Without naming them, the victim's own linked children still get the entry, unnamed to the IDVA.
    const allowed = await idva.post('/api/v1/risk-assessments', assessment({}));
    assert.equal(allowed.statusCode, 201, allowed.body);
    assert.deepEqual(allowed.json().childPersonIds, []);
  });
});

describe('finding 4: the risk API follows the chronology’s sharing groups', () => {
  it('a hospital with a relationship sees health evidence but no police or probation summaries', async () => {
    const childId = northbridgeChild.childId;
    await grant(childId, 'hospital', 'allocated-worker');
    const officer = await principalFor(deps, 'police.officer@harbour.example');
    const record = async (summary: string, i: number) =>
      transaction(deps.db, async (trx) =>
        buildServices(deps).chronology.record(trx, { principal: officer }, [
          {
            personId: childId,
            areaId: northbridgeChild.areaId,
            type: 'dan',
            occurredAt: new Date(Date.parse('2026-02-20T10:00:00Z') - i * 86_400_000),
            significance: 'medium',
            summary,
            data: { riskGrade: 'standard', incidentRef: `NB-ATTACK-${i}` },
          },
        ]),
      );
    for (let i = 0; i < 4; i++) await record(`POLICE-SECRET-${i}`, i);
    const chronology = await hospital.get(`/api/v1/people/${childId}/chronology`);
    assert.equal(chronology.statusCode, 200);
    assert.doesNotMatch(chronology.body, /POLICE-SECRET/);
    const risk = await hospital.get(`/api/v1/people/${childId}/risk`);
    assert.equal(risk.statusCode, 200, risk.body);
    assert.doesNotMatch(risk.body, /POLICE-SECRET/, 'no police summary in the evidence');
    const body = risk.json();
    const policeEventIds = (
      await rowsWhere(deps.db, 'chronology_event', { person_id: childId, source_agency_kind: 'police' })
    ).map((e) => e.id);
    assert.ok(policeEventIds.length >= 4);
    for (const id of policeEventIds) {
      assert.equal(body.evidence[id], undefined);
      assert.ok(!body.findings.some((f: { eventIds: string[] }) => f.eventIds.includes(id)));
    }
    // The MASH's own system sees them all, so the filter is the sharing rule and not the engine.
    const mash = api(app, await apiKeyFor(deps, 'northbridge-csc'));
    const full = await mash.get(`/api/v1/people/${childId}/risk`);
    assert.match(full.body, /POLICE-SECRET/);
  });
});

describe('finding 5: a match review across areas is no one area’s to see or settle', () => {
  it('Northbridge sees only its own record, cannot merge, and its "not the same" waits for Southmere', async () => {
    const review = await deps.db
      .insertInto('match_review')
      .values({
        area_id: northbridgeChild.areaId,
        person_id: northbridgeChild.childId,
        candidate_id: southmereChild.childId,
        score: 12,
        band: 'review',
        reasons: JSON.stringify([]),
        origin: 'resolve',
        created_by_agency_id: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const other = await rowById(deps.db, 'person', southmereChild.childId);
    const northbridge = await signedIn(app, 'social.worker@harbour.example');
    const list = await northbridge.get('/match-review');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /A record held by another area/);
    assert.doesNotMatch(list.body, new RegExp(southmereChild.childId));
    const pair = await northbridge.get(`/match-review/${review.id}`);
    assert.equal(pair.statusCode, 200);
    assert.doesNotMatch(pair.body, new RegExp(`${other.given_name} ${other.family_name}`));
    assert.doesNotMatch(pair.body, new RegExp(southmereChild.childId));

    const before = await snapshot();
    const merge = await northbridge.post(`/match-review/${review.id}`, {
      decision: 'link',
      note: 'Same child',
    });
    assert.equal(merge.statusCode, 403);
    assert.deepEqual(await snapshot(), before, 'no merge across areas by one area');

    const notSame = await northbridge.post(`/match-review/${review.id}`, {
      decision: 'not-same',
      note: 'Different child',
    });
    assert.equal(notSame.statusCode, 303);
    const waiting = await rowById(deps.db, 'match_review', review.id);
    assert.equal(waiting.status, 'pending', 'one area alone cannot settle it');
    assert.deepEqual(waiting.not_same_area_ids, [northbridgeChild.areaId]);

    const southmere = await signedIn(app, 'southmere.front.door@harbour.example');
    const theirs = await southmere.get(`/match-review/${review.id}`);
    assert.equal(theirs.statusCode, 200);
    assert.doesNotMatch(theirs.body, new RegExp(northbridgeChild.childId));
    const agreed = await southmere.post(`/match-review/${review.id}`, {
      decision: 'not-same',
      note: 'Agreed',
    });
    assert.equal(agreed.statusCode, 303);
    const settled = await rowById(deps.db, 'match_review', review.id);
    assert.equal(settled.status, 'not-same');
  });
});

describe('finding 7: person:create respects the key’s areas', () => {
  it('a Northbridge-only key cannot create a Southmere person: 403 before matching, nothing written', async () => {
    const person = {
      kind: 'child',
      givenName: 'Wrenna',
      familyName: 'Outofarea',
      dateOfBirth: '2018-06-01',
      addresses: [{ line1: '9 Mere Walk', postcode: 'SQ2 3AB' }],
    };
    const before = await snapshot();
    const refused = await gp.post('/api/v1/people', { ...person, createAnyway: true });
    assertProblem(refused, 403);
    assert.deepEqual(await snapshot(), before);
    const inArea = await gp.post('/api/v1/people', {
      ...person,
      addresses: [{ line1: '9 Mill Lane', postcode: 'NB3 2PQ' }],
    });
    assert.equal(inArea.statusCode, 201, inArea.body);
  });
});
