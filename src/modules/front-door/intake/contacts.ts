import type { Trx } from '../../../db/database.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import type { DirectoryService } from '../../directory/service.ts';
import { frontDoorConfig, routeContact } from '../settings.ts';
import type { ContactInput } from '../types.ts';
import { validateContact } from '../validation.ts';
import { CONCERNS, CONTACT_SOURCES } from '../vocabulary.ts';
import { newPersonFrom } from './people-input.ts';
import type { IntakePerson, Submission } from './submission.ts';

/** Checks a contact and turns it into an intake submission. Throws ValidationError naming every field. */
export async function contactSubmission(
  deps: Deps,
  directory: DirectoryService,
  trx: Trx,
  _context: AuditContext,
  input: ContactInput,
): Promise<Submission> {
  const errors: FieldError[] = validateContact(input, deps.now());
  const codes = [
    ...new Set(input.children?.map((c) => c.school?.agencyCode).filter((c): c is string => !!c) ?? []),
  ];
  const schools = new Map((await directory.agenciesByCode(codes, trx)).map((a) => [a.code, a]));
  input.children?.forEach((child, i) => {
    const code = child.school?.agencyCode;
    if (code && schools.get(code)?.kind !== 'school')
      errors.push({ field: `children[${i}].school.agencyCode`, message: 'No school has this agency code' });
  });
  if (errors.length > 0) throw new ValidationError(errors);
  const { settings } = frontDoorConfig(deps);
  const concerns = input.concerns.map((c) => CONCERNS[c]).join(', ');
  const people: IntakePerson[] = input.children.map((child, i) => {
    const school = child.school?.agencyCode ? schools.get(child.school.agencyCode) : undefined;
    return {
      role: 'child',
      field: `children[${i}]`,
      person: newPersonFrom(child.unborn ? 'unborn' : 'child', child, { fallbackAddress: input.address }),
      ...(school ? { relationships: [{ agencyId: school.id, basis: 'school-on-roll' as const }] } : {}),
      details: { school: child.school ?? null },
      postcode: (child.address ?? input.address)!.postcode,
      chronology: {
        role: 'subject',
        significance: 'medium',
        summary: `Contact to the front door from ${CONTACT_SOURCES[input.sourceCode].toLowerCase()}: ${concerns}.`,
        data: child.unborn ? { preBirth: true } : {},
      },
    };
  });
  for (const [i, adult] of (input.adults ?? []).entries()) {
    people.push({
      role: 'adult',
      field: `adults[${i}]`,
      person: newPersonFrom('adult', adult, { fallbackAddress: input.address }),
      details: { relationshipToChildren: adult.relationshipToChildren ?? null },
      ...((adult.address ?? input.address) ? { postcode: (adult.address ?? input.address)!.postcode } : {}),
      chronology: null,
    });
  }
  const first = input.children[0]!;
  return {
    kind: 'contact',
    action: 'contact:create',
    sourceCode: input.sourceCode,
    referrer: input.sourceCode === '9' ? { anonymous: true } : input.referrer,
    postcode: (first.address ?? input.address)!.postcode,
    postcodeField: first.address ? 'children[0].address.postcode' : 'address.postcode',
    concerns: input.concerns,
    details: {
      narrative: input.narrative,
      actionsTaken: input.actionsTaken,
      consent: input.consent,
      familyKnows: input.familyKnows,
      address: input.address ?? null,
    },
    incidentRef: input.incidentRef?.trim() || null,
    incidentDate: input.incidentDate?.trim() || null,
    occurredAt: deps.now(),
    riskGrade: null,
    dashStatus: null,
    route: routeContact(settings, input.concerns),
    rag: null,
    people,
    chronologyType: 'contact',
    summary: `Contact from ${CONTACT_SOURCES[input.sourceCode].toLowerCase()} about ${input.children.length} ${input.children.length === 1 ? 'child' : 'children'}: ${concerns}.`,
  };
}
