import { DateTime } from 'luxon';
import type { Trx } from '../../db/database.ts';
import { transaction } from '../../db/database.ts';
import {
  isValidNhsNumber,
  isValidUpn,
  normaliseNhsNumber,
  normalisePostcode,
  normaliseUpn,
  postcodeDistrict,
} from '../../domain/identifiers.ts';
import { blockingKeys, type PersonRecord } from '../../domain/matching.ts';
import { assertAllowed, scopeFor } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import * as repo from './repository.ts';

export type PersonKind = 'child' | 'unborn' | 'adult';
export type IdentifierScheme = 'nhs' | 'upn' | 'la' | 'police';

export interface NewPerson {
  kind: PersonKind;
  givenName: string;
  familyName: string;
  preferredName?: string;
  otherNames?: { givenName: string; familyName: string; kind: 'alias' | 'previous' }[];
  dateOfBirth?: string;
  expectedDate?: string;
  sex?: 'male' | 'female' | 'other' | 'unknown';
  gender?: string;
  ethnicity?: string;
  language?: string;
  disability?: string;
  identifiers?: { scheme: IdentifierScheme; value: string }[];
  addresses?: {
    line1: string;
    line2?: string;
    town?: string;
    postcode: string;
    fromDate?: string;
    toDate?: string;
  }[];
  contactDetails?: { kind: 'phone' | 'email'; value: string }[];
  /** Agencies with a standing need to know (a school for its pupil, a GP for its patient). */
  agencyLinks?: { agencyId: string; kind: string }[];
  /** Without it the area comes from the current address's postcode. */
  areaId?: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  return ISO_DATE.test(value) && DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

/** Field-by-field checks; every problem is reported at once, named as the API caller named it. */
export function validateNewPerson(input: NewPerson, today: string, prefix = ''): FieldError[] {
  const errors: FieldError[] = [];
  const f = (name: string) => `${prefix}${name}`;
  if (!input.givenName?.trim()) errors.push({ field: f('givenName'), message: 'Enter a given name' });
  if (!input.familyName?.trim()) errors.push({ field: f('familyName'), message: 'Enter a family name' });
  if (input.dateOfBirth !== undefined) {
    if (!validDate(input.dateOfBirth))
      errors.push({ field: f('dateOfBirth'), message: 'Date of birth must be a real date, YYYY-MM-DD' });
    else if (input.dateOfBirth > today)
      errors.push({ field: f('dateOfBirth'), message: 'Date of birth must be today or in the past' });
    else if (input.dateOfBirth < '1900-01-01')
      errors.push({ field: f('dateOfBirth'), message: 'Date of birth must be after 1900' });
  }
  if (input.kind === 'unborn') {
    if (input.dateOfBirth)
      errors.push({
        field: f('dateOfBirth'),
        message: 'An unborn child has an expected date, not a date of birth',
      });
    if (!input.expectedDate)
      errors.push({
        field: f('expectedDate'),
        message: 'Enter the expected date of birth for an unborn child',
      });
  }
  if (input.expectedDate !== undefined && !validDate(input.expectedDate)) {
    errors.push({ field: f('expectedDate'), message: 'Expected date must be a real date, YYYY-MM-DD' });
  }
  (input.identifiers ?? []).forEach((id, i) => {
    const field = f(`identifiers[${i}].value`);
    if (id.scheme === 'nhs' && !isValidNhsNumber(id.value))
      errors.push({
        field,
        message: 'NHS number is not valid: it must be 10 digits with a correct check digit',
      });
    if (id.scheme === 'upn' && !isValidUpn(id.value))
      errors.push({
        field,
        message: 'Unique pupil number is not valid: 13 characters with a correct check letter',
      });
    if ((id.scheme === 'la' || id.scheme === 'police') && !id.value.trim())
      errors.push({ field, message: 'Enter the identifier' });
  });
  (input.addresses ?? []).forEach((address, i) => {
    if (!normalisePostcode(address.postcode ?? ''))
      errors.push({
        field: f(`addresses[${i}].postcode`),
        message: 'Enter a real UK postcode, like NB1 4AA',
      });
    if (!address.line1?.trim())
      errors.push({ field: f(`addresses[${i}].line1`), message: 'Enter the first line of the address' });
    for (const key of ['fromDate', 'toDate'] as const) {
      const value = address[key];
      if (value !== undefined && !validDate(value))
        errors.push({ field: f(`addresses[${i}].${key}`), message: 'Must be a real date, YYYY-MM-DD' });
    }
  });
  return errors;
}

function normaliseIdentifier(scheme: IdentifierScheme, value: string): string {
  if (scheme === 'nhs') return normaliseNhsNumber(value) ?? value;
  if (scheme === 'upn') return normaliseUpn(value) ?? value;
  return value.trim();
}

/** The matching engine's view of a new person. */
export function matchRecordOf(input: NewPerson): PersonRecord {
  const current = input.addresses?.find((a) => !a.toDate) ?? input.addresses?.[0];
  const id = (scheme: IdentifierScheme) => input.identifiers?.find((i) => i.scheme === scheme)?.value;
  const record: PersonRecord = { givenName: input.givenName, familyName: input.familyName };
  const otherNames = (input.otherNames ?? []).map((n) => `${n.givenName} ${n.familyName}`);
  if (input.preferredName) otherNames.push(input.preferredName);
  if (otherNames.length) record.otherNames = otherNames;
  const dob = input.dateOfBirth ?? input.expectedDate;
  if (dob) record.dateOfBirth = dob;
  if (input.sex) record.sex = input.sex;
  if (current) {
    record.postcode = current.postcode;
    record.addressLine = current.line1;
  }
  const nhs = id('nhs');
  if (nhs) record.nhsNumber = nhs;
  const upn = id('upn');
  if (upn) record.upn = upn;
  const la = id('la');
  if (la) record.localAuthorityId = la;
  const police = id('police');
  if (police) record.policeReference = police;
  return record;
}

export function peopleService(deps: Deps) {
  const { db } = deps;
  const today = () => DateTime.fromJSDate(deps.now()).setZone('Europe/London').toISODate()!;

  async function areaForPostcode(trx: Trx, postcode: string): Promise<string | null> {
    const district = postcodeDistrict(postcode);
    if (!district) return null;
    const area = await trx
      .selectFrom('area')
      .select('id')
      .where((eb) => eb(eb.val(district), '=', eb.fn.any('postcode_districts')))
      .executeTakeFirst();
    return area?.id ?? null;
  }

  /** Writes a person and every fact about them, with the supplying agency as provenance. */
  async function insertPerson(
    trx: Trx,
    context: AuditContext,
    input: NewPerson,
  ): Promise<{ id: string; areaId: string }> {
    const errors = validateNewPerson(input, today());
    if (errors.length > 0) throw new ValidationError(errors);
    const current = input.addresses?.find((a) => !a.toDate) ?? input.addresses?.[0];
    const areaId =
      input.areaId ?? (current ? await areaForPostcode(trx, normalisePostcode(current.postcode)!) : null);
    if (!areaId) {
      throw new ValidationError([
        {
          field: 'addresses[0].postcode',
          message: 'The postcode is outside every area this partnership serves; give the area explicitly',
        },
      ]);
    }
    const source = context.principal.agencyId;
    const identifiers = (input.identifiers ?? []).map((i) => ({
      scheme: i.scheme,
      value: normaliseIdentifier(i.scheme, i.value),
    }));
    const nhs = identifiers.find((i) => i.scheme === 'nhs')?.value ?? null;
    const person = await trx
      .insertInto('person')
      .values({
        area_id: areaId,
        kind: input.kind,
        given_name: input.givenName.trim(),
        family_name: input.familyName.trim(),
        preferred_name: input.preferredName?.trim() || null,
        date_of_birth: input.dateOfBirth ?? null,
        expected_date: input.expectedDate ?? null,
        sex: input.sex ?? null,
        gender: input.gender ?? null,
        ethnicity: input.ethnicity ?? null,
        language: input.language ?? null,
        disability: input.disability ?? null,
        nhs_number: nhs,
        blocking_keys: blockingKeys(matchRecordOf({ ...input, identifiers })),
        created_by_agency_id: source,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const personId = person.id;
    const names = [
      { kind: 'current' as const, given_name: input.givenName.trim(), family_name: input.familyName.trim() },
      ...(input.otherNames ?? []).map((n) => ({
        kind: n.kind,
        given_name: n.givenName.trim(),
        family_name: n.familyName.trim(),
      })),
    ];
    await trx
      .insertInto('person_name')
      .values(
        names.map((n) => ({
          ...n,
          person_id: personId,
          area_id: areaId,
          source_agency_id: source,
          valid_from: null,
          valid_to: null,
        })),
      )
      .execute();
    if (identifiers.length) {
      await trx
        .insertInto('person_identifier')
        .values(
          identifiers.map((i) => ({ ...i, person_id: personId, area_id: areaId, source_agency_id: source })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    if (input.addresses?.length) {
      await trx
        .insertInto('person_address')
        .values(
          input.addresses.map((a) => {
            const postcode = normalisePostcode(a.postcode)!;
            return {
              person_id: personId,
              area_id: areaId,
              line1: a.line1.trim(),
              line2: a.line2?.trim() || null,
              town: a.town?.trim() || null,
              postcode,
              postcode_district: postcodeDistrict(postcode)!,
              from_date: a.fromDate ?? null,
              to_date: a.toDate ?? null,
              source_agency_id: source,
            };
          }),
        )
        .execute();
    }
    if (input.contactDetails?.length) {
      await trx
        .insertInto('person_contact_detail')
        .values(
          input.contactDetails.map((c) => ({
            ...c,
            person_id: personId,
            area_id: areaId,
            source_agency_id: source,
          })),
        )
        .execute();
    }
    const links = [...(input.agencyLinks ?? [])];
    if (source && !links.some((l) => l.agencyId === source))
      links.push({ agencyId: source, kind: 'recorded' });
    if (links.length) {
      await trx
        .insertInto('person_agency_link')
        .values(
          links.map((l) => ({ person_id: personId, agency_id: l.agencyId, area_id: areaId, kind: l.kind })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    await recordAudit(trx, context, {
      action: 'person.create',
      subjectType: 'person',
      subjectId: personId,
      personIds: [personId],
      areaId,
    });
    return { id: personId, areaId };
  }

  async function addRelationship(
    trx: Trx,
    context: AuditContext,
    input: {
      personId: string;
      relatedPersonId: string;
      kind: string;
      incidentReference?: string;
      areaId: string;
      fromDate?: string;
    },
  ) {
    await trx
      .insertInto('person_relationship')
      .values({
        area_id: input.areaId,
        person_id: input.personId,
        related_person_id: input.relatedPersonId,
        kind: input.kind,
        incident_reference: input.incidentReference ?? null,
        from_date: input.fromDate ?? null,
        to_date: null,
        source_agency_id: context.principal.agencyId,
      })
      .execute();
  }

  /** Loads what the access policy needs to decide about a person, without reading their details. */
  async function accessFacts(personId: string) {
    const person = await repo.findPerson(db, personId);
    if (!person) throw new NotFoundError('The person');
    return {
      person,
      resource: { areaId: person.area_id, relatedAgencyIds: await repo.relatedAgencyIds(db, personId) },
    };
  }

  return {
    insertPerson,
    addRelationship,

    createPerson(context: AuditContext, input: NewPerson) {
      assertAllowed(context.principal, 'person:create');
      return transaction(db, (trx) => insertPerson(trx, context, input));
    },

    /** A person's whole record for display; the read is audited, and so is a refusal. */
    async viewPerson(context: AuditContext, personId: string) {
      const { person, resource } = await accessFacts(personId);
      assertAllowed(context.principal, 'person:view', resource, {
        type: 'person',
        id: personId,
        personIds: [personId],
        areaId: person.area_id,
      });
      const [details, householdRows] = await Promise.all([
        repo.personDetails(db, personId),
        repo.household(db, personId),
      ]);
      await recordAudit(db, context, {
        action: 'person.view',
        subjectType: 'person',
        subjectId: personId,
        personIds: [personId],
        areaId: person.area_id,
      });
      return { person, ...details, household: householdRows.filter((h) => h.id !== personId) };
    },

    async accessLog(context: AuditContext, personId: string, page: number, pageSize = 50) {
      const { person, resource } = await accessFacts(personId);
      assertAllowed(context.principal, 'person:view-access-log', resource, {
        type: 'person',
        id: personId,
        personIds: [personId],
        areaId: person.area_id,
      });
      const log = await repo.accessLog(db, personId, page, pageSize);
      await recordAudit(db, context, {
        action: 'person.view-access-log',
        subjectType: 'person',
        subjectId: personId,
        personIds: [personId],
        areaId: person.area_id,
      });
      return { person, ...log };
    },

    async search(context: AuditContext, query: repo.PersonSearch) {
      const scope = scopeFor(context.principal, 'person:view');
      const result = await repo.searchPeople(db, query, scope);
      await recordAudit(db, context, {
        action: 'person.search',
        personIds: result.rows.map((r) => r.id),
        details: { criteria: { ...query, page: undefined, pageSize: undefined }, results: result.total },
      });
      return result;
    },

    mayView(principal: Principal) {
      return scopeFor(principal, 'person:view').kind !== 'none';
    },
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
