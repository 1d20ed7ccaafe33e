import { DateTime } from 'luxon';
import type { Trx } from '../../../db/database.ts';
import type { Significance } from '../../../domain/chronology-event.ts';
import { nullWhereAbsent } from '../../../domain/optional-answers.ts';
import { type DanRating, rateDan } from '../../../domain/risk/dan-rating.ts';
import { TIME_ZONE } from '../../../domain/time-zone.ts';
import type { AuditContext } from '../../../platform/audit.ts';
import type { Deps } from '../../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import type { DirectoryService } from '../../directory/service.ts';
import { frontDoorConfig, initialRag, routeDan } from '../settings.ts';
import type { DanChildInput, DanInput } from '../types.ts';
import { validateDan } from '../validation.ts';
import { DASH_STATUSES } from '../vocabulary.ts';
import { newPersonFrom } from './people-input.ts';
import type { IntakePerson, Submission } from './submission.ts';

const yesNo = (value: boolean) => (value ? 'yes' : 'no');

function ratingWords(rating: DanRating, score: number | undefined): string {
  if (rating.band === undefined) return `Officer’s risk grade: ${rating.officerGrade}`;
  return `Rated ${rating.level} risk (DASH score ${score}, ${rating.band}; officer’s grade ${rating.officerGrade})`;
}

function childSummary(child: DanChildInput, ref: string, words: string): string {
  return (
    `Police domestic abuse notification for incident ${ref}. The child ${child.livesAtAddress ? 'lives' : 'does not live'} at the address; ` +
    `present: ${yesNo(child.present)}; saw or heard it: ${yesNo(child.witnessed)}; injured: ${yesNo(child.injured)}. ` +
    `${words}.`
  );
}

/** Agency codes named for children's schools and health services, resolved to ids (unknown codes are errors). */
async function namedAgencies(
  directory: DirectoryService,
  trx: Trx,
  input: DanInput | { children: DanInput['children'] },
) {
  const codes = new Set<string>();
  for (const child of input.children ?? []) {
    if (child.school?.agencyCode) codes.add(child.school.agencyCode);
    if (child.health?.agencyCode) codes.add(child.health.agencyCode);
  }
  const rows = await directory.agenciesByCode([...codes], trx);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const errors: FieldError[] = [];
  input.children.forEach((child, i) => {
    const school = child.school?.agencyCode;
    if (school && byCode.get(school)?.kind !== 'school')
      errors.push({ field: `children[${i}].school.agencyCode`, message: 'No school has this agency code' });
    const health = child.health?.agencyCode;
    if (
      health &&
      !['gp_practice', 'community_health', 'acute_trust'].includes(byCode.get(health)?.kind ?? '')
    )
      errors.push({
        field: `children[${i}].health.agencyCode`,
        message: 'No GP practice or health service has this agency code',
      });
  });
  return { byCode, errors };
}

export function danSignificance(grade: string, injured: boolean): Significance {
  if (injured || grade === 'high') return 'high';
  return grade === 'medium' ? 'medium' : 'low';
}

/** Checks a DAN and turns it into an intake submission. Throws ValidationError naming every field. */
export async function danSubmission(
  deps: Deps,
  directory: DirectoryService,
  trx: Trx,
  context: AuditContext,
  input: DanInput,
): Promise<Submission> {
  const errors = validateDan(input, deps.now());
  const agencies = await namedAgencies(directory, trx, input);
  errors.push(...agencies.errors);
  if (errors.length > 0) throw new ValidationError(errors);
  const { settings } = frontDoorConfig(deps);
  const ref = input.incident.policeReference.trim();
  // The DASH score is a risk assessment: rated on the higher of its band and the officer's grade.
  const rating = rateDan(input.risk);
  const grade = rating.level;
  const words = ratingWords(rating, input.risk.dashScore);
  const assessed = {
    ...(input.risk.dashScore !== undefined ? { instrumentScore: input.risk.dashScore } : {}),
  };
  const occurredAt = new Date(input.incident.occurredAt);
  const childInjured = input.children.some((c) => c.injured);
  const location = input.incident.location;
  const people: IntakePerson[] = [];
  people.push({
    role: 'victim',
    field: 'victim',
    person: newPersonFrom('adult', input.victim, { fallbackAddress: location }),
    details: { phone: input.victim.phone ?? null },
    postcode: (input.victim.address ?? location).postcode,
    chronology: {
      role: 'victim',
      significance: danSignificance(grade, false),
      summary: `Victim in a domestic abuse incident reported by police (${ref}). ${words}. DASH: ${DASH_STATUSES[input.risk.dashStatus].toLowerCase()}.`,
      data: { reportedBy: input.incident.reportedBy ?? 'other', ...assessed },
    },
  });
  for (const [i, suspect] of (input.suspects ?? []).entries()) {
    people.push({
      role: 'suspect',
      field: `suspects[${i}]`,
      person: newPersonFrom('adult', suspect),
      details: nullWhereAbsent(suspect, ['relationshipToVictim', 'arrested']),
      ...(suspect.address ? { postcode: suspect.address.postcode } : {}),
      chronology: {
        role: 'perpetrator',
        significance: danSignificance(grade, false),
        summary: `Suspect in a domestic abuse incident reported by police (${ref}). ${words}.`,
        data: assessed,
      },
    });
  }
  for (const [i, child] of input.children.entries()) {
    const links: NonNullable<IntakePerson['relationships']> = [];
    const school = child.school?.agencyCode ? agencies.byCode.get(child.school.agencyCode) : undefined;
    if (school) links.push({ agencyId: school.id, basis: 'school-on-roll' });
    const health = child.health?.agencyCode ? agencies.byCode.get(child.health.agencyCode) : undefined;
    if (health)
      links.push({
        agencyId: health.id,
        basis: health.kind === 'gp_practice' ? 'registered-gp' : 'health-visitor',
      });
    people.push({
      role: 'child',
      field: `children[${i}]`,
      person: newPersonFrom(child.unborn ? 'unborn' : 'child', child, {
        fallbackAddress: child.livesAtAddress ? location : undefined,
      }),
      relationships: links,
      details: {
        livesAtAddress: child.livesAtAddress,
        present: child.present,
        witnessed: child.witnessed,
        injured: child.injured,
        ...nullWhereAbsent(child, ['injuryDetails', 'childSaid', 'wishesAndFeelings', 'livedExperience']),
        homeEducated: child.homeEducated ?? false,
        ...nullWhereAbsent(child, ['school', 'health']),
      },
      ...(child.address ? { postcode: child.address.postcode } : {}),
      chronology: {
        role: 'child-in-household',
        significance: danSignificance(grade, child.injured),
        summary: childSummary(child, ref, words),
        data: {
          childPresent: child.present,
          childInjured: child.injured,
          ...assessed,
          ...(child.unborn ? { preBirth: true } : {}),
        },
      },
    });
  }
  return {
    kind: 'dan',
    action: 'dan:submit',
    sourceCode: '6',
    referrer: {
      name: input.officer?.name?.trim() || context.principal.name,
      role: 'Police officer',
      organisation: context.principal.agencyName,
      ...(input.officer?.collarNumber ? { collarNumber: input.officer.collarNumber } : {}),
      ...(input.officer?.phone ? { phone: input.officer.phone } : {}),
    },
    postcode: location.postcode,
    postcodeField: 'incident.location.postcode',
    concerns: ['domestic-abuse'],
    details: {
      incident: input.incident,
      risk: input.risk,
      rating,
      consent: input.consent,
      earlyHelp: input.earlyHelp,
      officer: input.officer ?? null,
    },
    incidentRef: ref,
    incidentDate: DateTime.fromJSDate(occurredAt).setZone(TIME_ZONE).toISODate(),
    occurredAt,
    occurredAtField: 'incident.occurredAt',
    riskGrade: grade,
    dashStatus: input.risk.dashStatus,
    route: routeDan(settings, {
      riskGrade: grade,
      dashAwaited: input.risk.dashStatus === 'awaited',
      childInjured,
    }),
    rag: initialRag(settings, { riskGrade: grade, childInjured }),
    people,
    chronologyType: 'dan',
    summary: `Police domestic abuse notification, incident ${ref}, ${input.children.length} ${input.children.length === 1 ? 'child' : 'children'}.`,
  };
}
