import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { transaction } from '../../src/db/database.ts';
import { syntheticNhsNumber, syntheticUpn } from '../../src/domain/identifiers.ts';
import type { NewPerson } from '../../src/modules/people/service.ts';
import type { AuditContext } from '../../src/platform/audit.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { ValidationError } from '../../src/platform/errors.ts';
import { buildServices } from '../../src/services.ts';
import { auditEvents } from '../helpers/audit-events.ts';
import { rowCount } from '../helpers/deps.ts';
import { personRecord, rowsAboutPerson } from '../helpers/people-fixtures.ts';
import { databasePerFile, deps, services } from '../helpers/per-file.ts';
import { seededContexts } from '../helpers/seeded-users.ts';

const as: Record<string, AuditContext> = {};
let seq = 0;
const random = () => {
  seq = (seq * 9301 + 49297) % 233280;
  return seq / 233280;
};

databasePerFile({}, async () => {
  Object.assign(as, await seededContexts(services.directory, ['frontDoor', 'police', 'school']));
});

function child(overrides: Partial<NewPerson> = {}): NewPerson {
  return {
    kind: 'child',
    givenName: 'Ella-Mae',
    familyName: 'Quennell',
    dateOfBirth: '2014-04-03',
    sex: 'female',
    addresses: [{ line1: '14 Kestrel Way', town: 'Northbridge', postcode: 'NB1 4AA' }],
    ...overrides,
  };
}

const countPeople = () => rowCount(deps, 'person');

function resolve(d: Deps, ctx: AuditContext, input: NewPerson) {
  return transaction(d.db, (trx) => buildServices(d).people.resolvePerson(trx, ctx, input));
}

describe('resolvePerson: identity resolution in the caller’s transaction', () => {
  const nhs = syntheticNhsNumber(() => 0.4242);
  let ellaId: string;

  it('creates a new person when nothing plausible matches, and audits the resolution', async () => {
    const result = await resolve(
      deps,
      as.frontDoor!,
      child({ identifiers: [{ scheme: 'nhs', value: nhs }], preferredName: 'Ellie' }),
    );
    assert.equal(result.outcome, 'new');
    ellaId = result.personId;
    const person = await personRecord(deps.db, ellaId);
    assert.equal(person.nhs_number, nhs);
    assert.ok(person.blocking_keys.includes(`nhs:${nhs}`));
    const audit = await auditEvents(deps.db, { subjectId: ellaId });
    assert.deepEqual(
      audit.map((a) => a.action),
      ['person.create', 'person.resolve'],
    );
  });

  it('keeps a twin apart: a different given name with the same birth date, surname and address is a new person', async () => {
    const result = await resolve(deps, as.police!, child({ givenName: 'Grace', identifiers: [] }));
    assert.equal(result.outcome, 'new');
    assert.notEqual(result.personId, ellaId);
  });

  it('links the school’s “Ellamae Smith-Jones, 04/03/2014” with the same NHS number, adding its names and identifiers as provenance, never its address or a relationship', async () => {
    const before = await countPeople();
    const result = await resolve(
      deps,
      as.school!,
      child({
        givenName: 'Ellamae',
        familyName: 'Quennell-Jones',
        dateOfBirth: '2014-03-04',
        identifiers: [
          { scheme: 'nhs', value: nhs.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3') },
          { scheme: 'upn', value: syntheticUpn(random) },
        ],
        addresses: [{ line1: '2 Heron Close', postcode: 'nb2 7bd', fromDate: '2025-01-01' }],
        contactDetails: [{ kind: 'phone', value: '01632 960001' }],
        language: 'English',
      }),
    );
    assert.equal(result.outcome, 'linked');
    assert.equal(result.personId, ellaId);
    assert.ok((result.score ?? 0) >= deps.config.partnership.matching.autoLink);
    assert.equal(await countPeople(), before, 'no new person');
    const school = as.school!.principal.agencyId;
    const names = await rowsAboutPerson(deps.db, 'person_name', ellaId);
    assert.ok(
      names.some(
        (n) =>
          n.kind === 'alias' &&
          n.given_name === 'Ellamae' &&
          n.family_name === 'Quennell-Jones' &&
          n.source_agency_id === school,
      ),
      'the school’s spelling is kept as an alias with the school as its source',
    );
    const current = await personRecord(deps.db, ellaId);
    assert.equal(current.given_name, 'Ella-Mae', 'the current name is not overwritten');
    assert.equal(current.date_of_birth, '2014-04-03', 'the date of birth is not overwritten');
    assert.equal(current.language, 'English', 'an empty fact is filled');
    assert.equal(current.field_sources.language?.agencyId, school, '...with its source');
    const ids = await rowsAboutPerson(deps.db, 'person_identifier', ellaId);
    assert.deepEqual(
      ids.map((i) => i.scheme).sort(),
      ['nhs', 'upn'],
      'the NHS number is not duplicated; the UPN is added',
    );
    assert.equal(ids.find((i) => i.scheme === 'upn')?.source_agency_id, school);
    const addresses = await rowsAboutPerson(deps.db, 'person_address', ellaId);
    // Decision 0008: the submitter's address is a fact of its submission, never copied onto the
    // existing record (it could be a refuge guessed at, or the submitter's own), and resolving
    // grants the submitter no relationship with the child it was matched to.
    assert.equal(addresses.length, 1, 'the supplied address is not added to the existing record');
    assert.ok(!addresses.some((a) => a.source_agency_id === school));
    const contacts = await rowsAboutPerson(deps.db, 'person_contact_detail', ellaId);
    assert.ok(!contacts.some((c) => c.value === '01632 960001'), 'nor are its contact details');
    const links = await rowsAboutPerson(deps.db, 'access_relationship', ellaId);
    assert.ok(!links.some((l) => l.agency_id === school), 'submitting grants the school nothing');
    assert.ok(
      current.blocking_keys.some((k) => k.startsWith('upn:')),
      'keys now include the new UPN',
    );
  });

  it('sends a plausible but uncertain match to review: creates the person and a review item for MASH staff', async () => {
    const before = await countPeople();
    const result = await resolve(deps, as.police!, {
      kind: 'child',
      givenName: 'Elle',
      familyName: 'Quennell',
      sex: 'female',
      addresses: [{ line1: '14 Kestrel Way', postcode: 'NB1 4AA' }],
    });
    assert.equal(result.outcome, 'review');
    assert.equal(await countPeople(), before + 1);
    assert.ok(result.candidates?.some((c) => c.personId === ellaId));
    const reviews = await rowsAboutPerson(deps.db, 'match_review', result.personId);
    assert.ok(reviews.some((r) => r.candidate_id === ellaId && r.status === 'pending'));
    const reasons = reviews[0]!.reasons;
    assert.ok(Array.isArray(reasons) && reasons.length > 0, 'the reasons are kept for the reviewer');
  });

  it('takes its thresholds from partnership configuration', async () => {
    const again = child({ contactDetails: [{ kind: 'email', value: 'carer@example.invalid' }] });
    const strict: Deps = {
      ...deps,
      config: {
        ...deps.config,
        partnership: {
          ...deps.config.partnership,
          matching: { ...deps.config.partnership.matching, autoLink: 99, review: 8 },
        },
      },
    };
    const reviewed = await resolve(strict, as.school!, again);
    assert.equal(reviewed.outcome, 'review', 'below the configured auto-link threshold: reviewed');
    assert.ok(reviewed.candidates?.some((c) => c.personId === ellaId && c.band === 'review'));
    const linked = await resolve(deps, as.school!, again);
    assert.equal(linked.outcome, 'review', 'two records now fit well: ambiguity goes to review');
    assert.ok(linked.candidates?.some((c) => c.personId === ellaId && c.band === 'auto-link'));
  });

  it('rejects invalid input with every field named, and writes nothing', async () => {
    const before = await countPeople();
    const auditBefore = await rowCount(deps, 'audit_event');
    await assert.rejects(
      resolve(
        deps,
        as.police!,
        child({
          dateOfBirth: '2999-01-01',
          identifiers: [
            { scheme: 'nhs', value: '1234567890' },
            { scheme: 'upn', value: 'A12345678901X' },
          ],
          addresses: [{ line1: '1 Road', postcode: 'NOT A CODE' }],
        }),
      ),
      (error: unknown) => {
        assert.ok(error instanceof ValidationError);
        assert.deepEqual(error.errors.map((e) => e.field).sort(), [
          'addresses[0].postcode',
          'dateOfBirth',
          'identifiers[0].value',
          'identifiers[1].value',
        ]);
        return true;
      },
    );
    assert.equal(await countPeople(), before);
    assert.equal(await rowCount(deps, 'audit_event'), auditBefore);
  });
});

describe('resolvePeople: the people of one submission resolved together, with the outcomes of resolving them in turn', () => {
  const sibling = (overrides: Partial<NewPerson> = {}) =>
    child({
      familyName: 'Tennyfold',
      addresses: [{ line1: '3 Osprey Lane', postcode: 'NB1 4AB' }],
      ...overrides,
    });
  const resolveAll = (inputs: NewPerson[]) =>
    transaction(deps.db, (trx) => services.people.resolvePeople(trx, as.police!, inputs));

  it('creates new people together and scores each against those created before it: a twin is new, a near-duplicate goes to review against the first', async () => {
    const before = await countPeople();
    const [first, twin, near] = await resolveAll([
      sibling({ givenName: 'Ottilie' }),
      sibling({ givenName: 'Wren' }),
      {
        kind: 'child',
        givenName: 'Ottie',
        familyName: 'Tennyfold',
        sex: 'female',
        addresses: [{ line1: '3 Osprey Lane', postcode: 'NB1 4AB' }],
      },
    ]);
    assert.equal(first!.outcome, 'new');
    assert.equal(twin!.outcome, 'new');
    assert.equal(near!.outcome, 'review');
    assert.ok(near!.candidates?.some((c) => c.personId === first!.personId));
    assert.equal(await countPeople(), before + 3);
    const reviews = await rowsAboutPerson(deps.db, 'match_review', near!.personId);
    assert.ok(reviews.some((r) => r.candidate_id === first!.personId));
    const audit = await auditEvents(deps.db, { subjectId: twin!.personId });
    assert.deepEqual(audit.map((a) => a.action).sort(), ['person.create', 'person.resolve']);
  });

  it('links a person named twice in one submission to the record the first mention created', async () => {
    const nhs = syntheticNhsNumber(() => 0.1717);
    const before = await countPeople();
    const input = child({
      givenName: 'Juno',
      familyName: 'Ardwick',
      dateOfBirth: '2019-10-21',
      addresses: [{ line1: '88 Heron Court', postcode: 'NB2 7QT' }],
      identifiers: [{ scheme: 'nhs', value: nhs }],
    });
    const [once, again] = await resolveAll([input, input]);
    assert.equal(once!.outcome, 'new');
    assert.equal(again!.outcome, 'linked');
    assert.equal(again!.personId, once!.personId);
    assert.equal(await countPeople(), before + 1);
  });

  it('names a refused field with the caller’s name for it and writes nothing', async () => {
    const before = await countPeople();
    await assert.rejects(
      transaction(deps.db, (trx) =>
        services.people.resolvePeople(
          trx,
          as.police!,
          [sibling({ givenName: 'Pim' }), sibling({ givenName: 'Tam', dateOfBirth: '2099-01-01' })],
          (i, field) => `children[${i}].${field}`,
        ),
      ),
      (error: unknown) =>
        error instanceof ValidationError && error.errors.some((e) => e.field === 'children[1].dateOfBirth'),
    );
    assert.equal(await countPeople(), before);
  });
});
