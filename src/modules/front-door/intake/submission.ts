import type { ChronologyEventData, EventRole, Significance } from '../../../domain/chronology-event.ts';
import type { Rag } from '../../../domain/clock.ts';
import type { RelationshipBasis } from '../../../platform/access.ts';
import type { NewPerson } from '../../people/service.ts';
import type { RouteDecision } from '../settings.ts';
import type { PersonRole } from '../types.ts';

/** One person named in a submission, ready for identity resolution. */
export interface IntakePerson {
  role: PersonRole;
  person: NewPerson;
  /** Already known (an early-help child stepped up): no identity resolution needed. */
  existingPersonId?: string;
  /** Kept on the contact: the child's section of a DAN, an adult's relationship. */
  details: Record<string, unknown>;
  /** Postcode that routes this person when it differs from the contact's. */
  postcode?: string;
  /** The name the caller sent this person under (`children[0]`), for errors found after validation. */
  field?: string;
  /**
   * Agencies the submission names as having a standing relationship with this person (a child's
   * school, GP). Recorded with this contact as their provenance, granted by the submitter, and
   * never to the submitter itself: submitting never grants access (docs/access.md).
   */
  relationships?: { agencyId: string; basis: RelationshipBasis }[];
  chronology: {
    role: EventRole;
    summary: string;
    significance: Significance;
    data?: ChronologyEventData;
  } | null;
}

export interface Submission {
  kind: 'contact' | 'dan';
  action: 'dan:submit' | 'contact:create';
  sourceCode: string;
  referrer: Record<string, unknown>;
  /** Routes the contact to an area; `postcodeField` names it in errors. */
  postcode: string;
  postcodeField: string;
  /** The field `occurredAt` came from (`incident.occurredAt`); unset when it is the time received. */
  occurredAtField?: string;
  concerns: string[];
  details: Record<string, unknown>;
  incidentRef: string | null;
  incidentDate: string | null;
  occurredAt: Date;
  riskGrade: 'standard' | 'medium' | 'high' | null;
  dashStatus: string | null;
  route: RouteDecision;
  rag: Rag | null;
  people: IntakePerson[];
  chronologyType: 'dan' | 'contact';
  summary: string;
}

/** The person as the submitter described them, kept on the contact (the source is the contact's). */
export function suppliedFacts(person: NewPerson) {
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    ...(person.dateOfBirth ? { dateOfBirth: person.dateOfBirth } : {}),
    ...(person.expectedDate ? { expectedDate: person.expectedDate } : {}),
    ...(person.addresses?.length ? { addresses: person.addresses } : {}),
    ...(person.contactDetails?.length ? { contactDetails: person.contactDetails } : {}),
    ...(person.identifiers?.length ? { identifiers: person.identifiers } : {}),
  };
}

/**
 * A person's field as the caller sent it. Identity resolution and the chronology check their own
 * shapes (`addresses[0].postcode`, `events[2].occurredAt`); a refusal from either must name the
 * submission's field (`children[0].address.postcode`, `children[0].dateOfBirth`) instead.
 */
export function submittedField(entry: IntakePerson, field: string): string {
  const prefix = entry.field ? `${entry.field}.` : '';
  const address = /^addresses\[\d+\]\.(.+)$/.exec(field);
  if (address) return `${prefix}address.${address[1]}`;
  const identifier = /^identifiers\[(\d+)\]/.exec(field);
  if (identifier) {
    const scheme = entry.person.identifiers?.[Number(identifier[1])]?.scheme;
    return `${prefix}${scheme === 'nhs' ? 'nhsNumber' : scheme === 'upn' ? 'upn' : 'identifiers'}`;
  }
  const detail = /^contactDetails\[(\d+)\]/.exec(field);
  if (detail) return `${prefix}${entry.person.contactDetails?.[Number(detail[1])]?.kind ?? 'phone'}`;
  return `${prefix}${field}`;
}
