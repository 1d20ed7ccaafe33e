import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { assertNamesFields, problemFields } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowCount, rowCountWhere } from '../helpers/row-count.ts';
import { rowById, rowsWhere, rowWhere } from '../helpers/rows.ts';
import { apiKeyFor, contactBody, contactPeople, danBody, household } from './front-door-fixtures.ts';

let policeKey: string;
let schoolKey: string;
let healthKey: string;

appPerFile({ now: '2026-03-03T10:00:00Z' }, async () => {
  policeKey = await apiKeyFor(deps, 'police');
  schoolKey = await apiKeyFor(deps, 'school-riverside-primary-school');
  healthKey = await apiKeyFor(deps, 'community-health');
});

function post(url: string, key: string, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${key}`, ...headers },
    payload: body as object,
  });
}

/** A DAN as the police's system sends it, with any request headers given. */
function danFromPolice(body: unknown, headers: Record<string, string> = {}) {
  return post('/api/v1/domestic-abuse-notifications', policeKey, body, headers);
}

describe('POST /api/v1/domestic-abuse-notifications', () => {
  it('accepts a DAN: 201 with the contact, every person matched, the RAG and the decision deadline', async () => {
    const response = await danFromPolice(danBody({}, 'NB/26/API-1'));
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.match(body.contactId, /^[0-9a-f-]{36}$/);
    assert.match(body.reference, /^FD-\d{6}$/);
    assert.deepEqual(
      body.people.map((p: { role: string }) => p.role),
      ['victim', 'suspect', 'child', 'child'],
    );
    // Decision 0008: the force has no relationship with these people, so it is told only that each
    // was received (this line used to assert it learnt linked/new/review, and each record's id).
    assert.ok(
      body.people.every(
        (p: { outcome: string; personId?: string }) => p.outcome === 'received' && !p.personId,
      ),
    );
    const matched = await rowsWhere(deps.db, 'contact_person', { contact_id: body.contactId });
    assert.ok(matched.every((m) => ['linked', 'new', 'review'].includes(m.match_outcome)));
    assert.equal(body.rag, 'amber', 'a medium officer grade starts amber');
    assert.equal(body.route, 'mash');
    // Received Tuesday 10:00 UK time; one working day later.
    assert.equal(body.decisionDueAt, '2026-03-04T10:00:00.000Z');
    assert.equal(body.duplicateOf, null);

    const children = matched.filter((p) => p.role === 'child').map((p) => ({ personId: p.person_id }));
    for (const child of children) {
      const events = await rowsWhere(deps.db, 'chronology_event', {
        person_id: child.personId,
        subject_id: body.contactId,
      });
      assert.equal(events.length, 1, 'each child gets one chronology entry');
      assert.equal(events[0]!.type, 'dan');
      const data = events[0]!.data as Record<string, unknown>;
      assert.equal(data.incidentRef, 'NB/26/API-1');
      assert.equal(data.riskGrade, 'medium');
      assert.equal(data.role, 'child-in-household');
    }
    const victim = { personId: matched.find((p) => p.role === 'victim')!.person_id };
    const victimEvent = await rowWhere(deps.db, 'chronology_event', { person_id: victim.personId });
    assert.equal((victimEvent.data as Record<string, unknown>).role, 'victim');
  });

  it('notifies for every child whatever the grade: a standard-risk DAN is recorded and routed to early help triage (F5, F9)', async () => {
    const response = await danFromPolice(
      danBody(
        { risk: { dashStatus: 'completed', dashScore: 3, officerRiskGrade: 'standard' } },
        'NB/26/API-STD',
      ),
    );
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.route, 'early-help-triage');
    assert.equal(body.rag, 'green');
    const events = await rowsWhere(deps.db, 'chronology_event', { subject_id: body.contactId });
    assert.equal(events.filter((e) => e.type === 'dan').length, 4);
  });

  it('rejects a DAN with no children: "not notifying" is not an option, and nothing is written', async () => {
    const before = await rowCount(deps.db, 'contact');
    const response = await danFromPolice(danBody({ children: [] }, 'NB/26/NONE'));
    assert.equal(response.statusCode, 400);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(await rowCount(deps.db, 'contact'), before);
  });

  it('names every invalid field at once (schema and rules) and writes nothing', async () => {
    const missing = await danFromPolice({
      incident: { policeReference: 'X' },
      victim: {},
      children: [{ givenName: 'A' }],
    });
    assertNamesFields(missing, [
      'incident.occurredAt',
      'incident.location',
      'victim.givenName',
      'children[0].present',
      'risk',
      'consent',
      'earlyHelp',
    ]);

    const rules = await danFromPolice(
      danBody(
        {
          incident: {
            ...danBody().incident,
            occurredAt: '2030-01-01T00:00:00Z',
            location: { line1: '1 High St', postcode: 'ZZ9 9ZZ' },
          },
          consent: { asked: true, given: false },
          earlyHelp: { offered: true },
          children: [
            {
              ...danBody().children[0]!,
              injured: true,
              dateOfBirth: '2031-01-01',
              school: { agencyCode: 'no-such-school' },
            },
          ],
        },
        'NB/26/BAD',
      ),
    );
    assertNamesFields(rules, [
      'incident.occurredAt',
      'consent.reasonSharingWithoutConsent',
      'earlyHelp.response',
      'children[0].injuryDetails',
      'children[0].dateOfBirth',
      'children[0].school.agencyCode',
    ]);
    assert.equal(await rowCountWhere(deps.db, 'contact', { incident_ref: 'NB/26/BAD' }), 0);
  });

  it('refuses a postcode outside every area, naming the field', async () => {
    const response = await danFromPolice(
      danBody(
        { incident: { ...danBody().incident, location: { line1: '1 Far Away', postcode: 'SW1A 1AA' } } },
        'NB/26/FAR',
      ),
    );
    assert.equal(response.statusCode, 400);
    assert.deepEqual(problemFields(response), ['incident.location.postcode']);
  });

  it('lets only police agencies submit DANs', async () => {
    const response = await post(
      '/api/v1/domestic-abuse-notifications',
      schoolKey,
      danBody({}, 'NB/26/SCHOOL'),
    );
    assert.equal(response.statusCode, 403);
    const unauthenticated = await app.inject({
      method: 'POST',
      url: '/api/v1/domestic-abuse-notifications',
      payload: danBody(),
    });
    assert.equal(unauthenticated.statusCode, 401);
  });
});

describe('duplicates (F8)', () => {
  it('links a second DAN with the same police reference to the first: shown, counted, not queued again', async () => {
    const first = (await danFromPolice(danBody({}, 'NB/26/DUP-1'))).json();
    const second = await danFromPolice(danBody({ officer: { name: 'PC Other' } }, 'nb/26/dup-1'));
    assert.equal(second.statusCode, 201);
    const body = second.json();
    assert.equal(body.duplicateOf, first.contactId);
    assert.equal(body.linkKind, 'duplicate');
    assert.equal(body.status, 'duplicate');
    const original = await rowById(deps.db, 'contact', first.contactId);
    assert.equal(original.duplicate_count, 1);
    const queued = await deps.db
      .selectFrom('contact')
      .select('id')
      .where('incident_ref', 'ilike', 'nb/26/dup-1')
      .where('status', 'in', ['screening', 'gathering', 'awaiting-sign-off'])
      .execute();
    assert.equal(queued.length, 1, 'only the first is in the queue');
    const events = await rowsWhere(deps.db, 'chronology_event', { subject_id: body.contactId });
    assert.ok(events.length > 0 && events.every((e) => e.type === 'duplicate-dan'));
    assert.ok(events.some((e) => (e.data as { duplicateOfEventId?: string }).duplicateOfEventId));
  });

  it('links a DAN about the same children on the same date from the same force, whatever the reference', async () => {
    const home = household();
    const first = (await danFromPolice(danBody({}, 'NB/26/SAME-1', home))).json();
    const second = (await danFromPolice(danBody({}, 'NB/26/SAME-2', home))).json();
    const children = async (r: { contactId: string }) =>
      (await contactPeople(deps, r.contactId, 'child')).sort();
    assert.deepEqual(
      await children(second),
      await children(first),
      'identity resolution links the same children',
    );
    assert.equal(second.duplicateOf, first.contactId);
    const other = (await danFromPolice(danBody({}, 'NB/26/SAME-3'))).json();
    assert.equal(other.duplicateOf, null, 'a different household on the same date is not a duplicate');
  });

  it('joins a police child-protection referral about the same incident to the open contact', async () => {
    const dan = (await danFromPolice(danBody({}, 'NB/26/JOIN-1'))).json();
    const referral = await post(
      '/api/v1/contacts',
      policeKey,
      contactBody({
        sourceCode: '6',
        incidentRef: 'NB/26/JOIN-1',
        concerns: ['domestic-abuse', 'physical-abuse'],
        referrer: { name: 'DS Jordan', phone: '101' },
      }),
    );
    assert.equal(referral.statusCode, 201, referral.body);
    const body = referral.json();
    assert.equal(body.duplicateOf, dan.contactId);
    assert.equal(body.linkKind, 'joined');
    const history = await rowsWhere(deps.db, 'contact_history', { contact_id: dan.contactId });
    assert.ok(history.some((h) => h.kind === 'joined'));
  });
});

describe('Idempotency-Key', () => {
  it('returns the first result for a retried DAN and writes nothing the second time', async () => {
    const key = 'retry-key-0001';
    const body = danBody({}, 'NB/26/IDEM-1');
    const first = await danFromPolice(body, {
      'idempotency-key': key,
    });
    assert.equal(first.statusCode, 201);
    const count = () => rowCount(deps.db, 'contact');
    const before = await count();
    const second = await danFromPolice(body, {
      'idempotency-key': key,
    });
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.deepEqual(second.json(), first.json());
    assert.equal(await count(), before);
  });

  it('refuses the same key with a different body (409 problem) and writes nothing', async () => {
    const key = 'retry-key-0002';
    await danFromPolice(danBody({}, 'NB/26/IDEM-2'), {
      'idempotency-key': key,
    });
    const different = await danFromPolice(danBody({}, 'NB/26/IDEM-3'), {
      'idempotency-key': key,
    });
    assert.equal(different.statusCode, 409);
    assert.equal(different.json().code, 'idempotency-key-reused');
    assert.equal(await rowCountWhere(deps.db, 'contact', { incident_ref: 'NB/26/IDEM-3' }), 0);
  });

  it('keeps keys per agency: another agency may use the same key', async () => {
    const key = 'shared-key';
    const police = await post('/api/v1/contacts', policeKey, contactBody({ sourceCode: '6' }), {
      'idempotency-key': key,
    });
    const school = await post('/api/v1/contacts', schoolKey, contactBody(), { 'idempotency-key': key });
    assert.equal(police.statusCode, 201);
    assert.equal(school.statusCode, 201);
    assert.notEqual(police.json().contactId, school.json().contactId);
  });
});

describe('POST /api/v1/contacts', () => {
  it('accepts a school’s contact, routes it by concern and writes each child’s chronology', async () => {
    const response = await post('/api/v1/contacts', schoolKey, contactBody());
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.route, 'mash');
    assert.equal(body.rag, null, 'a contact waits for screening');
    const events = await rowsWhere(deps.db, 'chronology_event', { subject_id: body.contactId });
    assert.deepEqual(
      events.map((e) => e.type),
      ['contact'],
    );
  });

  it('routes a contact whose concerns are all early-help concerns to early help triage', async () => {
    const response = await post(
      '/api/v1/contacts',
      schoolKey,
      contactBody({ concerns: ['school-attendance', 'housing'] }),
    );
    assert.equal(response.json().route, 'early-help-triage');
  });

  it('requires a reason to share without consent and whether the family knows', async () => {
    const response = await post('/api/v1/contacts', schoolKey, {
      ...contactBody(),
      consent: { asked: false },
      familyKnows: undefined,
    });
    assertNamesFields(response, ['familyKnows']);
  });
});

describe('enquiries API', () => {
  it('lists open enquiries for the caller’s agency and takes a response', async () => {
    const dan = (await danFromPolice(danBody({}, 'NB/26/ENQ-1'))).json();
    const directory = buildServices(deps).directory;
    const worker = await directory.findUserByEmail('front.door@harbour.example');
    const principal = (await directory.principalForUser(worker!.id))!;
    const health = await directory.findAgencyByCode('community-health');
    const service = buildServices(deps).frontDoor;
    await service.sendEnquiries({ principal }, dan.contactId, {
      agencyIds: [health!.id],
      question: 'Any health visitor contact with the younger child?',
    });

    const list = await app.inject({
      url: '/api/v1/enquiries?status=open',
      headers: { authorization: `Bearer ${healthKey}` },
    });
    assert.equal(list.statusCode, 200);
    const item = list.json().items.find((i: { contactId: string }) => i.contactId === dan.contactId);
    assert.ok(item, 'the enquiry is in health’s list');
    assert.equal(item.dueAt, '2026-03-03T16:00:00.000Z', 'amber: six working hours from screening at 10:00');

    const policeList = await app.inject({
      url: '/api/v1/enquiries?status=open',
      headers: { authorization: `Bearer ${policeKey}` },
    });
    assert.ok(
      !policeList.json().items.some((i: { id: string }) => i.id === item.id),
      'police do not see health’s enquiry',
    );

    const refused = await post(`/api/v1/enquiries/${item.id}/response`, policeKey, { response: 'Not ours' });
    assert.equal(refused.statusCode, 403);
    const empty = await post(`/api/v1/enquiries/${item.id}/response`, healthKey, { response: '  ' });
    assert.equal(empty.statusCode, 400);
    const answered = await post(`/api/v1/enquiries/${item.id}/response`, healthKey, {
      response: 'Health visitor saw the younger child in January; no concerns then.',
    });
    assert.equal(answered.statusCode, 200, answered.body);
    const again = await post(`/api/v1/enquiries/${item.id}/response`, healthKey, { response: 'Again' });
    assert.equal(again.statusCode, 409);

    const asPolice = await app.inject({
      url: `/api/v1/contacts/${dan.contactId}`,
      headers: { authorization: `Bearer ${policeKey}` },
    });
    assert.equal(asPolice.statusCode, 200);
    assert.equal(asPolice.json().enquiries.length, 0, 'police see neither health’s enquiry nor its response');
    const asHealth = await app.inject({
      url: `/api/v1/contacts/${dan.contactId}`,
      headers: { authorization: `Bearer ${healthKey}` },
    });
    assert.equal(
      asHealth.json().enquiries[0].response,
      'Health visitor saw the younger child in January; no concerns then.',
    );
  });
});
