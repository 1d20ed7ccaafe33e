import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { RAG_RATINGS } from '../../../domain/clock.ts';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { asList } from '../../../platform/http/form-fields.ts';
import { isOneOf, oneOf, PageNumber } from '../../../platform/http/schemas/atoms.ts';
import { PAGE_SIZE, type PageContext, pagesOf, takeFlash, VOCABULARY } from '../pages-common.ts';
import { QUEUE_SORTS } from '../repository.ts';
import { OPEN_STATUSES, ROUTE_LABELS, STATUS_LABELS } from '../vocabulary.ts';

const many = Type.Optional(
  Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 })]),
);
/** One value of a list the page offers, or several: a value it does not offer is an error page, not ignored. */
const manyOf = (values: readonly string[]) =>
  Type.Optional(Type.Union([oneOf(values), Type.Array(oneOf(values), { maxItems: 20 })]));
const RAG_FILTERS = [...RAG_RATINGS, 'unscreened'] as const;
/** The queue's RAG filter: each rating, or not yet screened. */
const isRagFilter = isOneOf(RAG_FILTERS);
const isOpenStatus = isOneOf(OPEN_STATUSES);

/** The front-door queue (F1, F10): open contacts in the principal’s areas, filtered and sorted. */
export function queuePage({ service }: PageContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/front-door',
      {
        schema: {
          querystring: Type.Object({
            rag: manyOf(RAG_FILTERS),
            status: manyOf(OPEN_STATUSES),
            area: many,
            agency: Type.Optional(Type.String({ maxLength: 60 })),
            assigned: Type.Optional(Type.String({ maxLength: 60 })),
            // The filter form sends route= for "Both".
            route: Type.Optional(Type.Union([oneOf(ROUTE_LABELS), Type.Literal('')])),
            q: Type.Optional(Type.String({ maxLength: 100 })),
            sort: oneOf(QUEUE_SORTS, { default: 'rag' }),
            order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
            page: PageNumber(),
          }),
        },
      },
      async (request, reply) => {
        const principal = authorise(request, 'queue:view');
        const q = request.query;
        const rag = asList(q.rag).filter(isRagFilter);
        const status = asList(q.status).filter(isOpenStatus);
        const areas = asList(q.area).filter((a) => principal.areaIds.includes(a));
        const search = (q.q ?? '').trim();
        const result = await service.queue(auditContext(request), {
          ...(areas.length ? { areaIds: areas } : {}),
          ...(rag.length ? { rag } : {}),
          ...(status.length ? { status } : {}),
          ...(q.agency ? { sourceAgencyId: q.agency } : {}),
          ...(q.assigned ? { assigned: q.assigned } : {}),
          ...(q.route ? { route: q.route } : {}),
          ...(search ? { search } : {}),
          sort: q.sort,
          order: q.order,
          page: q.page,
          pageSize: PAGE_SIZE,
        });
        const areaRows = (await service.integrations.directory.areasByIds(principal.areaIds)).map(
          ({ id, name }) => ({
            id,
            name,
          }),
        );
        const agencyRows = (await Promise.all(principal.areaIds.map((a) => service.agenciesFor(a)))).flat();
        const agencies = [...new Map(agencyRows.map((a) => [a.id, a])).values()];
        const filters = new URLSearchParams();
        for (const r of rag) filters.append('rag', r);
        for (const s of status) filters.append('status', s);
        for (const a of areas) filters.append('area', a);
        if (q.agency) filters.set('agency', q.agency);
        if (q.assigned) filters.set('assigned', q.assigned);
        if (q.route) filters.set('route', q.route);
        if (search) filters.set('q', search);
        const without = (key: string, value?: string) => {
          const copy = new URLSearchParams(filters);
          if (value === undefined) copy.delete(key);
          else copy.delete(key, value);
          return `/front-door?${copy.toString()}`;
        };
        const selected = [
          ...(search
            ? [{ heading: { text: 'Search' }, items: [{ href: without('q'), text: `“${search}”` }] }]
            : []),
          ...(rag.length
            ? [
                {
                  heading: { text: 'RAG' },
                  items: rag.map((r) => ({
                    href: without('rag', r),
                    text: r === 'unscreened' ? 'Not screened' : r[0]!.toUpperCase() + r.slice(1),
                  })),
                },
              ]
            : []),
          ...(status.length
            ? [
                {
                  heading: { text: 'Status' },
                  items: status.map((s) => ({
                    href: without('status', s),
                    text: STATUS_LABELS[s],
                  })),
                },
              ]
            : []),
          ...(areas.length
            ? [
                {
                  heading: { text: 'Area' },
                  items: areas.map((a) => ({
                    href: without('area', a),
                    text: areaRows.find((r) => r.id === a)?.name ?? a,
                  })),
                },
              ]
            : []),
          ...(q.agency
            ? [
                {
                  heading: { text: 'Referring agency' },
                  items: [
                    {
                      href: without('agency'),
                      text: agencies.find((a) => a.id === q.agency)?.name ?? 'Agency',
                    },
                  ],
                },
              ]
            : []),
          ...(q.assigned
            ? [
                {
                  heading: { text: 'Assigned' },
                  items: [
                    {
                      href: without('assigned'),
                      text: q.assigned === 'me' ? 'Assigned to me' : 'Unassigned',
                    },
                  ],
                },
              ]
            : []),
          ...(q.route
            ? [
                {
                  heading: { text: 'Route' },
                  items: [
                    {
                      href: without('route'),
                      text: ROUTE_LABELS[q.route],
                    },
                  ],
                },
              ]
            : []),
        ];
        const reviewTasks = (
          await Promise.all(
            principal.areaIds.map((a) => service.integrations.openReviewTasks(auditContext(request), a)),
          )
        ).flat();
        return reply.page('front-door/views/queue.njk', {
          title: 'Front-door queue',
          result,
          reviewTasks,
          query: { ...q, rag, status, areas, q: search },
          areas: areaRows,
          agencies,
          selected,
          filterString: filters.toString(),
          searchCleared: without('q'),
          pages: pagesOf(result.total),
          vocabulary: VOCABULARY,
          flash: takeFlash(request),
        });
      },
    );
  };
}
