import { parse } from 'csv-parse/sync';
import { type Trx, transaction } from '../../db/database.ts';
import {
  SCHOOL_PHASES,
  type SchoolPhase,
  schoolAgencyCode,
  schoolFromGiasRow,
} from '../../domain/encompass.ts';
import { postcodeDistrict } from '../../domain/identifiers.ts';
import { assertAllowed } from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { EncompassKernel } from './kernel.ts';
import * as repo from './repository.ts';
import { trimmed } from './types.ts';

type SchoolRecord = Exclude<ReturnType<typeof schoolFromGiasRow>, string[]>;

/** A school's directory row from a validated GIAS record (the admin page's and the import's). */
function schoolRow(agencyId: string, areaId: string, record: SchoolRecord, at: Date, by: string) {
  return {
    agency_id: agencyId,
    area_id: areaId,
    urn: record.urn,
    phase: record.phase,
    statutory_low_age: record.statutoryLowAge,
    statutory_high_age: record.statutoryHighAge,
    postcode: record.postcode,
    updated_at: at,
    updated_by_name: by,
  };
}

/** The schools directory: each school's URN, phase, ages, key adult, deputies and contacts; the DfE import. */
export function schoolsPart(kernel: EncompassKernel) {
  const { deps, db, directory } = kernel;
  return {
    async listSchools(context: AuditContext) {
      assertAllowed(context.principal, 'encompass:administer');
      const [rows, agencies] = await Promise.all([repo.listSchools(db), directory.listAgencies()]);
      const byId = new Map(rows.map((r) => [r.agency_id, r]));
      return agencies
        .filter((a) => a.kind === 'school')
        .map((a) => ({
          agencyId: a.id,
          code: a.code,
          name: a.name,
          area: a.area_name,
          school: byId.get(a.id) ?? null,
        }));
    },

    async school(context: AuditContext, agencyId: string) {
      assertAllowed(context.principal, 'encompass:administer');
      const [agency] = await directory.agenciesByIds([agencyId]);
      if (agency?.kind !== 'school') throw new NotFoundError('The school');
      const [school, users] = await Promise.all([
        repo.schoolByAgency(db, agencyId),
        directory.usersOfAgency(agencyId),
      ]);
      return { agency, school: school ?? null, users };
    },

    /** The key adult, deputies and contact details of a school (its URN and ages come from the import). */
    async saveSchool(
      context: AuditContext,
      agencyId: string,
      input: {
        urn: string;
        phase: string;
        statutoryLowAge: string;
        statutoryHighAge: string;
        postcode: string;
        keyAdultUserId: string;
        deputyUserIds: string[];
        contactEmail: string;
        contactPhone: string;
        address: string;
      },
    ) {
      assertAllowed(context.principal, 'encompass:administer');
      const [agency] = await directory.agenciesByIds([agencyId]);
      if (agency?.kind !== 'school') throw new NotFoundError('The school');
      const users = await directory.usersOfAgency(agencyId);
      const userIds = new Set(users.map((u) => u.id));
      const record = schoolFromGiasRow({
        URN: input.urn,
        EstablishmentName: agency.name,
        'PhaseOfEducation (name)': SCHOOL_PHASES[input.phase as SchoolPhase] ?? '',
        StatutoryLowAge: input.statutoryLowAge,
        StatutoryHighAge: input.statutoryHighAge,
        Postcode: input.postcode,
      });
      const errors: FieldError[] = [];
      const fieldOf: Record<string, string> = {
        URN: 'urn',
        PhaseOfEducation: 'phase',
        StatutoryLowAge: 'statutoryLowAge',
        StatutoryHighAge: 'statutoryHighAge',
        Postcode: 'postcode',
      };
      if (Array.isArray(record))
        for (const problem of record) {
          const column = Object.keys(fieldOf).find((c) => problem.startsWith(c));
          if (column)
            errors.push({
              field: fieldOf[column]!,
              message: problem.replace(/^PhaseOfEducation \(name\)/, 'Phase'),
            });
        }
      if (input.keyAdultUserId && !userIds.has(input.keyAdultUserId))
        errors.push({ field: 'keyAdultUserId', message: 'Choose the key adult from the school’s users' });
      const deputies = [...new Set(input.deputyUserIds.filter(Boolean))];
      if (deputies.some((d) => !userIds.has(d)))
        errors.push({ field: 'deputyUserIds', message: 'Choose deputies from the school’s users' });
      if (deputies.includes(input.keyAdultUserId))
        errors.push({ field: 'deputyUserIds', message: 'The key adult cannot also be a deputy' });
      const email = trimmed(input.contactEmail);
      if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        errors.push({
          field: 'contactEmail',
          message: 'Enter an email address in the correct format, like dsl@school.example',
        });
      if (trimmed(input.contactPhone).length > 40)
        errors.push({ field: 'contactPhone', message: 'The phone number must be 40 characters or fewer' });
      if (trimmed(input.address).length > 500)
        errors.push({ field: 'address', message: 'The address must be 500 characters or fewer' });
      const area = Array.isArray(record)
        ? null
        : await directory.areaForPostcodeDistrict(postcodeDistrict(record.postcode) ?? '');
      if (!Array.isArray(record) && !area)
        errors.push({ field: 'postcode', message: 'The postcode is not in one of the partnership’s areas' });
      const clash = Array.isArray(record) ? null : await repo.schoolByUrn(db, record.urn);
      if (clash && clash.agency_id !== agencyId)
        errors.push({ field: 'urn', message: 'Another school already has this URN' });
      if (errors.length > 0 || Array.isArray(record) || !area) throw new ValidationError(errors);
      return transaction(db, async (trx) => {
        const now = deps.now();
        await repo.upsertSchool(trx, schoolRow(agencyId, area.id, record, now, context.principal.name));
        await repo.updateSchoolContacts(trx, agencyId, {
          key_adult_user_id: input.keyAdultUserId || null,
          deputy_user_ids: deputies,
          contact_email: email || null,
          contact_phone: trimmed(input.contactPhone) || null,
          address: trimmed(input.address) || null,
          updated_at: now,
          updated_by_name: context.principal.name,
        });
        await recordAudit(trx, context, {
          action: 'encompass.school-update',
          subjectType: 'agency',
          subjectId: agencyId,
          details: { urn: record.urn, keyAdult: input.keyAdultUserId || null, deputies: deputies.length },
        });
      });
    },

    /**
     * `harbour import schools`: the DfE "Get Information about Schools" extract, upserted by URN
     * in one transaction. Every row gets a line of the report; a row with problems changes nothing.
     */
    async importSchools(context: AuditContext, csv: string) {
      let rows: Record<string, string>[];
      try {
        rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true, bom: true });
      } catch (error) {
        throw new ValidationError([
          { field: 'file', message: `The file is not CSV: ${(error as Error).message}` },
        ]);
      }
      const required = [
        'URN',
        'EstablishmentName',
        'PhaseOfEducation (name)',
        'StatutoryLowAge',
        'StatutoryHighAge',
        'Postcode',
      ];
      const missing = required.filter((c) => rows.length > 0 && !(c in rows[0]!));
      if (missing.length > 0)
        throw new ValidationError([
          { field: 'file', message: `The file has no column ${missing.join(', ')}` },
        ]);
      const report: {
        line: number;
        urn: string;
        outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
        detail: string;
      }[] = [];
      const seen = new Set<string>();
      await transaction(db, async (trx) => {
        for (const [i, row] of rows.entries()) {
          const line = i + 2;
          const record = schoolFromGiasRow(row);
          const urn = (row.URN ?? '').trim();
          if (Array.isArray(record)) {
            report.push({ line, urn, outcome: 'rejected', detail: record.join('; ') });
            continue;
          }
          if (seen.has(record.urn)) {
            report.push({ line, urn, outcome: 'rejected', detail: 'The URN appears earlier in the file' });
            continue;
          }
          seen.add(record.urn);
          const area = await directory.areaForPostcodeDistrict(postcodeDistrict(record.postcode) ?? '', trx);
          if (!area) {
            report.push({
              line,
              urn,
              outcome: 'rejected',
              detail: 'Postcode is outside the partnership’s areas',
            });
            continue;
          }
          const existing = await repo.schoolByUrn(trx, record.urn);
          const code = existing ? null : schoolAgencyCode(record.urn);
          const agency = existing
            ? { id: existing.agency_id, created: false, notSchool: false }
            : await directory.upsertSchoolAgency(trx, { code: code!, name: record.name, areaId: area.id });
          if (agency.notSchool) {
            report.push({
              line,
              urn,
              outcome: 'rejected',
              detail: `Agency ${code} exists and is not a school`,
            });
            continue;
          }
          if (existing)
            await directory.upsertSchoolAgency(trx, {
              code: (await directory.agenciesByIds([existing.agency_id], trx))[0]!.code,
              name: record.name,
              areaId: area.id,
            });
          const same =
            existing &&
            existing.phase === record.phase &&
            existing.statutory_low_age === record.statutoryLowAge &&
            existing.statutory_high_age === record.statutoryHighAge &&
            existing.postcode === record.postcode &&
            existing.area_id === area.id;
          if (same) {
            report.push({ line, urn, outcome: 'unchanged', detail: record.name });
            continue;
          }
          await repo.upsertSchool(
            trx,
            schoolRow(agency.id, area.id, record, deps.now(), context.principal.name),
          );
          report.push({
            line,
            urn,
            outcome: existing ? 'updated' : 'created',
            detail: `${record.name} (${area.name})`,
          });
        }
        await recordAudit(trx, context, {
          action: 'encompass.schools-import',
          details: {
            rows: rows.length,
            created: report.filter((r) => r.outcome === 'created').length,
            updated: report.filter((r) => r.outcome === 'updated').length,
            rejected: report.filter((r) => r.outcome === 'rejected').length,
          },
        });
      });
      return report;
    },

    /** Names a school's existing agency with its URN (the demo's schools, an admin linking one). */
    async linkSchool(
      trx: Trx,
      context: AuditContext,
      school: {
        agencyId: string;
        areaId: string;
        urn: string;
        phase: SchoolPhase;
        low: number;
        high: number;
        postcode: string;
        keyAdultUserId: string | null;
        deputyUserIds: string[];
        contactEmail: string | null;
      },
    ) {
      await repo.upsertSchool(trx, {
        agency_id: school.agencyId,
        area_id: school.areaId,
        urn: school.urn,
        phase: school.phase,
        statutory_low_age: school.low,
        statutory_high_age: school.high,
        postcode: school.postcode,
        key_adult_user_id: school.keyAdultUserId,
        deputy_user_ids: school.deputyUserIds,
        contact_email: school.contactEmail,
        updated_by_name: context.principal.name,
      });
      await repo.updateSchoolContacts(trx, school.agencyId, {
        key_adult_user_id: school.keyAdultUserId,
        deputy_user_ids: school.deputyUserIds,
        contact_email: school.contactEmail,
        contact_phone: null,
        address: null,
        updated_at: deps.now(),
        updated_by_name: context.principal.name,
      });
    },
  };
}
