import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grantAccess } from '../helpers/access-relationship.ts';
import { latestAuditDetails } from '../helpers/audit-events.ts';
import { seededAgencyId } from '../helpers/deps.ts';
import { assertValidR4 } from '../helpers/fhir-validation.ts';
import { raiseFlag } from '../helpers/flags-api.ts';
import { signedIn } from '../helpers/http.ts';
import { setNhsNumber, unusedNhsNumbers } from '../helpers/nhs-numbers.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowsWhere, rowWhere } from '../helpers/rows.ts';
import { api, apiKeyFor, household } from './risk-helpers.ts';

let hospitalKey: string;
let csc: ReturnType<typeof api>;
let idva: ReturnType<typeof api>;
let family: Awaited<ReturnType<typeof household>>;
const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

let childNhs: string;
let motherNhs: string;
let unknownNhs: string;
let unflaggedNhs: string;

function fhir(url: string, key: string | null = hospitalKey) {
  return app.inject({ method: 'GET', url, headers: key ? { authorization: `Bearer ${key}` } : {} });
}

appPerFile({}, async () => {
  hospitalKey = await apiKeyFor(deps, 'hospital');
  csc = api(app, await apiKeyFor(deps, 'northbridge-csc'));
  idva = api(app, await apiKeyFor(deps, 'idva-service'));
  family = await household(deps, 'northbridge', 5);
  [childNhs, motherNhs, unknownNhs, unflaggedNhs] = await unusedNhsNumbers(deps, 4, 42);
  await setNhsNumber(deps, family.childId, childNhs!);
  await setNhsNumber(deps, family.parentIds[0]!, motherNhs!);
  await setNhsNumber(deps, family.parentIds[1]!, unflaggedNhs!);
  await raiseFlag(csc, family.childId, { type: 'child-protection-plan', start: '2026-01-05' });
  // The MARAC module raises its flag through the flags service; the IDVA service is an owner too.
  await grantAccess(deps, {
    personId: family.parentIds[0]!,
    agencyId: await seededAgencyId(deps, 'idva-service'),
    areaId: family.areaId,
    basis: 'marac',
  });
  await raiseFlag(idva, family.parentIds[0]!, {
    type: 'marac',
    start: '2026-01-12',
    contact: 'MARAC coordinator 01632 960111',
  });
});

describe('FHIR R4 for emergency departments', () => {
  it('metadata is a valid CapabilityStatement in application/fhir+json', async () => {
    const response = await fhir('/fhir/r4/metadata', null);
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^application\/fhir\+json/);
    const body = response.json();
    assert.equal(body.resourceType, 'CapabilityStatement');
    assert.equal(body.fhirVersion, '4.0.1');
    assertValidR4(body);
  });

  it('the hospital key finds the child’s CP-plan flag and the mother’s MARAC flag, each valid R4', async () => {
    for (const [nhs, code, contact] of [
      [childNhs, 'child-protection-plan', 'Northbridge MASH duty line 01632 960000'],
      [motherNhs, 'marac', 'MARAC coordinator 01632 960111'],
    ] as const) {
      const response = await fhir(`/fhir/r4/Flag?patient:identifier=${encodeURIComponent(`${NHS}|${nhs}`)}`);
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^application\/fhir\+json/);
      const bundle = response.json();
      assertValidR4(bundle);
      assert.equal(bundle.type, 'searchset');
      assert.equal(bundle.total, 1);
      const flag = bundle.entry[0].resource;
      assertValidR4(flag);
      assert.equal(flag.resourceType, 'Flag');
      assert.equal(flag.status, 'active');
      assert.equal(flag.code.coding[0].code, code);
      assert.equal(flag.subject.identifier.value, nhs);
      assert.ok(flag.period.start);
      assert.ok(flag.author.display);
      assert.equal(flag.extension[0].valueString, contact);
    }
  });

  it('an unknown NHS number and a known person with no flags both give an empty Bundle', async () => {
    for (const nhs of [unknownNhs, unflaggedNhs]) {
      const response = await fhir(`/fhir/r4/Flag?patient:identifier=${encodeURIComponent(`${NHS}|${nhs}`)}`);
      assert.equal(response.statusCode, 200, response.body);
      const bundle = response.json();
      assertValidR4(bundle);
      assert.equal(bundle.total, 0);
      assert.deepEqual(bundle.entry, []);
    }
  });

  it('Patient search returns the minimal Patient, valid R4, and an empty Bundle when not known', async () => {
    const found = await fhir(`/fhir/r4/Patient?identifier=${encodeURIComponent(`${NHS}|${childNhs}`)}`);
    assert.equal(found.statusCode, 200, found.body);
    const bundle = found.json();
    assertValidR4(bundle);
    assert.equal(bundle.total, 1);
    const patient = bundle.entry[0].resource;
    assertValidR4(patient);
    assert.deepEqual(patient.identifier, [{ system: NHS, value: childNhs }]);
    assert.equal(patient.name, undefined, 'the Patient carries no name or address');
    const none = await fhir(`/fhir/r4/Patient?identifier=${encodeURIComponent(`${NHS}|${unknownNhs}`)}`);
    assert.equal(none.json().total, 0);
  });

  it('errors are OperationOutcome: no key 401, a non-health key 403, a bad NHS number 400', async () => {
    const url = `/fhir/r4/Flag?patient:identifier=${encodeURIComponent(`${NHS}|${childNhs}`)}`;
    const noKey = await fhir(url, null);
    assert.equal(noKey.statusCode, 401);
    const schoolKey = await apiKeyFor(deps, 'school-riverside-primary-school');
    const school = await fhir(url, schoolKey);
    assert.equal(school.statusCode, 403);
    const bad = await fhir(`/fhir/r4/Flag?patient:identifier=${encodeURIComponent(`${NHS}|1234567890`)}`);
    assert.equal(bad.statusCode, 400);
    const wrongSystem = await fhir('/fhir/r4/Flag?patient:identifier=urn:other|1');
    assert.equal(wrongSystem.statusCode, 400);
    for (const response of [noKey, school, bad, wrongSystem]) {
      assert.match(String(response.headers['content-type']), /^application\/fhir\+json/);
      const outcome = response.json();
      assert.equal(outcome.resourceType, 'OperationOutcome');
      assertValidR4(outcome);
    }
  });

  it('every search is audited with the NHS number, found or not', async () => {
    const rows = await rowsWhere(deps.db, 'audit_event', { action: 'health.lookup' });
    const numbers = rows.map(
      (r) => (typeof r.details === 'string' ? JSON.parse(r.details) : r.details)?.nhsNumber,
    );
    for (const nhs of [childNhs, motherNhs, unknownNhs, unflaggedNhs]) assert.ok(numbers.includes(nhs), nhs);
  });
});

describe('the unscheduled-care lookup', () => {
  const hospital = () => api(app, hospitalKey);

  it('gives the three honest answers by API', async () => {
    const flagged = await hospital().get(`/api/v1/health/lookup?nhsNumber=${childNhs}`);
    assert.equal(flagged.statusCode, 200, flagged.body);
    assert.equal(flagged.json().answer, 'flags');
    assert.equal(flagged.json().flags[0].contact, 'Northbridge MASH duty line 01632 960000');
    const known = await hospital().get(`/api/v1/health/lookup?nhsNumber=${unflaggedNhs}`);
    assert.equal(known.json().answer, 'known-no-flags');
    assert.deepEqual(known.json().flags, []);
    const unknown = await hospital().get(`/api/v1/health/lookup?nhsNumber=${unknownNhs}`);
    assert.equal(unknown.json().answer, 'not-known');
    const bad = await hospital().get('/api/v1/health/lookup?nhsNumber=12345');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /nhsNumber/);
  });

  it('the ED lookup writes an attendance event and tells the allocated worker’s agency', async () => {
    const earlyHelp = await seededAgencyId(deps, 'northbridge-early-help');
    await grantAccess(deps, {
      personId: family.childId,
      agencyId: earlyHelp,
      areaId: family.areaId,
      basis: 'allocated-worker',
    });
    const beforeEvents = await rowsWhere(deps.db, 'chronology_event', {
      person_id: family.childId,
      type: 'ed-attendance',
    });
    const response = await hospital().get(`/api/v1/health/lookup?nhsNumber=${childNhs}`);
    assert.equal(response.statusCode, 200);
    const events = await rowsWhere(deps.db, 'chronology_event', {
      person_id: family.childId,
      type: 'ed-attendance',
    });
    assert.equal(events.length, beforeEvents.length + 1);
    const details = await latestAuditDetails(
      deps.db,
      'health.ed-attendance.notify',
      events.find((e) => !beforeEvents.some((b) => b.id === e.id))!.id,
    );
    assert.deepEqual(details.to, [earlyHelp]);
  });

  it('the ED nurse’s page says "known, nothing to flag" for a known person with no flags', async () => {
    const browser = await signedIn(app, 'ed.nurse@harbour.example');
    await browser.get('/health/lookup');
    const page = await browser.post('/health/lookup', { nhsNumber: unflaggedNhs! });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /data-answer="known-no-flags"/);
    assert.match(page.body, /Known to the partnership, nothing to flag/);
    const flagged = await browser.post('/health/lookup', { nhsNumber: childNhs! });
    assert.match(flagged.body, /Northbridge MASH duty line 01632 960000/);
    const unknown = await browser.post('/health/lookup', { nhsNumber: unknownNhs! });
    assert.match(unknown.body, /Not known to the partnership/);
    assert.doesNotMatch(unknown.body, /No matching people/);
  });

  it('break-glass needs a reason, opens the record, and waits for the MASH health lead’s review', async () => {
    const nurse = await signedIn(app, 'ed.nurse@harbour.example');
    const closed = await nurse.get(`/people/${family.childId}`);
    assert.equal(closed.statusCode, 403);
    await nurse.get('/health/lookup');
    const looked = await nurse.post('/health/lookup', { nhsNumber: childNhs! });
    assert.match(looked.body, /Need more than the flag/);
    const noReason = await nurse.post(`/health/break-glass/${family.childId}`, { reason: '' });
    assert.equal(noReason.statusCode, 400);
    const granted = await nurse.post(`/health/break-glass/${family.childId}`, {
      reason: 'Unexplained injuries; need the plan’s details before discharge',
    });
    assert.equal(granted.statusCode, 303, granted.body);
    const open = await nurse.get(`/people/${family.childId}`);
    assert.equal(open.statusCode, 200);
    const lead = await signedIn(app, 'mash.health@harbour.example');
    const home = await lead.get('/');
    assert.match(home.body, /1 break-glass use to review/);
    const reviews = await lead.get('/health/break-glass-reviews');
    assert.equal(reviews.statusCode, 200, reviews.body);
    assert.match(reviews.body, /Unexplained injuries/);
    const row = await rowWhere(deps.db, 'break_glass_access', { person_id: family.childId });
    const reviewed = await lead.post(`/health/break-glass-reviews/${row.id}`, { outcome: 'appropriate' });
    assert.equal(reviewed.statusCode, 303, reviewed.body);
    const after = await lead.get('/health/break-glass-reviews');
    assert.doesNotMatch(after.body, /Unexplained injuries/);
  });
});
