import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { DateTime } from 'luxon';
import type { Db, Trx } from '../../db/database.ts';
import { transaction } from '../../db/database.ts';
import { identifierTypes } from '../../domain/identifier-types.ts';
import { normalisePostcode, postcodeDistrict } from '../../domain/identifiers.ts';
import { BLOCKING_KEY_VERSION } from '../../domain/matching.ts';
import { nullWhereAbsent } from '../../domain/optional-answers.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { type Action, assertAllowed, type Resource, scopeFor } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Principal } from '../../platform/principal.ts';
import { changesForPerson, recordChange } from '../../platform/record-change.ts';
import type { DirectoryService } from '../directory/service.ts';
import { blockingKeysOf, currentFirst } from './match-records.ts';
import { mergeService } from './merge.ts';
import { FILLABLE } from './merge-repository.ts';
import {
  factsOfInput,
  type IdentifierScheme,
  INCIDENT_ROLES,
  type IncidentRole,
  isRelationshipKind,
  type NewPerson,
  validateNewPerson,
} from './person-input.ts';
import * as relationships from './relationships.ts';
import * as repo from './repository.ts';
import { resolutionService } from './resolution.ts';
import * as matchRepo from './resolution-repository.ts';
import * as retention from './retention-repository.ts';
import { reviewService } from './review.ts';
import { subjectAccessFacts } from './subject-access-repository.ts';

export type {
  IdentifierScheme,
  IncidentRole,
  NewPerson,
  PersonKind,
  RelationshipKind,
} from './person-input.ts';
export { blockingKeysOfInput, matchRecordOf, validateNewPerson } from './person-input.ts';
export type { NewRelationship } from './relationships.ts';
export type { MatchAnswer, MatchedCandidate, ResolveResult } from './resolution.ts';

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function addressRow(
  a: NonNullable<NewPerson['addresses']>[number],
  personId: string,
  areaId: string,
  source: string | null,
) {
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
}

const OUTSIDE_EVERY_AREA: FieldError = {
  field: 'addresses[0].postcode',
  message: 'The postcode is outside every area this partnership serves; give the area explicitly',
};

/** A json_agg column: parsed by the PostgreSQL driver, text from PGlite's. */
type HeldJson<T> = T[] | string;
const fromJson = <T>(value: HeldJson<T>): T[] =>
  typeof value === 'string' ? (JSON.parse(value) as T[]) : value;

/** Each person and every multi-valued fact held, one row per person (each sub-select on its person_id index). */
function selectHeld(trx: Trx) {
  return trx
    .selectFrom('person')
    .selectAll()
    .select([
      sql<
        HeldJson<{ given_name: string; family_name: string }>
      >`coalesce((select json_agg(json_build_object('given_name', n.given_name, 'family_name', n.family_name))
        from person_name n where n.person_id = person.id), '[]'::json)`.as('held_names'),
      sql<
        HeldJson<{ scheme: string; value: string }>
      >`coalesce((select json_agg(json_build_object('scheme', i.scheme, 'value', i.value))
        from person_identifier i where i.person_id = person.id), '[]'::json)`.as('held_identifiers'),
    ]);
}

/** A person as `addFacts` compares an agency's record with it. */
export type HeldFacts = Awaited<ReturnType<ReturnType<typeof selectHeld>['execute']>>[number];

/** What the people service needs from other capabilities, handed in by the composition root. */
export interface PeopleCollaborators {
  directory: DirectoryService;
}

export function peopleService(deps: Deps, { directory }: PeopleCollaborators) {
  const { db } = deps;
  const today = () => DateTime.fromJSDate(deps.now()).setZone(TIME_ZONE).toISODate()!;

  /** The area a new record belongs to: given, or the current address's postcode's; null if neither. */
  async function areaOfInput(conn: Db | Trx, input: NewPerson): Promise<string | null> {
    if (input.areaId) return input.areaId;
    const current = currentFirst(input.addresses ?? [])[0];
    const postcode = current ? normalisePostcode(current.postcode) : null;
    const district = postcode ? postcodeDistrict(postcode) : null;
    if (!district) return null;
    return (await directory.areaForPostcodeDistrict(district, conn))?.id ?? null;
  }

  /** `areaOfInput` for many records: each postcode district is looked up once. */
  async function areasOfInputs(conn: Db | Trx, inputs: readonly NewPerson[]): Promise<(string | null)[]> {
    // Each district once, all of them in one statement: a batch of a bulk transfer names a
    // dozen districts, and one round trip each was a tenth of its statements.
    const districts = inputs.map((input) => {
      if (input.areaId) return null;
      const current = currentFirst(input.addresses ?? [])[0];
      return current ? postcodeDistrict(current.postcode) : null;
    });
    const wanted = [...new Set(districts.filter((d): d is string => d !== null))];
    const areas = await directory.areasForPostcodeDistricts(wanted, conn);
    return inputs.map((input, i) => input.areaId ?? areas.get(districts[i] ?? '') ?? null);
  }

  /** person:create is decided on the area the new record would belong to (a key for one area cannot create in another). */
  async function authoriseCreate(conn: Db | Trx, context: AuditContext, input: NewPerson): Promise<string> {
    const errors = validateNewPerson(
      input,
      today(),
      '',
      identifierTypes(deps.config.partnership.matching.identifierTypes),
    );
    if (errors.length > 0) throw new ValidationError(errors);
    const areaId = await areaOfInput(conn, input);
    if (!areaId) throw new ValidationError([OUTSIDE_EVERY_AREA]);
    assertAllowed(
      context.principal,
      'person:create',
      { areaId, relationships: [] },
      { type: 'person', areaId },
    );
    return areaId;
  }

  /**
   * Writes people and every fact about them, with the supplying agency as provenance: one insert
   * per table for all of them (ids are made here, so nothing written is read back). Audited per
   * person. All are validated before anything is written.
   */
  async function insertPeople(
    trx: Trx,
    context: AuditContext,
    inputs: readonly NewPerson[],
    ids?: readonly string[],
  ): Promise<{ id: string; areaId: string }[]> {
    const source = context.principal.agencyId;
    const prepared: {
      id: string;
      areaId: string;
      input: NewPerson;
      identifiers: { scheme: IdentifierScheme; value: string }[];
      keys: string[];
    }[] = [];
    const areas = await areasOfInputs(trx, inputs);
    const day = today();
    const types = identifierTypes(deps.config.partnership.matching.identifierTypes);
    for (const [index, input] of inputs.entries()) {
      const errors = validateNewPerson(input, day, '', types);
      if (errors.length > 0) throw new ValidationError(errors);
      const areaId = areas[index];
      if (!areaId) throw new ValidationError([OUTSIDE_EVERY_AREA]);
      const facts = factsOfInput(input);
      const identifiers = uniqueBy(facts.identifiers, (i) => `${i.scheme}:${i.value}`) as {
        scheme: IdentifierScheme;
        value: string;
      }[];
      prepared.push({
        id: ids?.[index] ?? randomUUID(),
        areaId,
        input,
        identifiers,
        keys: blockingKeysOf(facts),
      });
    }
    if (prepared.length === 0) return [];
    await trx
      .insertInto('person')
      .values(
        prepared.map(({ id, areaId, input, identifiers, keys }) => ({
          id,
          area_id: areaId,
          kind: input.kind,
          given_name: input.givenName.trim(),
          family_name: input.familyName.trim(),
          preferred_name: input.preferredName?.trim() || null,
          date_of_birth: input.dateOfBirth ?? null,
          expected_date: input.expectedDate ?? null,
          sex: input.sex ?? null,
          gender: input.gender ?? null,
          ethnicity: input.ethnicity || null,
          language: input.language ?? null,
          disability: input.disability ?? null,
          nhs_number: identifiers.find((i) => i.scheme === 'nhs')?.value ?? null,
          blocking_keys: keys,
          created_by_agency_id: source,
        })),
      )
      .execute();
    const names = prepared.flatMap(({ id, areaId, input }) =>
      [
        {
          kind: 'current' as const,
          given_name: input.givenName.trim(),
          family_name: input.familyName.trim(),
        },
        ...(input.otherNames ?? []).map((n) => ({
          kind: n.kind,
          given_name: n.givenName.trim(),
          family_name: n.familyName.trim(),
          valid_from: n.validFrom ?? null,
          valid_to: n.validTo ?? null,
        })),
        ...(input.preferredName?.trim()
          ? [
              {
                kind: 'preferred' as const,
                given_name: input.preferredName.trim(),
                family_name: input.familyName.trim(),
              },
            ]
          : []),
      ].map((n) => ({
        valid_from: null,
        valid_to: null,
        ...n,
        person_id: id,
        area_id: areaId,
        source_agency_id: source,
      })),
    );
    await trx.insertInto('person_name').values(names).execute();
    const identifierRows = prepared.flatMap(({ id, areaId, identifiers }) =>
      identifiers.map((i) => ({ ...i, person_id: id, area_id: areaId, source_agency_id: source })),
    );
    if (identifierRows.length) await trx.insertInto('person_identifier').values(identifierRows).execute();
    const addressRows = prepared.flatMap(({ id, areaId, input }) =>
      (input.addresses ?? []).map((a) => addressRow(a, id, areaId, source)),
    );
    if (addressRows.length) await trx.insertInto('person_address').values(addressRows).execute();
    const detailRows = prepared.flatMap(({ id, areaId, input }) =>
      (input.contactDetails ?? []).map((c) => ({
        kind: c.kind,
        value: c.value.trim(),
        person_id: id,
        area_id: areaId,
        source_agency_id: source,
      })),
    );
    if (detailRows.length) await trx.insertInto('person_contact_detail').values(detailRows).execute();
    await relationships.grant(
      trx,
      prepared.flatMap(({ id, areaId, input }) =>
        (input.relationships ?? [])
          .filter((r) => r.agencyId !== source)
          .map((r) => ({
            personId: id,
            areaId,
            agencyId: r.agencyId,
            basis: r.basis,
            grantedByAgencyId: source,
            grantedByName: context.principal.name,
          })),
      ),
    );
    for (const { id, areaId } of prepared)
      await recordAudit(trx, context, {
        action: 'person.create',
        subjectType: 'person',
        subjectId: id,
        personIds: [id],
        areaId,
      });
    return prepared.map(({ id, areaId }) => ({ id, areaId }));
  }

  /** Writes a person and every fact about them, with the supplying agency as provenance. */
  async function insertPerson(
    trx: Trx,
    context: AuditContext,
    input: NewPerson,
  ): Promise<{ id: string; areaId: string }> {
    return (await insertPeople(trx, context, [input]))[0]!;
  }

  /** Recomputes a person's blocking keys from everything stored about them. */
  async function refreshBlockingKeys(trx: Trx, personIds: readonly string[]): Promise<void> {
    for (const row of await matchRepo.storedFacts(trx, personIds)) {
      await trx
        .updateTable('person')
        .set({ blocking_keys: blockingKeysOf(matchRepo.factsOfRow(row)) })
        .where('id', '=', row.id)
        .execute();
    }
  }

  /**
   * Records what an agency's record adds to a person Harbour already holds, without overwriting
   * anything: names and identifiers not yet held, and single-valued facts (sex, ethnicity, ...)
   * only where none is recorded, each with the agency as provenance. Addresses and contact details
   * are not copied: an address a submitter gives for an existing person is a fact of that
   * submission (kept on it), never the person's current address — it may be the abuser's guess
   * at a refuge, or the submitter's own. Nothing here grants the submitter access (docs/access.md).
   * Returns what was added.
   */
  /**
   * What `addFacts` compares with, for several people in one statement (`selectHeld`).
   */
  async function heldFacts(trx: Trx, personIds: readonly string[]): Promise<Map<string, HeldFacts>> {
    if (personIds.length === 0) return new Map();
    const rows = await selectHeld(trx)
      .where('id', 'in', [...new Set(personIds)])
      .execute();
    return new Map(rows.map((row) => [row.id, row]));
  }

  async function addFacts(
    trx: Trx,
    context: AuditContext,
    personId: string,
    input: NewPerson,
    /** The person's held facts when the caller has just read them (`heldFacts`). */
    alreadyRead?: HeldFacts,
  ) {
    const held = alreadyRead ?? (await heldFacts(trx, [personId])).get(personId);
    if (!held) throw new NotFoundError('No such person');
    const { held_names, held_identifiers, ...person } = held;
    const names = fromJson(held_names);
    const identifiers = fromJson(held_identifiers);
    const areaId = person.area_id;
    const source = context.principal.agencyId;
    const at = deps.now().toISOString();
    const nameKey = (g: string, f: string) => `${g.trim().toLowerCase()}|${f.trim().toLowerCase()}`;
    const heldNames = new Set(names.map((n) => nameKey(n.given_name, n.family_name)));
    const newNames: { kind: 'alias' | 'previous' | 'preferred'; given_name: string; family_name: string }[] =
      [];
    const offer = (kind: 'alias' | 'previous' | 'preferred', given: string, family: string) => {
      const key = nameKey(given, family);
      if (!given.trim() && !family.trim()) return;
      if (heldNames.has(key)) return;
      heldNames.add(key);
      newNames.push({ kind, given_name: given.trim(), family_name: family.trim() });
    };
    offer('alias', input.givenName, input.familyName);
    for (const n of input.otherNames ?? []) offer(n.kind, n.givenName, n.familyName);
    if (input.preferredName?.trim()) offer('preferred', input.preferredName, input.familyName);
    if (newNames.length)
      await trx
        .insertInto('person_name')
        .values(
          newNames.map((n) => ({
            ...n,
            person_id: personId,
            area_id: areaId,
            source_agency_id: source,
            valid_from: null,
            valid_to: null,
          })),
        )
        .execute();

    const heldIds = new Set(identifiers.map((i) => `${i.scheme}:${i.value}`));
    const newIds = uniqueBy(factsOfInput(input).identifiers, (i) => `${i.scheme}:${i.value}`).filter(
      (i) => !heldIds.has(`${i.scheme}:${i.value}`),
    ) as { scheme: IdentifierScheme; value: string }[];
    if (newIds.length)
      await trx
        .insertInto('person_identifier')
        .values(newIds.map((i) => ({ ...i, person_id: personId, area_id: areaId, source_agency_id: source })))
        .execute();

    const filled: Record<string, string> = {};
    const candidates = {
      date_of_birth: input.dateOfBirth,
      expected_date: input.expectedDate,
      sex: input.sex,
      gender: input.gender,
      ethnicity: input.ethnicity || undefined,
      language: input.language,
      disability: input.disability,
      preferred_name: input.preferredName?.trim() || undefined,
    } as const;
    for (const [field, value] of Object.entries(candidates)) {
      if (value !== undefined && person[field as keyof typeof candidates] === null) filled[field] = value;
    }
    if (!person.nhs_number) {
      const nhs = newIds.find((i) => i.scheme === 'nhs');
      if (nhs) filled.nhs_number = nhs.value;
    }
    if (Object.keys(filled).length) {
      const sources = { ...person.field_sources };
      for (const field of Object.keys(filled)) sources[field] = { agencyId: source, at };
      await trx
        .updateTable('person')
        .set({ ...filled, field_sources: JSON.stringify(sources), updated_at: deps.now() })
        .where('id', '=', personId)
        .execute();
      await recordChange(trx, {
        entity: 'person',
        entityId: personId,
        personId,
        areaId,
        action: 'person.add-facts',
        before: Object.fromEntries(Object.keys(filled).map((f) => [f, person[f as keyof typeof person]])),
        after: filled,
        actor: context.principal,
        at: deps.now(),
      });
    }
    const added = {
      names: newNames.length,
      identifiers: newIds.map((i) => i.scheme),
      fields: Object.keys(filled),
    };
    if (newNames.length || newIds.length || Object.keys(filled).length)
      await refreshBlockingKeys(trx, [personId]);
    return added;
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
      toDate?: string;
    },
  ) {
    if (!isRelationshipKind(input.kind))
      throw new ValidationError([{ field: 'kind', message: 'Choose a kind of relationship from the list' }]);
    if (input.personId === input.relatedPersonId)
      throw new ValidationError([
        { field: 'relatedPersonId', message: 'A person cannot be related to themselves' },
      ]);
    const row = await trx
      .insertInto('person_relationship')
      .values({
        area_id: input.areaId,
        person_id: input.personId,
        related_person_id: input.relatedPersonId,
        kind: input.kind,
        ...nullWhereAbsent(input, {
          incident_reference: 'incidentReference',
          from_date: 'fromDate',
          to_date: 'toDate',
        }),
        source_agency_id: context.principal.agencyId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** A person's domestic-abuse role in one incident, recorded by whoever reported it. */
  async function recordIncidentRole(
    trx: Trx,
    context: AuditContext,
    input: {
      personId: string;
      incidentReference: string;
      role: IncidentRole;
      occurredOn?: string;
      /** The front-door contact that named the person, for the record's link to it. */
      contactId?: string;
    },
  ): Promise<string> {
    const errors: FieldError[] = [];
    if (!INCIDENT_ROLES.includes(input.role))
      errors.push({
        field: 'role',
        message: 'Role must be victim, perpetrator, suspect or child-in-household',
      });
    if (!input.incidentReference?.trim())
      errors.push({ field: 'incidentReference', message: 'Enter the incident reference' });
    if (errors.length) throw new ValidationError(errors);
    const person = await trx
      .selectFrom('person')
      .select('area_id')
      .where('id', '=', input.personId)
      .executeTakeFirst();
    if (!person) throw new NotFoundError('The person');
    const row = await trx
      .insertInto('person_incident_role')
      .values({
        person_id: input.personId,
        area_id: person.area_id,
        incident_reference: input.incidentReference.trim(),
        role: input.role,
        occurred_on: input.occurredOn ?? null,
        contact_id: input.contactId ?? null,
        source_agency_id: context.principal.agencyId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, context, {
      action: 'person.incident-role',
      subjectType: 'person',
      subjectId: input.personId,
      personIds: [input.personId],
      areaId: person.area_id,
      details: { role: input.role, incidentReference: input.incidentReference.trim() },
    });
    return row.id;
  }

  /** Who supplied each single-valued fact and when: the agency that filled it in, else the creator. */
  async function factSources(person: Awaited<ReturnType<typeof repo.findPerson>> & {}) {
    const fields = FILLABLE.filter((f) => f !== 'nhs_number');
    const raw = Object.fromEntries(
      fields.map((f) => [
        f,
        person.field_sources[f] ?? {
          agencyId: person.created_by_agency_id,
          at: new Date(person.created_at).toISOString(),
        },
      ]),
    );
    const agencyIds = [
      ...new Set(
        Object.values(raw)
          .map((r) => r.agencyId)
          .filter((a): a is string => Boolean(a)),
      ),
    ];
    const agencies = agencyIds.length ? await directory.agenciesByIds(agencyIds) : [];
    const names = new Map(agencies.map((a) => [a.id, a.name]));
    return Object.fromEntries(
      Object.entries(raw).map(([f, r]) => [
        f,
        { source: (r.agencyId && names.get(r.agencyId)) || null, at: r.at },
      ]),
    ) as Record<string, { source: string | null; at: string }>;
  }

  /** Loads what the access policy needs to decide about a person, without reading their details. */
  async function accessFacts(personId: string, conn: Db | Trx = db) {
    // The policy's view is built from the row just read, not by reading the person a second time.
    const [person, held] = await Promise.all([
      repo.findPerson(conn, personId),
      relationships.relationshipsOf(conn, [personId]),
    ]);
    if (!person) throw new NotFoundError('The person');
    const resource = {
      areaId: person.area_id,
      relationships: held.get(personId) ?? [],
      asOf: deps.now(),
    } satisfies Resource & { areaId: string };
    return { person, resource };
  }

  /** A page of something about one person (its access log, its changes): decided, read, audited. */
  async function pageAboutPerson<T extends object>(
    context: AuditContext,
    personId: string,
    action: 'person:view' | 'person:view-access-log',
    auditAction: string,
    details: Record<string, unknown>,
    read: () => Promise<T>,
  ) {
    const { person, resource } = await accessFacts(personId);
    const subject = { personIds: [personId], areaId: person.area_id };
    assertAllowed(context.principal, action, resource, { type: 'person', id: personId, ...subject });
    const rows = await read();
    await recordAudit(db, context, {
      action: auditAction,
      subjectType: 'person',
      subjectId: personId,
      ...subject,
      ...(Object.keys(details).length ? { details } : {}),
    });
    return { person, ...rows };
  }

  /** The policy's view of several people at once: area and recorded relationships. */
  async function accessResources(personIds: readonly string[], conn: Db | Trx = db) {
    const ids = [...new Set(personIds)];
    const [rows, held] = await Promise.all([
      repo.peopleByIds(conn, ids),
      relationships.relationshipsOf(conn, ids),
    ]);
    return resourcesOf(
      rows.map((p) => ({ id: p.id, areaId: p.area_id })),
      held,
    );
  }
  /** The policy's view of people whose areas the caller has just read (match candidates). */
  async function accessResourcesOfKnown(
    people: readonly { id: string; areaId: string }[],
    conn: Db | Trx = db,
  ) {
    return resourcesOf(
      people,
      await relationships.relationshipsOf(conn, [...new Set(people.map((p) => p.id))]),
    );
  }
  function resourcesOf(
    people: readonly { id: string; areaId: string }[],
    held: Awaited<ReturnType<typeof relationships.relationshipsOf>>,
  ) {
    const asOf = deps.now();
    return new Map(
      people.map((p) => [
        p.id,
        { areaId: p.areaId, relationships: held.get(p.id) ?? [], asOf } satisfies Resource & {
          areaId: string;
        },
      ]),
    );
  }

  /**
   * What resolving or creating each record would refuse, without writing anything: its field
   * errors (an empty list where there are none). The bulk import rejects these rows before it
   * resolves the rest together.
   */
  async function refusalsOf(conn: Db | Trx, inputs: readonly NewPerson[]): Promise<FieldError[][]> {
    const types = identifierTypes(deps.config.partnership.matching.identifierTypes);
    const areas = await areasOfInputs(conn, inputs);
    const day = today();
    return inputs.map((input, i) => {
      const errors = validateNewPerson(input, day, '', types);
      if (errors.length > 0) return errors;
      return areas[i] ? [] : [OUTSIDE_EVERY_AREA];
    });
  }

  const resolution = resolutionService(deps, {
    areasOfInputs,
    insertPerson,
    insertPeople,
    heldFacts,
    addFacts,
    authoriseCreate,
    accessResources,
    accessResourcesOfKnown,
  });
  /**
   * Recomputes every live person's blocking keys, a page at a time, each page its own transaction.
   * Run after an upgrade that changes the keys (BLOCKING_KEY_VERSION): people stored before keep the
   * old kinds until then, so a new record finds them only through the kinds both versions share.
   */
  async function rekeyPeople(
    context: AuditContext,
    pageSize = 1000,
  ): Promise<{ people: number; keyVersion: number }> {
    let after: string | null = null;
    let people = 0;
    for (;;) {
      const ids = await matchRepo.liveIdsAfter(db, after, pageSize);
      if (ids.length === 0) break;
      await transaction(db, (trx) => refreshBlockingKeys(trx, ids));
      people += ids.length;
      after = ids[ids.length - 1]!;
    }
    await recordAudit(db, context, {
      action: 'matching.rekey',
      subjectType: 'person-index',
      details: { people, keyVersion: BLOCKING_KEY_VERSION },
    });
    return { people, keyVersion: BLOCKING_KEY_VERSION };
  }

  const merging = mergeService(deps, { refreshBlockingKeys });
  const reviewing = reviewService(deps, merging);

  return {
    insertPerson,
    insertPeople,
    addFacts,
    addRelationship,
    recordIncidentRole,
    refreshBlockingKeys,
    rekeyPeople,
    heldFacts,
    refusalsOf,
    ...resolution,
    ...merging,
    ...reviewing,

    // Reads for other modules, which use people through this service and never its tables. Not
    // access-checked or audited: the calling module checks and audits its own action. `conn` lets
    // a caller read inside its transaction.
    accessFacts,
    peopleByIds: (ids: readonly string[], conn: Db | Trx = db) => repo.peopleByIds(conn, ids),
    personNames: (ids: readonly string[], conn: Db | Trx = db) => repo.personNames(conn, ids),
    equalityFacts: (ids: readonly string[], conn: Db | Trx = db) => repo.equalityFacts(conn, ids),
    liveIdsByNhsNumber: (nhsNumber: string, conn: Db | Trx = db) => repo.liveIdsByNhsNumber(conn, nhsNumber),
    liveIdsByNameAndBirth: (
      query: { givenName: string; familyName: string; dateOfBirth: string },
      conn: Db | Trx = db,
    ) => repo.liveIdsByNameAndBirth(conn, query),
    accessResources,
    relationshipsOfContact: (contactId: string, conn: Db | Trx = db) =>
      relationships.relationshipsOfContact(conn, contactId),
    relationshipsOfEpisode: (episodeId: string, conn: Db | Trx = db) =>
      relationships.relationshipsOfEpisode(conn, episodeId),
    peopleOfEpisodes: (episodeIds: readonly string[], conn: Db | Trx = db) =>
      relationships.peopleOfEpisodes(conn, episodeIds),
    /** Records relationships in the caller's transaction (an enquiry sent, a school named). */
    grantRelationships: (trx: Trx, rows: readonly relationships.NewRelationship[]) =>
      relationships.grant(trx, rows),
    /** An episode ended: its relationships expire at `expiresAt`. */
    expireContactEpisodes: (trx: Trx, contactId: string, episodeType: string, expiresAt: Date) =>
      relationships.expireContactEpisodes(trx, contactId, episodeType, expiresAt),
    /** A meeting's episode ended (a strategy discussion shared): its relationships expire at `expiresAt`. */
    expireEpisode: (trx: Trx, episodeId: string, expiresAt: Date, agencyIds?: readonly string[]) =>
      relationships.expireEpisode(trx, episodeId, expiresAt, agencyIds),
    /** Retention (decision 0012): candidates, and the removal of people's facts in the caller's transaction. */
    retention: {
      childrenBornOnOrBefore: (date: string, conn: Db | Trx = db) =>
        retention.childrenBornOnOrBefore(conn, date),
      anonymise: (trx: Trx, personIds: readonly string[]) => retention.anonymisePeople(trx, personIds),
      removeContactRelationships: (trx: Trx, contactIds: readonly string[]) =>
        retention.removeContactRelationships(trx, contactIds),
    },
    /** Everything held about a person and the records merged into it (subject access, retention). */
    subjectAccessFacts: (personId: string, conn: Db | Trx = db) => subjectAccessFacts(conn, personId),
    latestPostcode: (personId: string, conn: Db | Trx = db) => repo.latestPostcode(conn, personId),
    residentsWithAddresses: (areaId: string) => repo.residentsWithAddresses(db, areaId),
    linkedAdults: (childId: string, conn: Db | Trx = db) => repo.linkedAdults(conn, childId),
    linkedChildren: (adultIds: readonly string[], conn: Db | Trx = db) => repo.linkedChildren(conn, adultIds),

    async createPerson(context: AuditContext, input: NewPerson) {
      await authoriseCreate(db, context, input);
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
      const [details, householdRows, merges] = await Promise.all([
        repo.personDetails(db, personId),
        repo.household(db, personId),
        db
          .selectFrom('person_merge')
          .select(['id', 'survivor_id', 'merged_id', 'merged_at', 'unmerged_at'])
          .where((eb) => eb.or([eb('survivor_id', '=', personId), eb('merged_id', '=', personId)]))
          .orderBy('merged_at', 'desc')
          .execute(),
      ]);
      const sources = await factSources(person);
      await recordAudit(db, context, {
        action: 'person.view',
        subjectType: 'person',
        subjectId: personId,
        personIds: [personId],
        areaId: person.area_id,
      });
      return {
        person,
        /** The policy's view of the record, for panels other modules add to the page (read once). */
        resource,
        ...details,
        sources,
        merges,
        household: householdRows.filter((h) => h.id !== personId),
      };
    },

    /** Pairs awaiting a same-person decision in these areas (not audited: a count, no person). */
    pendingReviewCount: (areaIds: readonly string[]) => repo.pendingReviewCount(db, areaIds),

    /** The field-level change history of a person's record, newest first; seen as the record is. */
    changeHistory(context: AuditContext, personId: string, page: number, pageSize = 50) {
      return pageAboutPerson(context, personId, 'person:view', 'person.changes-view', { page }, () =>
        changesForPerson(db, personId, page, pageSize),
      );
    },

    accessLog(context: AuditContext, personId: string, page: number, pageSize = 50) {
      return pageAboutPerson(context, personId, 'person:view-access-log', 'person.view-access-log', {}, () =>
        repo.accessLog(db, personId, page, pageSize),
      );
    },

    /**
     * People matching the query among those the principal may see, or — for a page that picks a
     * person to act on — those it may take that action about (police sharing a child's custody
     * episode: encompass:share, the force's areas). The policy's scope decides either way.
     */
    async search(context: AuditContext, query: repo.PersonSearch, forAction: Action = 'person:view') {
      const scope = scopeFor(context.principal, forAction, deps.now());
      const result = await repo.searchPeople(db, query, scope);
      await recordAudit(db, context, {
        action: 'person.search',
        personIds: result.rows.map((r) => r.id),
        details: {
          ...(forAction === 'person:view' ? {} : { forAction }),
          criteria: { ...query, page: undefined, pageSize: undefined },
          results: result.total,
          ...(result.capped ? { moreResults: true } : {}),
        },
      });
      return result;
    },

    mayView(principal: Principal) {
      return scopeFor(principal, 'person:view').kind !== 'none';
    },
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
