import { scriptMigration } from '../sql-script.ts';
import { CASE_ROW_KEY, CREATED_AND_UPDATED, FACT_PROVENANCE, PERSON_FACT_KEY } from './table-parts.ts';

/** person_agency_link as this step creates it; 0008 replaces it and its down restores it from here. */
export const personAgencyLink = `
    create table person_agency_link (
      person_id uuid not null references person(id),
      agency_id uuid not null references agency(id),
      area_id uuid not null references area(id),
      kind text not null,
      since timestamptz not null default now(),
      primary key (person_id, agency_id, kind)
    );
    create index person_agency_link_agency on person_agency_link(agency_id);
`;

/**
 * The person index. Every fact carries the agency that supplied it and when (provenance).
 * person_agency_link records which agencies have a need-to-know relationship with a person
 * (a school for its pupils, a GP for registered patients, an agency that referred them);
 * the access policy reads it.
 */
export const { up, down } = scriptMigration({
  up: `
    create table person (
      ${CASE_ROW_KEY},
      kind text not null check (kind in ('child', 'unborn', 'adult')),
      given_name text not null,
      family_name text not null,
      preferred_name text,
      date_of_birth date,
      expected_date date,
      sex text check (sex in ('male', 'female', 'other', 'unknown')),
      gender text,
      ethnicity text,
      language text,
      disability text,
      nhs_number text,
      blocking_keys text[] not null default '{}',
      merged_into_id uuid references person(id),
      created_by_agency_id uuid references agency(id),
      ${CREATED_AND_UPDATED}
    );
    create index person_area on person(area_id);
    create index person_blocking_keys on person using gin (blocking_keys);
    create index person_family_trgm on person using gin (lower(family_name) gin_trgm_ops);
    create index person_given_trgm on person using gin (lower(given_name) gin_trgm_ops);
    create index person_dob on person(date_of_birth);
    create index person_nhs on person(nhs_number) where nhs_number is not null;

    create table person_name (
      ${PERSON_FACT_KEY},
      kind text not null check (kind in ('current', 'alias', 'previous', 'preferred')),
      given_name text not null,
      family_name text not null,
      valid_from date,
      valid_to date,
      ${FACT_PROVENANCE}
    );
    create index person_name_person on person_name(person_id);

    create table person_identifier (
      ${PERSON_FACT_KEY},
      scheme text not null check (scheme in ('nhs', 'upn', 'la', 'police')),
      value text not null,
      ${FACT_PROVENANCE},
      unique (person_id, scheme, value)
    );
    create index person_identifier_value on person_identifier(scheme, value);

    create table person_address (
      ${PERSON_FACT_KEY},
      line1 text not null,
      line2 text,
      town text,
      postcode text not null,
      postcode_district text not null,
      from_date date,
      to_date date,
      ${FACT_PROVENANCE}
    );
    create index person_address_person on person_address(person_id);
    create index person_address_postcode on person_address(postcode, line1);

    create table person_contact_detail (
      ${PERSON_FACT_KEY},
      kind text not null check (kind in ('phone', 'email')),
      value text not null,
      ${FACT_PROVENANCE}
    );

    create table person_relationship (
      ${CASE_ROW_KEY},
      person_id uuid not null references person(id),
      related_person_id uuid not null references person(id),
      kind text not null,
      incident_reference text,
      from_date date,
      to_date date,
      ${FACT_PROVENANCE},
      check (person_id <> related_person_id)
    );
    create index person_relationship_person on person_relationship(person_id);
    create index person_relationship_related on person_relationship(related_person_id);

${personAgencyLink}
  `,
  down: `drop table person_agency_link; drop table person_relationship; drop table person_contact_detail;
     drop table person_address; drop table person_identifier; drop table person_name; drop table person;`,
});
