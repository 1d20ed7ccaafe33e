import { assertAllowed } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFoundError, ValidationError } from '../../platform/errors.ts';
import { personAddressJson } from '../../platform/person-address-json.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { FlagsService } from '../flags/service.ts';
import type { FrontDoorService } from '../front-door/service.ts';
import type { PeopleService } from '../people/service.ts';
import type { RiskService } from '../risk/service.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who supplied a fact and when: every entry of an export carries one. */
export interface Provenance {
  agency: string | null;
  recordedAt: string | null;
}

/** Another person named in the subject's record: shown by name only, for the DPO to review. */
export interface ThirdParty {
  id: string;
  name: string | null;
  role: string;
  redactionReview: true;
}

function iso(value: Date | string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : String(value);
}

export function validateSubjectAccessRequest(input: { personId: string; reason: string }) {
  const errors = [];
  if (!UUID.test(input.personId.trim()))
    errors.push({ field: 'personId', message: 'Enter the Harbour record ID of the person, like 0b5e…-…' });
  const reason = input.reason.trim();
  if (reason.length < 5)
    errors.push({
      field: 'reason',
      message: 'Enter the reason for the export, such as the request’s reference',
    });
  else if (reason.length > 500)
    errors.push({ field: 'reason', message: 'Reason must be 500 characters or fewer' });
  if (errors.length > 0) throw new ValidationError(errors);
  return { personId: input.personId.trim().toLowerCase(), reason };
}

/**
 * A subject access export (decision 0012): everything Harbour holds about one person, from every
 * module through its service, each fact with the agency that supplied it and when. Other people
 * named in it (relatives, people on the same contact, those named in an assessment) appear by name
 * and role only and are marked for redaction review; free text that may name them (narratives,
 * event summaries) is marked too. Each export is audited with its reason.
 */
export interface SubjectAccessCollaborators {
  people: PeopleService;
  directory: DirectoryService;
  chronology: ChronologyService;
  frontDoor: FrontDoorService;
  risk: RiskService;
  flags: FlagsService;
}

export function subjectAccessService(
  deps: Deps,
  { people, directory, chronology, frontDoor, risk: riskModule, flags }: SubjectAccessCollaborators,
) {
  return {
    async exportPerson(context: AuditContext, input: { personId: string; reason: string }) {
      const { personId, reason } = validateSubjectAccessRequest(input);
      const facts = await people.subjectAccessFacts(personId);
      const person = facts?.records.find((r) => r.id === personId);
      if (!facts || !person) throw new NotFoundError('The person');
      assertAllowed(
        context.principal,
        'person:subject-access',
        { areaId: person.area_id },
        { type: 'person', id: personId, personIds: [personId], areaId: person.area_id },
      );
      const ids = facts.records.map((r) => r.id);
      const [events, contacts, risk, heldFlags] = await Promise.all([
        chronology.subjectAccessEvents(ids),
        frontDoor.subjectAccessContacts(ids),
        riskModule.subjectAccessAssessments(ids),
        flags.subjectAccessFlags(ids),
      ]);

      const agencyIds = new Set<string>();
      const note = (id: string | null | undefined) => {
        if (id) agencyIds.add(id);
      };
      for (const list of [
        facts.names,
        facts.identifiers,
        facts.addresses,
        facts.contactDetails,
        facts.incidentRoles,
      ])
        for (const row of list) note(row.source_agency_id);
      for (const row of facts.relationships) note(row.source_agency_id);
      for (const row of facts.access) {
        note(row.agency_id);
        note(row.granted_by_agency_id);
      }
      for (const r of facts.records) note(r.created_by_agency_id);
      for (const e of events) note(e.source_agency_id);
      for (const c of contacts) {
        note(c.contact.source_agency_id);
        for (const e of c.enquiries) note(e.agency_id);
      }
      for (const a of risk.assessments) note(a.assessor_agency_id);
      const agencies = new Map(
        (await directory.agenciesByIds([...agencyIds])).map((a) => [a.id, a.name] as const),
      );
      const agencyName = (id: string | null | undefined) => (id ? (agencies.get(id) ?? null) : null);
      const provenance = (
        agencyId: string | null | undefined,
        at: Date | string | null | undefined,
      ): Provenance => ({
        agency: agencyName(agencyId),
        recordedAt: iso(at),
      });
      // A fact about the person, with the agency that supplied it and when.
      const supplied = <T extends object>(
        fact: { source_agency_id: string | null; recorded_at: Date | string },
        fields: T,
      ) => ({ ...fields, provenance: provenance(fact.source_agency_id, fact.recorded_at) });

      const otherIds = new Set<string>();
      for (const c of contacts) for (const o of c.others) otherIds.add(o.person_id);
      for (const a of risk.assessments)
        for (const id of [a.victim_person_id, ...a.perpetrator_person_ids, ...a.child_person_ids])
          if (!ids.includes(id)) otherIds.add(id);
      const otherNames = new Map(
        (await people.personNames([...otherIds])).map(
          (p) => [p.id, `${p.given_name} ${p.family_name}`] as const,
        ),
      );
      const thirdParty = (id: string, role: string): ThirdParty => ({
        id,
        name: otherNames.get(id) ?? null,
        role,
        redactionReview: true,
      });

      const exported = {
        format: 'harbour-subject-access' as const,
        version: 1 as const,
        generatedAt: deps.now().toISOString(),
        generatedBy: { name: context.principal.name, agency: context.principal.agencyName },
        reason,
        redactionNote:
          'Entries marked redactionReview name or may describe other people (third parties). Review them before disclosure.',
        person: {
          id: person.id,
          kind: person.kind,
          givenName: person.given_name,
          familyName: person.family_name,
          preferredName: person.preferred_name,
          dateOfBirth: person.date_of_birth,
          expectedDate: person.expected_date,
          sex: person.sex,
          gender: person.gender,
          ethnicity: person.ethnicity,
          language: person.language,
          disability: person.disability,
          nhsNumber: person.nhs_number,
          provenance: provenance(person.created_by_agency_id, person.created_at),
          fieldSources: Object.fromEntries(
            Object.entries(person.field_sources ?? {}).map(([field, source]) => [
              field,
              provenance(source.agencyId, source.at),
            ]),
          ),
        },
        mergedRecords: facts.records
          .filter((r) => r.id !== personId)
          .map((r) => ({
            id: r.id,
            mergedAt: iso(r.updated_at),
            provenance: provenance(r.created_by_agency_id, r.created_at),
          })),
        names: facts.names.map((n) =>
          supplied(n, {
            kind: n.kind,
            givenName: n.given_name,
            familyName: n.family_name,
            validFrom: n.valid_from,
            validTo: n.valid_to,
          }),
        ),
        identifiers: facts.identifiers.map((i) => supplied(i, { scheme: i.scheme, value: i.value })),
        addresses: facts.addresses.map((a) => supplied(a, personAddressJson(a))),
        contactDetails: facts.contactDetails.map((c) => supplied(c, { kind: c.kind, value: c.value })),
        incidentRoles: facts.incidentRoles.map((r) =>
          supplied(r, { incidentReference: r.incident_reference, role: r.role, occurredOn: r.occurred_on }),
        ),
        relationships: facts.relationships.map((r) => ({
          ...supplied(r, { kind: r.kind, direction: r.direction, fromDate: r.from_date, toDate: r.to_date }),
          thirdParty: { id: r.other.id, name: r.other.name, role: r.kind, redactionReview: true as const },
        })),
        whoMaySee: facts.access.map((a) => ({
          agency: agencyName(a.agency_id),
          basis: a.basis,
          grantedBy: a.granted_by_name,
          grantedAt: iso(a.granted_at),
          expiresAt: iso(a.expires_at),
        })),
        chronology: events.map((e) => ({
          id: e.id,
          type: e.type,
          occurredAt: iso(e.occurred_at),
          significance: e.significance,
          summary: e.summary,
          provenance: provenance(e.source_agency_id, e.recorded_at),
          redactionReview: true as const,
        })),
        contacts: contacts.map((c) => ({
          id: c.contact.id,
          reference: c.contact.reference,
          kind: c.contact.kind,
          status: c.contact.status,
          receivedAt: iso(c.contact.received_at),
          concerns: c.contact.concerns,
          outcome: c.contact.outcome,
          levelOfNeed: c.contact.level_of_need,
          provenance: {
            ...provenance(c.contact.source_agency_id, c.contact.received_at),
            submittedBy: c.contact.submitted_by_name,
          },
          roles: c.asDescribed.map((d) => d.role),
          asDescribed: c.asDescribed.map((d) => d.supplied),
          narrative: c.contact.details,
          decisions: c.decisions.map((d) => ({
            decidedAt: iso(d.decided_at),
            decidedBy: d.decided_by_name,
            levelOfNeed: d.final_level_of_need ?? d.level_of_need,
            outcome: d.final_outcome ?? d.outcome,
            rationale: d.rationale,
          })),
          enquiries: c.enquiries.map((e) => ({
            agency: agencyName(e.agency_id),
            question: e.question,
            response: e.response,
            requestedAt: iso(e.requested_at),
            respondedAt: iso(e.responded_at),
          })),
          thirdParties: c.others.map((o) => thirdParty(o.person_id, o.role)),
          redactionReview: true as const,
        })),
        riskAssessments: risk.assessments.map((a) => ({
          id: a.id,
          instrument: `${a.instrument_id} ${a.instrument_version}`,
          assessedAt: iso(a.assessed_at),
          level: a.level,
          score: a.score,
          role: ids.includes(a.victim_person_id)
            ? 'victim'
            : a.child_person_ids.some((id) => ids.includes(id))
              ? 'child'
              : 'perpetrator',
          provenance: provenance(a.assessor_agency_id, a.created_at),
          thirdParties: [
            ...[a.victim_person_id].filter((id) => !ids.includes(id)).map((id) => thirdParty(id, 'victim')),
            ...a.perpetrator_person_ids
              .filter((id) => !ids.includes(id))
              .map((id) => thirdParty(id, 'perpetrator')),
            ...a.child_person_ids.filter((id) => !ids.includes(id)).map((id) => thirdParty(id, 'child')),
          ],
        })),
        flags: heldFlags.map((f) => ({
          id: f.id,
          type: f.type,
          label: f.label,
          start: f.start,
          review: f.review,
          end: f.end,
          endReason: f.endReason,
          contact: f.contact,
          provenance: { agency: f.owningAgency.name, recordedAt: iso(f.raisedAt), raisedBy: f.raisedBy },
          ended: f.endedAt ? { at: iso(f.endedAt), by: f.endedBy } : null,
        })),
        riskSummaries: risk.summaries.map((s) => ({
          id: s.id,
          level: s.level,
          createdAt: iso(s.created_at),
        })),
      };
      await recordAudit(deps.db, context, {
        action: 'person.subject-access-export',
        subjectType: 'person',
        subjectId: personId,
        personIds: ids,
        areaId: person.area_id,
        reason,
        details: {
          names: exported.names.length,
          events: exported.chronology.length,
          contacts: exported.contacts.length,
          assessments: exported.riskAssessments.length,
          flags: exported.flags.length,
        },
      });
      return exported;
    },
  };
}

export type SubjectAccessExport = Awaited<
  ReturnType<ReturnType<typeof subjectAccessService>['exportPerson']>
>;

export type SubjectAccessService = ReturnType<typeof subjectAccessService>;
