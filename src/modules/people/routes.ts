import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import { normalisePostcode } from '../../domain/identifiers.ts';
import { decideInArea } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { addHomePanel, countPanel, staticPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { Id, PageNumber, PageQuery } from '../../platform/http/schemas/atoms.ts';
import { formErrors, plural } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';
import { peopleApi } from './api.ts';
import { matchingAdminRoutes } from './matching-admin-routes.ts';
import { CIN_ETHNICITY_CODES, type INCIDENT_ROLES } from './person-input.ts';
import { reviewRoutes } from './review-routes.ts';
import { searchDate } from './search-query.ts';
import type { PeopleService } from './service.ts';

/** What another capability adds to the person page, from the record the page has already read. */
export type PersonPanel = (
  request: FastifyRequest,
  known: Pick<Awaited<ReturnType<PeopleService['viewPerson']>>, 'person' | 'resource'>,
) => Promise<unknown>;

const PAGE_SIZE = 20;
const BASIS_NAMES: Record<string, string> = {
  enquiry: 'asked for information about a contact',
  'strategy-discussion': 'invited to a strategy discussion',
  marac: 'invited to MARAC',
  'school-on-roll': 'on the school’s roll',
  'registered-gp': 'registered patient',
  'health-visitor': 'health visiting caseload',
  'allocated-worker': 'allocated worker',
};
const INCIDENT_ROLE_NAMES: Record<(typeof INCIDENT_ROLES)[number], string> = {
  victim: 'Victim',
  perpetrator: 'Perpetrator',
  suspect: 'Suspect',
  'child-in-household': 'Child in the household',
};
/** The change history's words for the facts of a person record and the actions that change them. */
const FIELD_NAMES: Record<string, string> = {
  date_of_birth: 'Date of birth',
  expected_date: 'Expected date of birth',
  sex: 'Sex',
  gender: 'Gender',
  ethnicity: 'Ethnicity',
  language: 'Language',
  disability: 'Disability',
  preferred_name: 'Preferred name',
  nhs_number: 'NHS number',
  merged_into_id: 'Merged into another record',
};
const CHANGE_ACTIONS: Record<string, string> = {
  'person.add-facts': 'An agency’s record added facts not held before',
  'person.merge': 'Records merged',
  'person.unmerge': 'Merge undone',
};
const shownValue = (value: unknown): string =>
  value === null || value === undefined
    ? 'Not recorded'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);

const RELATIONSHIP_NAMES: Record<string, string> = {
  parent: 'Parent or carer',
  child: 'Child',
  'step-parent': 'Step-parent',
  'step-child': 'Step-child',
  carer: 'Carer',
  'cared-for': 'Cared for by',
  partner: 'Partner',
  'ex-partner': 'Ex-partner',
  sibling: 'Sibling',
  'lives-with': 'Lives with',
  victim: 'Victim (incident)',
  perpetrator: 'Perpetrator or suspect (incident)',
  'child-in-household': 'Child in household (incident)',
};

export function peopleRoutes(
  deps: Deps,
  {
    people,
    directory,
    riskPanel,
    flagBanner,
    heldPlans,
  }: {
    people: PeopleService;
    directory: DirectoryService;
    riskPanel: PersonPanel;
    flagBanner?: PersonPanel;
    heldPlans?: PersonPanel;
  },
): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/people', text: 'People', action: 'person:view' });
  addNavigationItem({ href: '/match-review', text: 'Match review', action: 'person:merge' });
  addHomePanel(
    countPanel({
      id: 'match-review',
      title: 'Possible duplicate records',
      action: 'person:merge',
      order: 55,
      count: (principal) => people.pendingReviewCount(principal.areaIds),
      none: 'No records are waiting for a decision about whether they are the same person.',
      some: (n) =>
        `${plural(n, 'pair of records is', 'pairs of records are')} waiting for a decision about whether they are the same person.`,
      links: [
        { href: '/match-review', text: 'Review possible duplicates' },
        { href: '/match-review/merges', text: 'Merge history' },
      ],
    }),
  );
  addHomePanel(
    staticPanel({
      id: 'people',
      title: 'Find a child or adult',
      action: 'person:view',
      order: 50,
      summary:
        'Search by name, date of birth, postcode or identifier across every agency’s records you may see.',
      links: [{ href: '/people', text: 'Search people' }],
    }),
  );

  return async (app) => {
    await app.register(matchingAdminRoutes(deps));
    await app.register(peopleApi(people));
    await app.register(reviewRoutes(people));

    app.get(
      '/people',
      {
        schema: {
          querystring: Type.Object({
            name: Type.Optional(Type.String({ maxLength: 200 })),
            dateOfBirth: Type.Optional(Type.String({ maxLength: 20 })),
            postcode: Type.Optional(Type.String({ maxLength: 10 })),
            identifier: Type.Optional(Type.String({ maxLength: 40 })),
            kind: Type.Optional(
              Type.Union([
                Type.Literal(''),
                Type.Literal('child'),
                Type.Literal('unborn'),
                Type.Literal('adult'),
              ]),
            ),
            area: Type.Optional(Type.String({ maxLength: 60 })),
            sort: Type.Union([Type.Literal('name'), Type.Literal('dateOfBirth')], { default: 'name' }),
            order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
            page: PageNumber(),
          }),
        },
      },
      async (request, reply) => {
        const principal = authorise(request, 'person:view');
        const q = request.query;
        const errors: { field: string; message: string }[] = [];
        // 14/06/2018, 14/6/2018 and 2018-06-14 are the same date of birth.
        const dateOfBirth = q.dateOfBirth?.trim() ? searchDate(q.dateOfBirth.trim()) : undefined;
        if (dateOfBirth === null) {
          errors.push({
            field: 'dateOfBirth',
            message: 'Enter the date of birth as a real date, like 14/06/2018',
          });
        }
        // In the order the form asks: date of birth, then postcode.
        const postcode = q.postcode?.trim() ? normalisePostcode(q.postcode) : undefined;
        if (q.postcode?.trim() && !postcode)
          errors.push({ field: 'postcode', message: 'Enter a real UK postcode, like NB1 4AA' });
        const areas = principal.areaIds.length
          ? (await directory.areasByIds(principal.areaIds)).map(({ id, name }) => ({ id, name }))
          : [];
        const searched = Boolean(q.name?.trim() || q.dateOfBirth?.trim() || postcode || q.identifier?.trim());
        let result: { rows: unknown[]; total: number; capped: boolean } = {
          rows: [],
          total: 0,
          capped: false,
        };
        if (searched && errors.length === 0) {
          result = await people.search(auditContext(request), {
            ...(q.name?.trim() ? { name: q.name.trim() } : {}),
            ...(dateOfBirth ? { dateOfBirth } : {}),
            ...(postcode ? { postcode } : {}),
            ...(q.identifier?.trim() ? { identifier: q.identifier.replace(/\s+/g, '') } : {}),
            ...(q.kind ? { kind: q.kind } : {}),
            ...(q.area && areas.some((a) => a.id === q.area) ? { areaId: q.area } : {}),
            sort: q.sort,
            order: q.order,
            page: q.page,
            pageSize: PAGE_SIZE,
          });
        }
        const params = new URLSearchParams(
          Object.entries(q).filter(([k, v]) => !['page', 'sort', 'order'].includes(k) && v) as [
            string,
            string,
          ][],
        );
        return reply.code(errors.length ? 400 : 200).page('people/views/search.njk', {
          title: 'Find a person',
          query: q,
          searched,
          errors: formErrors(errors),
          results: result.rows,
          total: result.total,
          capped: result.capped,
          totalText: result.total.toLocaleString('en-GB'),
          page: q.page,
          pages: pagesOf(result.total, PAGE_SIZE),
          queryString: params.toString(),
          sortQuery: `${params.toString()}&sort=${q.sort}&order=${q.order}`,
          sort: q.sort,
          order: q.order,
          areas,
          areaItems: [
            { value: '', text: 'All your areas', selected: !q.area },
            ...areas.map((a) => ({ value: a.id, text: a.name, selected: q.area === a.id })),
          ],
        });
      },
    );

    app.get('/people/:id', { schema: { params: Id } }, async (request, reply) => {
      const record = await people.viewPerson(auditContext(request), request.params.id);
      return reply.page('people/views/person.njk', {
        title: `${record.person.given_name} ${record.person.family_name}`,
        record,
        relationshipNames: RELATIONSHIP_NAMES,
        incidentRoleNames: INCIDENT_ROLE_NAMES,
        ethnicityNames: CIN_ETHNICITY_CODES,
        basisNames: BASIS_NAMES,
        riskPanel: await riskPanel(request, record),
        flagBanner: flagBanner ? await flagBanner(request, record) : null,
        heldPlans: heldPlans ? await heldPlans(request, record) : null,
        mayViewAccessLog: request.principal
          ? decideInArea(request.principal, 'person:view-access-log', record.person.area_id).allowed
          : false,
      });
    });

    app.get(
      '/people/:id/changes',
      {
        schema: {
          params: Id,
          querystring: PageQuery,
        },
      },
      async (request, reply) => {
        const changes = await people.changeHistory(
          auditContext(request),
          request.params.id,
          request.query.page,
        );
        return reply.page('people/views/changes.njk', {
          title: `Changes to ${changes.person.given_name} ${changes.person.family_name}’s record`,
          changes,
          rows: changes.rows.map((c) => ({
            ...c,
            why: CHANGE_ACTIONS[c.action] ?? c.action,
            fieldName: FIELD_NAMES[c.field] ?? c.field,
            from: shownValue(c.from_value),
            to: shownValue(c.to_value),
          })),
          page: request.query.page,
          pages: pagesOf(changes.total, 50),
        });
      },
    );

    app.get(
      '/people/:id/access-log',
      {
        schema: {
          params: Id,
          querystring: PageQuery,
        },
      },
      async (request, reply) => {
        const log = await people.accessLog(auditContext(request), request.params.id, request.query.page);
        return reply.page('people/views/access-log.njk', {
          title: `Who has looked at ${log.person.given_name} ${log.person.family_name}’s record`,
          log,
          page: request.query.page,
          pages: pagesOf(log.total, 50),
        });
      },
    );
  };
}
