import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { SCHEME_PATTERN } from '../../domain/identifier-types.ts';
import { normalisePostcode } from '../../domain/identifiers.ts';
import { isoInstant, isoOrNull } from '../../platform/http/api-json.ts';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { sendProblem } from '../../platform/http/problem.ts';
import { Id, NullableString, PageNumber } from '../../platform/http/schemas/atoms.ts';
import { UNSEEN_MATCH_MESSAGE } from './resolution.ts';
import { interpretQuery } from './search-query.ts';
import type { PeopleService } from './service.ts';

const Problem = { $ref: 'Problem#' };
const DateText = (description: string) => Type.String({ maxLength: 10, description });

const PersonInput = {
  kind: Type.Union([Type.Literal('child'), Type.Literal('unborn'), Type.Literal('adult')]),
  givenName: Type.String({ maxLength: 100 }),
  familyName: Type.String({ maxLength: 100 }),
  preferredName: Type.Optional(Type.String({ maxLength: 100 })),
  otherNames: Type.Optional(
    Type.Array(
      Type.Object(
        {
          givenName: Type.String({ maxLength: 100 }),
          familyName: Type.String({ maxLength: 100 }),
          kind: Type.Union([Type.Literal('alias'), Type.Literal('previous')]),
          validFrom: Type.Optional(DateText('YYYY-MM-DD')),
          validTo: Type.Optional(DateText('YYYY-MM-DD')),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  ),
  dateOfBirth: Type.Optional(DateText('YYYY-MM-DD; not in the future')),
  expectedDate: Type.Optional(DateText('For an unborn child, YYYY-MM-DD')),
  sex: Type.Optional(
    Type.Union([
      Type.Literal('male'),
      Type.Literal('female'),
      Type.Literal('other'),
      Type.Literal('unknown'),
    ]),
  ),
  gender: Type.Optional(Type.String({ maxLength: 100 })),
  ethnicity: Type.Optional(
    Type.String({ maxLength: 4, description: 'Children in Need census code, e.g. WBRI' }),
  ),
  language: Type.Optional(Type.String({ maxLength: 100 })),
  disability: Type.Optional(Type.String({ maxLength: 500 })),
  identifiers: Type.Optional(
    Type.Array(
      Type.Object(
        {
          scheme: Type.String({
            pattern: SCHEME_PATTERN,
            description:
              'nhs (NHS number), upn (unique pupil number), la (local authority id), police (force reference), pnc (Police National Computer id), crn (probation case reference number), or a type the partnership defines (matching.identifierTypes); an unknown type is refused, naming the known ones',
          }),
          value: Type.String({
            maxLength: 40,
            description:
              'Checked against its type: NHS numbers and UPNs by check digit or letter, PNC ids, CRNs and partnership types by pattern',
          }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  ),
  addresses: Type.Optional(
    Type.Array(
      Type.Object(
        {
          line1: Type.String({ maxLength: 200 }),
          line2: Type.Optional(Type.String({ maxLength: 200 })),
          town: Type.Optional(Type.String({ maxLength: 100 })),
          postcode: Type.String({ maxLength: 10 }),
          fromDate: Type.Optional(DateText('YYYY-MM-DD')),
          toDate: Type.Optional(DateText('YYYY-MM-DD; absent for the current address')),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  ),
  contactDetails: Type.Optional(
    Type.Array(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('phone'), Type.Literal('email')]),
          value: Type.String({ maxLength: 200 }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 20 },
    ),
  ),
};

const MatchBody = Type.Object(PersonInput, { additionalProperties: false });
const CreateBody = Type.Object(
  {
    ...PersonInput,
    createAnyway: Type.Optional(
      Type.Boolean({
        description: 'Create even when likely duplicates exist; they are then queued for MASH review',
      }),
    ),
  },
  { additionalProperties: false },
);

const Candidate = Type.Object({
  personId: Type.String({ format: 'uuid' }),
  score: Type.Number({ description: 'log2 likelihood ratio: how much likelier one person than two' }),
  band: Type.Union([Type.Literal('auto-link'), Type.Literal('review'), Type.Literal('no-match')]),
  reasons: Type.Array(
    Type.Object({
      field: Type.String(),
      agreement: Type.String(),
      weight: Type.Number(),
      detail: Type.String(),
    }),
  ),
  person: Type.Object({
    kind: Type.String(),
    givenName: Type.String(),
    familyName: Type.String(),
    dateOfBirth: NullableString(),
    postcodeDistrict: NullableString(),
  }),
});

const OtherPossibleMatches = Type.Boolean({
  description:
    'True when Harbour holds a possible match the caller may not see (no relationship): the MASH will resolve it. Nothing else about such a record is returned.',
});

const Provenance = { source: NullableString(), recordedAt: Type.String() };

const PersonView = Type.Object({
  id: Type.String(),
  mergedIntoId: NullableString(),
  kind: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  preferredName: NullableString(),
  dateOfBirth: NullableString(),
  expectedDate: NullableString(),
  sex: NullableString(),
  gender: NullableString(),
  ethnicity: NullableString(),
  language: NullableString(),
  disability: NullableString(),
  names: Type.Array(
    Type.Object({
      kind: Type.String(),
      givenName: Type.String(),
      familyName: Type.String(),
      validFrom: NullableString(),
      validTo: NullableString(),
      ...Provenance,
    }),
  ),
  identifiers: Type.Array(Type.Object({ scheme: Type.String(), value: Type.String(), ...Provenance })),
  addresses: Type.Array(
    Type.Object({
      line1: Type.String(),
      line2: NullableString(),
      town: NullableString(),
      postcode: Type.String(),
      fromDate: NullableString(),
      toDate: NullableString(),
      ...Provenance,
    }),
  ),
  contactDetails: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), ...Provenance })),
  relationships: Type.Array(
    Type.Object({
      kind: Type.String(),
      personId: Type.String(),
      givenName: Type.String(),
      familyName: Type.String(),
      incidentReference: NullableString(),
      fromDate: NullableString(),
      toDate: NullableString(),
      ...Provenance,
    }),
  ),
  incidentRoles: Type.Array(
    Type.Object({
      incidentReference: Type.String(),
      role: Type.String(),
      occurredOn: NullableString(),
      ...Provenance,
    }),
  ),
  agencies: Type.Array(
    Type.Object(
      {
        name: Type.String(),
        basis: Type.String(),
        grantedBy: Type.String(),
        since: Type.String(),
        expiresAt: NullableString(),
      },
      {
        description: 'Agencies with a legitimate relationship to the person, on which basis (docs/access.md)',
      },
    ),
  ),
});

export function peopleApi(people: PeopleService): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/v1/people/match',
      {
        schema: {
          tags: ['People'],
          summary:
            'Find who Harbour already holds that this person may be; writes nothing but the audit event',
          description:
            'Ranked candidates the caller may see (a legitimate relationship, or the MASH of the area) with ' +
            'score, band (auto-link, review) and the reason per field. Of a candidate the caller may not see ' +
            'it learns only `otherPossibleMatches: true`: a possible match exists and the MASH will resolve it ' +
            '(no id, score or fields).',
          body: MatchBody,
          response: {
            200: Type.Object({
              candidates: Type.Array(Candidate),
              otherPossibleMatches: OtherPossibleMatches,
              message: Type.Optional(Type.String()),
            }),
            400: Problem,
            401: Problem,
            403: Problem,
          },
        },
      },
      async (request) => {
        const answer = await people.matchPerson(auditContext(request), request.body);
        return {
          ...answer,
          ...(answer.otherPossibleMatches ? { message: UNSEEN_MATCH_MESSAGE } : {}),
        };
      },
    );

    app.post(
      '/api/v1/people',
      {
        schema: {
          tags: ['People'],
          summary: 'Create a person; 409 with the candidates when a likely duplicate exists',
          description:
            'Runs matching first. If any candidate is in the auto-link or review band the answer is 409 ' +
            'problem+json with the `candidates` the caller may see and `otherPossibleMatches` (true when a ' +
            'match exists that it may not see), and nothing is written, unless `createAnyway` is true: then ' +
            'the person is created and the candidates are queued for MASH review. The new record’s area ' +
            '(given, or from the current address) must be one the key serves (403 otherwise). Invalid NHS ' +
            'numbers, UPNs, postcodes and future dates of birth are 400 naming the field.',
          body: CreateBody,
          response: {
            201: Type.Object({
              id: Type.String({ format: 'uuid' }),
              areaId: Type.String({ format: 'uuid' }),
              reviewsQueued: Type.Integer(),
            }),
            400: Problem,
            401: Problem,
            403: Problem,
            409: Problem,
          },
        },
      },
      async (request, reply) => {
        const { createAnyway, ...input } = request.body;
        const created = await people.createPersonChecked(auditContext(request), input, {
          createAnyway: createAnyway ?? false,
        });
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/api/v1/people/:id',
      {
        schema: {
          tags: ['People'],
          summary: 'A person’s record with the source agency and time of every fact',
          description: 'A merged record answers with mergedIntoId: read the survivor instead.',
          params: Id,
          response: { 200: PersonView, 401: Problem, 403: Problem, 404: Problem },
        },
      },
      async (request) => {
        const r = await people.viewPerson(auditContext(request), request.params.id);
        const p = r.person;
        const prov = (x: { source: string | null; recorded_at: Date | string }) => ({
          source: x.source,
          recordedAt: isoInstant(x.recorded_at),
        });
        return {
          id: p.id,
          mergedIntoId: p.merged_into_id,
          kind: p.kind,
          givenName: p.given_name,
          familyName: p.family_name,
          preferredName: p.preferred_name,
          dateOfBirth: p.date_of_birth,
          expectedDate: p.expected_date,
          sex: p.sex,
          gender: p.gender,
          ethnicity: p.ethnicity,
          language: p.language,
          disability: p.disability,
          names: r.names.map((n) => ({
            kind: n.kind,
            givenName: n.given_name,
            familyName: n.family_name,
            validFrom: n.valid_from,
            validTo: n.valid_to,
            ...prov(n),
          })),
          identifiers: r.identifiers.map((i) => ({ scheme: i.scheme, value: i.value, ...prov(i) })),
          addresses: r.addresses.map((a) => ({
            line1: a.line1,
            line2: a.line2,
            town: a.town,
            postcode: a.postcode,
            fromDate: a.from_date,
            toDate: a.to_date,
            ...prov(a),
          })),
          contactDetails: r.contacts.map((c) => ({ kind: c.kind, value: c.value, ...prov(c) })),
          relationships: r.relationships.map((x) => ({
            kind: x.kind,
            personId: x.other_id,
            givenName: x.other_given_name,
            familyName: x.other_family_name,
            incidentReference: x.incident_reference,
            fromDate: x.from_date,
            toDate: x.to_date,
            ...prov(x),
          })),
          incidentRoles: r.incidentRoles.map((x) => ({
            incidentReference: x.incident_reference,
            role: x.role,
            occurredOn: x.occurred_on,
            ...prov(x),
          })),
          agencies: r.links.map((l) => ({
            name: l.name,
            basis: l.basis,
            grantedBy: l.granted_by_name,
            since: isoInstant(l.granted_at),
            expiresAt: isoOrNull(l.expires_at),
          })),
        };
      },
    );

    app.get(
      '/api/v1/people',
      {
        schema: {
          tags: ['People'],
          summary: 'Search people the caller may see: fuzzy name, date of birth, postcode or identifier',
          description:
            '`q` is read as a practitioner would type it ("Ella Smith 03/04/2014 NB1 4AA", an NHS number, a ' +
            'UPN); the separate fields may be given instead or as well.',
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 200 })),
            name: Type.Optional(Type.String({ maxLength: 200 })),
            dateOfBirth: Type.Optional(Type.String({ maxLength: 10 })),
            postcode: Type.Optional(Type.String({ maxLength: 10 })),
            identifier: Type.Optional(Type.String({ maxLength: 40 })),
            page: PageNumber(),
            pageSize: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          }),
          response: {
            200: Type.Object({
              total: Type.Integer({
                description: 'People found, counted up to 1,000; when there are more, `totalCapped` is true',
              }),
              totalCapped: Type.Boolean({ description: 'More people match than `total`: narrow the search' }),
              page: Type.Integer(),
              pageSize: Type.Integer(),
              results: Type.Array(
                Type.Object({
                  id: Type.String(),
                  kind: Type.String(),
                  givenName: Type.String(),
                  familyName: Type.String(),
                  dateOfBirth: NullableString(),
                  postcode: NullableString(),
                }),
              ),
            }),
            400: Problem,
            401: Problem,
            403: Problem,
          },
        },
      },
      async (request, reply) => {
        authorise(request, 'person:view');
        const q = request.query;
        const read = interpretQuery(q.q ?? '');
        const criteria = {
          name: q.name?.trim() || read.name,
          dateOfBirth: q.dateOfBirth?.trim() || read.dateOfBirth,
          postcode: q.postcode?.trim() ? (normalisePostcode(q.postcode) ?? '') : read.postcode,
          identifier: q.identifier?.replace(/\s+/g, '') || read.identifier,
        };
        const errors: { field: string; message: string }[] = [];
        if (criteria.postcode === '') errors.push({ field: 'postcode', message: 'Enter a real UK postcode' });
        if (criteria.dateOfBirth && !/^\d{4}-\d{2}-\d{2}$/.test(criteria.dateOfBirth))
          errors.push({ field: 'dateOfBirth', message: 'Enter the date of birth as YYYY-MM-DD' });
        if (!criteria.name && !criteria.dateOfBirth && !criteria.postcode && !criteria.identifier)
          errors.push({
            field: 'q',
            message: 'Give a name, date of birth, postcode or identifier to search by',
          });
        if (errors.length)
          return sendProblem(reply, 400, 'One or more fields are not valid. Nothing was searched.', {
            errors,
          });
        const result = await people.search(auditContext(request), {
          ...(criteria.name ? { name: criteria.name } : {}),
          ...(criteria.dateOfBirth ? { dateOfBirth: criteria.dateOfBirth } : {}),
          ...(criteria.postcode ? { postcode: criteria.postcode } : {}),
          ...(criteria.identifier ? { identifier: criteria.identifier } : {}),
          page: q.page,
          pageSize: q.pageSize,
        });
        return {
          total: result.total,
          totalCapped: result.capped,
          page: q.page,
          pageSize: q.pageSize,
          results: result.rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            givenName: r.given_name,
            familyName: r.family_name,
            dateOfBirth: r.date_of_birth,
            postcode: r.postcode ?? null,
          })),
        };
      },
    );
  };
}
