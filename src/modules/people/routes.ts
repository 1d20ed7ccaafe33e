import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { normalisePostcode } from '../../domain/identifiers.ts';
import { decide } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { addHomePanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { formErrors } from '../../platform/views.ts';
import type { PeopleService } from './service.ts';

const PAGE_SIZE = 20;
const RELATIONSHIP_NAMES: Record<string, string> = {
  parent: 'Parent or carer',
  child: 'Child',
  'step-parent': 'Step-parent',
  'step-child': 'Step-child',
  partner: 'Partner',
  'ex-partner': 'Ex-partner',
  sibling: 'Sibling',
  'lives-with': 'Lives with',
  victim: 'Victim (incident)',
  perpetrator: 'Perpetrator or suspect (incident)',
  'child-in-household': 'Child in household (incident)',
};

export function peopleRoutes(_deps: Deps, people: PeopleService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/people', text: 'People', action: 'person:view' });
  addHomePanel({
    id: 'people',
    title: 'Find a child or adult',
    action: 'person:view',
    order: 50,
    load: async () => ({
      summary:
        'Search by name, date of birth, postcode or identifier across every agency’s records you may see.',
      links: [{ href: '/people', text: 'Search people' }],
    }),
  });

  return async (app) => {
    app.get(
      '/people',
      {
        schema: {
          querystring: Type.Object({
            name: Type.Optional(Type.String({ maxLength: 200 })),
            dateOfBirth: Type.Optional(Type.String({ maxLength: 10 })),
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
            page: Type.Integer({ minimum: 1, default: 1 }),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'person:view');
        const q = request.query;
        const errors: { field: string; message: string }[] = [];
        const postcode = q.postcode?.trim() ? normalisePostcode(q.postcode) : undefined;
        if (q.postcode?.trim() && !postcode)
          errors.push({ field: 'postcode', message: 'Enter a real UK postcode, like NB1 4AA' });
        if (q.dateOfBirth?.trim() && !/^\d{4}-\d{2}-\d{2}$/.test(q.dateOfBirth.trim())) {
          errors.push({ field: 'dateOfBirth', message: 'Enter the date of birth as YYYY-MM-DD' });
        }
        const searched = Boolean(q.name?.trim() || q.dateOfBirth?.trim() || postcode || q.identifier?.trim());
        let result: { rows: unknown[]; total: number } = { rows: [], total: 0 };
        if (searched && errors.length === 0) {
          result = await people.search(auditContext(request), {
            ...(q.name?.trim() ? { name: q.name.trim() } : {}),
            ...(q.dateOfBirth?.trim() ? { dateOfBirth: q.dateOfBirth.trim() } : {}),
            ...(postcode ? { postcode } : {}),
            ...(q.identifier?.trim() ? { identifier: q.identifier.replace(/\s+/g, '') } : {}),
            ...(q.kind ? { kind: q.kind } : {}),
            page: q.page,
            pageSize: PAGE_SIZE,
          });
        }
        const params = new URLSearchParams(
          Object.entries(q).filter(([k, v]) => k !== 'page' && v) as [string, string][],
        );
        return reply.code(errors.length ? 400 : 200).page('people/views/search.njk', {
          title: 'Find a person',
          query: q,
          searched,
          errors: formErrors(errors),
          results: result.rows,
          total: result.total,
          page: q.page,
          pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
          queryString: params.toString(),
        });
      },
    );

    app.get(
      '/people/:id',
      { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
      async (request, reply) => {
        const record = await people.viewPerson(auditContext(request), request.params.id);
        return reply.page('people/views/person.njk', {
          title: `${record.person.given_name} ${record.person.family_name}`,
          record,
          relationshipNames: RELATIONSHIP_NAMES,
          mayViewAccessLog: request.principal
            ? decide(request.principal, 'person:view-access-log', { areaId: record.person.area_id }).allowed
            : false,
        });
      },
    );

    app.get(
      '/people/:id/access-log',
      {
        schema: {
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          querystring: Type.Object({ page: Type.Integer({ minimum: 1, default: 1 }) }),
        },
      },
      async (request, reply) => {
        const log = await people.accessLog(auditContext(request), request.params.id, request.query.page);
        return reply.page('people/views/access-log.njk', {
          title: `Who has looked at ${log.person.given_name} ${log.person.family_name}’s record`,
          log,
          page: request.query.page,
          pages: Math.max(1, Math.ceil(log.total / 50)),
        });
      },
    );
  };
}
