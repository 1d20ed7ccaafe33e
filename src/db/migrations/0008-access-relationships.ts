import { scriptMigration } from '../sql-script.ts';
import { personAgencyLink } from './0002-people.ts';
import { byAgencyAndName, CASE_ROW_KEY } from './table-parts.ts';

/**
 * Need to know as data (docs/access.md, decision 0008). An agency sees a person only through a
 * legitimate relationship recorded here: its basis (school on roll, registered GP, an enquiry the
 * MASH sent, ...), who granted it, the episode it belongs to and when it expires. It replaces
 * person_agency_link, whose 'recorded' rows ("this agency once sent something about the person")
 * let any submitter read the record it was matched to; those rows are not carried over. The
 * contact's related_agency_ids goes the same way: the parties to a contact are its submitter, the
 * agencies it asked (enquiry relationships) and the agencies its submission named.
 *
 * contact_person.supplied keeps each person as the submitter described them (names, address,
 * contact details): a fact of that submission, never copied onto an existing record.
 * match_review.not_same_area_ids: a pair whose records sit in two areas is settled "not the same
 * person" only when reviewers of both areas have said so.
 */
export const { up, down } = scriptMigration({
  up: `
    create table access_relationship (
      ${CASE_ROW_KEY},
      person_id uuid not null references person(id),
      agency_id uuid not null references agency(id),
      basis text not null check (basis in ('enquiry', 'strategy-discussion', 'marac', 'school-on-roll',
        'registered-gp', 'health-visitor', 'allocated-worker')),
      contact_id uuid references contact(id),
      episode_type text,
      episode_id uuid,
      ${byAgencyAndName('granted', 'nullable')},
      granted_at timestamptz not null default now(),
      expires_at timestamptz,
      unique nulls not distinct (person_id, agency_id, basis, contact_id, episode_id)
    );
    create index access_relationship_agency on access_relationship(agency_id, person_id);
    create index access_relationship_contact on access_relationship(contact_id) where contact_id is not null;
    create index access_relationship_episode on access_relationship(episode_id) where episode_id is not null;

    insert into access_relationship (area_id, person_id, agency_id, basis, granted_by_name, granted_at)
      select l.area_id, l.person_id, l.agency_id,
        case l.kind when 'pupil' then 'school-on-roll' when 'gp-registered' then 'registered-gp'
          else 'health-visitor' end,
        'Migrated from the agency links', l.since
      from person_agency_link l
      where l.kind in ('pupil', 'gp-registered', 'health-visiting');

    -- Enquiries already sent: the asked agency may see the contact's people for that episode,
    -- until 28 days (the default grace, docs/configuration.md) after the contact closed.
    insert into access_relationship (area_id, person_id, agency_id, basis, contact_id, episode_type,
        episode_id, granted_by_name, granted_at, expires_at)
      select e.area_id, cp.person_id, e.agency_id, 'enquiry', e.contact_id, 'enquiry', e.id,
        e.requested_by_name, e.requested_at, c.closed_at + interval '28 days'
      from enquiry e
      join contact c on c.id = e.contact_id
      join contact_person cp on cp.contact_id = e.contact_id
      on conflict do nothing;

    drop table person_agency_link;
    drop index contact_related_agencies;
    alter table contact drop column related_agency_ids;
    alter table contact_person add column supplied jsonb not null default '{}';
    alter table match_review add column not_same_area_ids uuid[] not null default '{}';
  `,
  down: `
    alter table match_review drop column not_same_area_ids;
    alter table contact_person drop column supplied;
    alter table contact add column related_agency_ids uuid[] not null default '{}';
    create index contact_related_agencies on contact using gin (related_agency_ids);
    ${personAgencyLink}
    insert into person_agency_link (person_id, agency_id, area_id, kind, since)
      select person_id, agency_id, area_id,
        case basis when 'school-on-roll' then 'pupil' when 'registered-gp' then 'gp-registered'
          else 'health-visiting' end, min(granted_at)
      from access_relationship
      where basis in ('school-on-roll', 'registered-gp', 'health-visitor')
      group by person_id, agency_id, area_id, basis;
    drop table access_relationship;
  `,
});
