/**
 * Harbour's flags as FHIR R4 resources (UK Core profiles where they exist), for emergency
 * department systems. A Flag says that there is a concern and whom to call, never the case file;
 * a Patient carries only the NHS number it was found by.
 */
import { BUILT_IN_FLAG_TYPES } from '../../../domain/flags.ts';
import type { FlagView } from '../../flags/service.ts';

export const FHIR_JSON = 'application/fhir+json';
export const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const UK_CORE = 'https://fhir.hl7.org.uk/StructureDefinition';
/** Harbour's own code system for its flag types, and its extension carrying whom to call. */
export const FLAG_TYPE_SYSTEM = 'https://harbour.invalid/fhir/CodeSystem/flag-type';
export const FLAG_CONTACT_EXTENSION = 'https://harbour.invalid/fhir/StructureDefinition/flag-contact';
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

export type Resource = Record<string, unknown> & { resourceType: string };

export function flagResource(flag: FlagView, nhsNumber: string): Resource {
  const snomed = BUILT_IN_FLAG_TYPES.find((t) => t.code === flag.type)?.snomed;
  const period: Record<string, string> = { start: flag.start };
  if (flag.end) period.end = flag.end;
  return {
    resourceType: 'Flag',
    id: flag.id,
    meta: { profile: [`${UK_CORE}/UKCore-Flag`] },
    extension: [{ url: FLAG_CONTACT_EXTENSION, valueString: flag.contact }],
    status: 'active',
    category: [
      {
        coding: [
          {
            system: 'http://terminology.hl7.org/CodeSystem/flag-category',
            code: 'safety',
            display: 'Safety',
          },
        ],
      },
    ],
    code: {
      coding: [
        { system: FLAG_TYPE_SYSTEM, code: flag.type, display: flag.label },
        ...(snomed ? [{ system: 'http://snomed.info/sct', code: snomed.code, display: snomed.display }] : []),
      ],
      // Systems that show only the text still tell the clinician whom to call.
      text: `${flag.label}. Contact ${flag.owningAgency.name}: ${flag.contact}`,
    },
    subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: nhsNumber } },
    period,
    author: {
      display: flag.owningAgency.name,
      ...(flag.owningAgency.code
        ? { identifier: { system: ODS_SYSTEM, value: flag.owningAgency.code } }
        : {}),
    },
  };
}

export function patientResource(personId: string, nhsNumber: string): Resource {
  return {
    resourceType: 'Patient',
    id: personId,
    meta: { profile: [`${UK_CORE}/UKCore-Patient`] },
    identifier: [{ system: NHS_NUMBER_SYSTEM, value: nhsNumber }],
  };
}

export function searchBundle(baseUrl: string, selfUrl: string, resources: readonly Resource[]): Resource {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    link: [{ relation: 'self', url: selfUrl }],
    entry: resources.map((resource) => ({
      fullUrl: `${baseUrl}/${resource.resourceType}/${String(resource.id)}`,
      resource,
      search: { mode: 'match' },
    })),
  };
}

export type IssueCode =
  | 'invalid'
  | 'login'
  | 'forbidden'
  | 'not-found'
  | 'not-supported'
  | 'exception'
  | 'throttled';

export function operationOutcome(code: IssueCode, diagnostics: string, expression?: string): Resource {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code, diagnostics, ...(expression ? { expression: [expression] } : {}) }],
  };
}

export function capabilityStatement(baseUrl: string, date: string): Resource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date,
    publisher: 'Harbour',
    kind: 'instance',
    software: { name: 'Harbour' },
    implementation: { description: 'Harbour safeguarding flags for unscheduled care', url: baseUrl },
    fhirVersion: '4.0.1',
    format: [FHIR_JSON],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Send an agency API key as "Authorization: Bearer <key>". Health agencies only; every call is audited with the NHS number.',
        },
        resource: [
          {
            type: 'Flag',
            profile: `${UK_CORE}/UKCore-Flag`,
            interaction: [{ code: 'search-type' }],
            searchParam: [
              {
                name: 'patient',
                type: 'reference',
                documentation: `Use patient:identifier=${NHS_NUMBER_SYSTEM}|{NHS number}; returns the active flags`,
              },
            ],
          },
          {
            type: 'Patient',
            profile: `${UK_CORE}/UKCore-Patient`,
            interaction: [{ code: 'search-type' }],
            searchParam: [
              { name: 'identifier', type: 'token', documentation: `${NHS_NUMBER_SYSTEM}|{NHS number}` },
            ],
          },
        ],
      },
    ],
  };
}

/** `https://fhir.nhs.uk/Id/nhs-number|9434765919` → the NHS number, or null for another system. */
export function nhsNumberOfToken(token: string | undefined): string | null {
  if (!token) return null;
  const bar = token.indexOf('|');
  if (bar < 0) return null;
  return token.slice(0, bar) === NHS_NUMBER_SYSTEM ? token.slice(bar + 1) : null;
}
