import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SubjectAccessExport } from '../../src/modules/data-protection/subject-access.ts';
import { ForbiddenError } from '../../src/platform/access.ts';
import { sealCommittedAudit } from '../../src/platform/audit-sealer.ts';
import { ValidationError } from '../../src/platform/errors.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { onPostgres } from '../helpers/database.ts';
import { Browser, signedIn } from '../helpers/http.ts';
import { areaOfPerson, personRecord, rowsAboutPerson } from '../helpers/people-fixtures.ts';
import { app, appPerFile, deps, services } from '../helpers/per-file.ts';
import { household, submitHouseholdDans } from './front-door-fixtures.ts';
import { principalFor } from './risk-helpers.ts';

let childId: string;
let otherId: string;
let exported: SubjectAccessExport;
const home = household(5);

appPerFile({}, async () => {
  childId = (await submitHouseholdDans(app, deps, { home }, 'NB/24/00055')).childOf.home!;
  // Someone in the same area with nothing to do with the child: a demo resident with an address.
  const other = await deps.db
    .selectFrom('person')
    .innerJoin('person_address', 'person_address.person_id', 'person.id')
    .select('person.id')
    .where('person.area_id', '=', await areaOfPerson(deps.db, childId))
    .where('person.family_name', '!=', home.family)
    .where('person.family_name', 'not like', `${home.family}%`)
    .executeTakeFirstOrThrow();
  otherId = other.id;
  const dpo = await principalFor(deps, 'dpo@harbour.example');
  exported = await services.subjectAccess.exportPerson(
    { principal: dpo },
    { personId: childId, reason: 'SAR-2026-014 from the child’s mother' },
  );
});

describe(`subject access export (${onPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('contains every fact held about the person, each with its provenance', async () => {
    const text = JSON.stringify(exported);
    const names = await rowsAboutPerson(deps.db, 'person_name', childId);
    const identifiers = await rowsAboutPerson(deps.db, 'person_identifier', childId);
    const addresses = await rowsAboutPerson(deps.db, 'person_address', childId);
    const details = await rowsAboutPerson(deps.db, 'person_contact_detail', childId);
    const events = await rowsAboutPerson(deps.db, 'chronology_event', childId);
    const contacts = await rowsAboutPerson(deps.db, 'contact_person', childId);
    const access = await rowsAboutPerson(deps.db, 'access_relationship', childId);
    assert.ok(names.length > 0 && addresses.length > 0 && events.length > 0 && contacts.length > 0);

    assert.equal(exported.person.id, childId);
    assert.equal(exported.person.dateOfBirth, home.girl.dateOfBirth);
    assert.deepEqual(
      exported.names.map((n) => `${n.kind}:${n.givenName} ${n.familyName}`).sort(),
      names.map((n) => `${n.kind}:${n.given_name} ${n.family_name}`).sort(),
    );
    assert.deepEqual(exported.identifiers.map((i) => i.value).sort(), identifiers.map((i) => i.value).sort());
    assert.deepEqual(
      exported.addresses.map((a) => `${a.line1}|${a.postcode}`).sort(),
      addresses.map((a) => `${a.line1}|${a.postcode}`).sort(),
    );
    assert.deepEqual(exported.contactDetails.map((c) => c.value).sort(), details.map((d) => d.value).sort());
    assert.deepEqual(exported.chronology.map((e) => e.id).sort(), events.map((e) => e.id).sort());
    assert.deepEqual(
      exported.contacts.map((c) => c.id).sort(),
      [...new Set(contacts.map((c) => c.contact_id))].sort(),
    );
    assert.equal(exported.whoMaySee.length, access.length);
    // Provenance: the police supplied the DAN, so its facts name the force and a time.
    const police = await deps.db
      .selectFrom('agency')
      .select('name')
      .where('code', '=', 'police')
      .executeTakeFirstOrThrow();
    const dan = exported.contacts.find((c) => c.kind === 'dan')!;
    assert.equal(dan.provenance.agency, police.name);
    assert.ok(dan.provenance.recordedAt);
    assert.ok(exported.addresses.every((a) => a.provenance.recordedAt !== null));
    assert.ok(text.includes(home.girl.dateOfBirth));
  });

  it('names other people on the child’s contacts only as third parties marked for redaction review', () => {
    const contact = exported.contacts.find((c) => c.kind === 'dan')!;
    const victim = contact.thirdParties.find((t) => t.role === 'victim');
    assert.ok(victim, 'the victim on the DAN is a third party');
    assert.equal(victim.name, `Marnie ${home.family}`);
    assert.equal(victim.redactionReview, true);
    assert.ok(contact.thirdParties.every((t) => t.redactionReview === true && t.id !== childId));
    assert.equal(contact.redactionReview, true);
  });

  it('holds nothing of a person unconnected to the child', async () => {
    const text = JSON.stringify(exported);
    const other = await personRecord(deps.db, otherId);
    const otherFacts = [
      other.id,
      `${other.given_name} ${other.family_name}`,
      ...(await rowsAboutPerson(deps.db, 'person_identifier', otherId)).map((i) => i.value),
      ...(await rowsAboutPerson(deps.db, 'person_address', otherId)).flatMap((a) => [a.line1, a.postcode]),
      ...(await rowsAboutPerson(deps.db, 'chronology_event', otherId)).map((e) => e.id),
    ];
    assert.ok(otherFacts.length >= 4);
    assert.deepEqual(
      otherFacts.filter((fact) => text.includes(fact)),
      [],
    );
  });

  it('records each export in the audit log with its reason', async () => {
    await sealCommittedAudit(deps.db);
    const events = await auditEvents(deps.db, { action: 'person.subject-access-export', subjectId: childId });
    assert.equal(events.length, 1);
    assert.equal(events[0]!.reason, 'SAR-2026-014 from the child’s mother');
    assert.equal(events[0]!.actor_name, 'Dara Data-Protection');
    assert.ok(events[0]!.person_ids.includes(childId));
  });

  it('refuses without the role, and without a reason, and exports nothing', async () => {
    const practitioner = await principalFor(deps, 'front.door@harbour.example');
    await assert.rejects(
      services.subjectAccess.exportPerson(
        { principal: practitioner },
        { personId: childId, reason: 'curious' },
      ),
      ForbiddenError,
    );
    const dpo = await principalFor(deps, 'dpo@harbour.example');
    await assert.rejects(
      services.subjectAccess.exportPerson({ principal: dpo }, { personId: childId, reason: ' ' }),
      (error: unknown) => error instanceof ValidationError && error.errors[0]!.field === 'reason',
    );
  });

  it('serves the DPO a printable page and the same export as JSON', async () => {
    const browser = new Browser(app);
    assert.equal((await browser.signIn('dpo@harbour.example')).statusCode, 303);
    const form = await browser.get('/subject-access');
    assert.equal(form.statusCode, 200);
    const bad = await browser.post('/subject-access', { personId: 'nobody', reason: '' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /There is a problem/);
    assert.match(bad.body, /href="#personId"/);
    assert.match(bad.body, /href="#reason"/);
    const page = await browser.post('/subject-access', { personId: childId, reason: 'SAR-2026-015' });
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, new RegExp(`Subject access export: ${home.girl.givenName} ${home.family}`));
    assert.match(page.body, /Review for third parties/);
    // Every fact is on the page, not only the heading.
    for (const address of exported.addresses) assert.ok(page.body.includes(address.line1), address.line1);
    for (const event of exported.chronology) assert.ok(page.body.includes(event.type), event.type);
    const json = await browser.post('/subject-access', {
      personId: childId,
      reason: 'SAR-2026-015',
      format: 'json',
    });
    assert.equal(json.statusCode, 200);
    assert.match(json.headers['content-type'] as string, /^application\/json/);
    assert.match(json.headers['content-disposition'] as string, /attachment/);
    assert.equal(json.json().person.id, childId);
    // A practitioner is not offered the page.
    const other = await signedIn(app, 'front.door@harbour.example');
    assert.equal((await other.get('/subject-access')).statusCode, 403);
  });
});
