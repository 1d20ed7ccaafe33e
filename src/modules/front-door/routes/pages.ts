import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { decideInArea, ForbiddenError } from '../../../platform/access.ts';
import type { Deps } from '../../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import { auditContext, authorise, principalOf } from '../../../platform/http/context.ts';
import { formErrors } from '../../../platform/views.ts';
import { EARLY_HELP_LEAD_AGENCY_KINDS } from '../../directory/service.ts';
import { presentSummary } from '../../risk/service.ts';
import { QUEUE_SORTS } from '../repository.ts';
import type { FrontDoorService } from '../service.ts';
import { frontDoorConfig } from '../settings.ts';
import {
  CONCERNS,
  CONTACT_SOURCES,
  DASH_STATUSES,
  EARLY_HELP_RESPONSES,
  MATCH_OUTCOME_LABELS,
  OUTCOMES,
  RAG_LABELS,
  REPORTED_BY,
  ROLE_LABELS,
  ROUTE_LABELS,
  STATUS_LABELS,
} from '../vocabulary.ts';
import { type Form, FormBody, list, text, yesNo } from './forms.ts';

const PAGE_SIZE = 25;
const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const many = Type.Optional(
  Type.Union([Type.String({ maxLength: 60 }), Type.Array(Type.String({ maxLength: 60 }), { maxItems: 20 })]),
);
const asList = (value: string | string[] | undefined) =>
  (value === undefined ? [] : Array.isArray(value) ? value : [value]).filter(Boolean);

const VOCABULARY = {
  concerns: CONCERNS,
  sources: CONTACT_SOURCES,
  outcomes: OUTCOMES,
  rags: RAG_LABELS,
  routes: ROUTE_LABELS,
  statuses: STATUS_LABELS,
  roles: ROLE_LABELS,
  matchOutcomes: MATCH_OUTCOME_LABELS,
  dashStatuses: DASH_STATUSES,
  earlyHelpResponses: EARLY_HELP_RESPONSES,
  reportedBy: REPORTED_BY,
};

export function frontDoorPages(deps: Deps, service: FrontDoorService): FastifyPluginAsyncTypebox {
  const levels = () => frontDoorConfig(deps).settings.levelsOfNeed;

  async function contactPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    extra: Record<string, unknown> = {},
  ) {
    const context = auditContext(request);
    const view = await service.viewContact(context, id);
    const principal = principalOf(request);
    const areaId = view.contact.area_id;
    const may = {
      screen: service.mayDo(principal, 'contact:screen', areaId),
      decide: service.mayDo(principal, 'contact:decide', areaId),
      signOff: service.mayDo(principal, 'decision:sign-off', areaId),
      earlyHelp: service.mayDo(principal, 'early-help:manage', areaId),
    };
    const open = ['screening', 'gathering', 'awaiting-sign-off'].includes(view.contact.status);
    const children = view.people.filter((p) => p.role === 'child');
    let riskSummaries: unknown[] = [];
    if (
      may.decide &&
      open &&
      view.contact.status !== 'awaiting-sign-off' &&
      decideInArea(principal, 'risk:view', areaId).allowed
    ) {
      riskSummaries = await Promise.all(
        children.map(async (child) => {
          try {
            if (!child.person_id) return { child, summary: null, cumulativeRisk: null };
            const summary = await service.integrations.riskSummaryFor(context, child.person_id);
            return { child, summary, cumulativeRisk: presentSummary(summary) };
          } catch (error) {
            if (error instanceof ForbiddenError) return { child, summary: null, cumulativeRisk: null };
            throw error;
          }
        }),
      );
    }
    const agencies = (may.screen && open) || may.earlyHelp ? await service.agenciesFor(areaId) : [];
    const asked = new Set(view.enquiries.map((e) => e.agency_id));
    const tasks = [
      { text: 'Screen and set a RAG rating', done: !!view.contact.screened_at, href: '#screening' },
      { text: 'Ask partner agencies for information', done: view.enquiries.length > 0, href: '#enquiries' },
      {
        text: 'Receive every agency’s response',
        done: view.enquiries.length > 0 && view.enquiries.every((e) => e.status !== 'open'),
        href: '#enquiries',
      },
      { text: 'Record the decision', done: !!view.decision, href: '#decision' },
      {
        text: 'Manager sign-off',
        done: view.decision ? view.decision.sign_off_status !== 'awaiting' : false,
        href: '#decision',
        notApplicable: view.decision?.sign_off_status === 'not-required',
      },
      { text: 'Feed back to the referrer', done: !!view.contact.feedback_sent_at, href: '#decision' },
    ];
    const details = (
      typeof view.contact.details === 'string' ? JSON.parse(view.contact.details) : view.contact.details
    ) as Record<string, unknown>;
    const referrer = (
      typeof view.contact.referrer === 'string' ? JSON.parse(view.contact.referrer) : view.contact.referrer
    ) as Record<string, unknown>;
    return reply.page('front-door/views/contact.njk', {
      title: `${view.contact.kind === 'dan' ? 'Domestic abuse notification' : 'Contact'} ${view.contact.reference}`,
      view,
      details,
      referrer,
      may,
      open,
      tasks,
      levels: levels(),
      riskSummaries,
      agencyItems: agencies
        .filter((a) => a.kind !== 'childrens_social_care' && !asked.has(a.id))
        .map((a) => ({ value: a.id, text: a.name, hint: { text: a.kind.replace(/_/g, ' ') } })),
      vocabulary: VOCABULARY,
      isMine: view.contact.assigned_user_id === principal.userId,
      leadAgencyItems: agencies
        .filter((a) => (EARLY_HELP_LEAD_AGENCY_KINDS as readonly string[]).includes(a.kind))
        .map((a) => ({ value: a.id, text: a.name })),
      flash: takeFlash(request),
      values: {},
      ...extra,
    });
  }

  function takeFlash(request: FastifyRequest) {
    const flash = request.session.flash;
    request.session.flash = undefined;
    return flash;
  }

  /** Runs a workflow step; a ValidationError re-renders the contact page with the GOV.UK error summary. */
  async function step(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    form: string,
    values: Record<string, unknown>,
    work: () => Promise<unknown>,
    flash: string,
  ) {
    try {
      await work();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const errors = formErrors(error.errors.map((e: FieldError) => ({ ...e, field: `${form}-${e.field}` })));
      return contactPage(request, reply.code(400), id, {
        errors,
        values: { [form]: values },
        failedForm: form,
      });
    }
    request.session.flash = flash;
    return reply.redirect(`/front-door/contacts/${id}`, 303);
  }

  return async (app) => {
    app.get(
      '/front-door',
      {
        schema: {
          querystring: Type.Object({
            rag: many,
            status: many,
            area: many,
            agency: Type.Optional(Type.String({ maxLength: 60 })),
            assigned: Type.Optional(Type.String({ maxLength: 60 })),
            route: Type.Optional(Type.String({ maxLength: 30 })),
            sort: Type.Union(
              QUEUE_SORTS.map((s) => Type.Literal(s)),
              { default: 'due' },
            ),
            order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
            page: Type.Integer({ minimum: 1, default: 1 }),
          }),
        },
      },
      async (request, reply) => {
        const principal = authorise(request, 'queue:view');
        const q = request.query;
        const rag = asList(q.rag).filter((r) => ['red', 'amber', 'green', 'blue', 'unscreened'].includes(r));
        const status = asList(q.status).filter((s) =>
          ['screening', 'gathering', 'awaiting-sign-off'].includes(s),
        );
        const areas = asList(q.area).filter((a) => principal.areaIds.includes(a));
        const result = await service.queue(auditContext(request), {
          ...(areas.length ? { areaIds: areas } : {}),
          ...(rag.length ? { rag } : {}),
          ...(status.length ? { status } : {}),
          ...(q.agency ? { sourceAgencyId: q.agency } : {}),
          ...(q.assigned ? { assigned: q.assigned } : {}),
          ...(q.route ? { route: q.route } : {}),
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
        const without = (key: string, value?: string) => {
          const copy = new URLSearchParams(filters);
          if (value === undefined) copy.delete(key);
          else copy.delete(key, value);
          return `/front-door?${copy.toString()}`;
        };
        const selected = [
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
                    text: STATUS_LABELS[s as keyof typeof STATUS_LABELS],
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
                      text: ROUTE_LABELS[q.route as keyof typeof ROUTE_LABELS] ?? q.route,
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
          query: { ...q, rag, status, areas },
          areas: areaRows,
          agencies,
          selected,
          filterString: filters.toString(),
          pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
          vocabulary: VOCABULARY,
          flash: takeFlash(request),
        });
      },
    );

    app.get('/front-door/contacts/:id', { schema: { params: Id } }, async (request, reply) =>
      contactPage(request, reply, request.params.id),
    );

    app.post(
      '/front-door/contacts/:id/assign',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        await service.assignToMe(auditContext(request), request.params.id);
        request.session.flash = 'Assigned to you';
        const back = text(request.body as Form, 'back');
        return reply.redirect(
          back === 'queue' ? '/front-door' : `/front-door/contacts/${request.params.id}`,
          303,
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/screen',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body as Form;
        const values = { rag: text(form, 'rag'), rationale: text(form, 'rationale') };
        return step(
          request,
          reply,
          request.params.id,
          'screen',
          values,
          () => service.screen(auditContext(request), request.params.id, values),
          'Screening recorded',
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/enquiries',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body as Form;
        const values = { agencyIds: list(form, 'agencyIds'), question: text(form, 'question') };
        return step(
          request,
          reply,
          request.params.id,
          'enquiries',
          values,
          () => service.sendEnquiries(auditContext(request), request.params.id, values),
          'Enquiries sent',
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/decision',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body as Form;
        const summaries = list(form, 'riskSummaryId');
        const level = text(form, 'riskSummaryLevel');
        const values = {
          levelOfNeed: text(form, 'levelOfNeed'),
          outcome: text(form, 'outcome') as never,
          rationale: text(form, 'rationale'),
          feedback: text(form, 'feedback'),
          ...(summaries.length
            ? { riskSummarySeen: { summaryIds: summaries, ...(level ? { level } : {}) } }
            : {}),
        };
        return step(
          request,
          reply,
          request.params.id,
          'decision',
          values,
          () => service.decide(auditContext(request), request.params.id, values),
          'Decision recorded',
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/sign-off',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body as Form;
        const agree = yesNo(form, 'agree');
        const values = {
          ...(agree !== undefined ? { agree } : {}),
          reason: text(form, 'reason'),
          levelOfNeed: text(form, 'levelOfNeed'),
          outcome: text(form, 'outcome'),
          feedback: text(form, 'feedback'),
        };
        return step(
          request,
          reply,
          request.params.id,
          'signoff',
          values,
          () => service.signOff(auditContext(request), request.params.id, values),
          'Sign-off recorded and the referrer told',
        );
      },
    );

    app.post(
      '/front-door/contacts/:id/step-down',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body as Form;
        const values = {
          leadPractitioner: text(form, 'leadPractitioner'),
          leadAgencyId: text(form, 'leadAgencyId'),
          plan: text(form, 'plan'),
          reason: text(form, 'reason'),
          handover: text(form, 'handover'),
        };
        return step(
          request,
          reply,
          request.params.id,
          'stepdown',
          values,
          () => service.earlyHelp.stepDown(auditContext(request), request.params.id, values),
          'Stepped down to early help',
        );
      },
    );

    // --- early help step-up and step-down (F12) ----------------------------------------------------
    app.get('/front-door/early-help', async (request, reply) => {
      const overview = await service.earlyHelp.overview(auditContext(request));
      return reply.page('front-door/views/early-help.njk', {
        title: 'Early help: step-up and step-down',
        overview,
        flash: takeFlash(request),
      });
    });

    app.get('/front-door/early-help/:id/step-up', { schema: { params: Id } }, async (request, reply) => {
      authorise(request, 'early-help:manage');
      return reply.page('front-door/views/step-up.njk', {
        title: 'Step up to the front door',
        id: request.params.id,
        values: { concerns: [] },
        vocabulary: VOCABULARY,
      });
    });

    app.post(
      '/front-door/early-help/:id/step-up',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const form = request.body as Form;
        const values = {
          reason: text(form, 'reason'),
          handover: text(form, 'handover'),
          concerns: list(form, 'concerns'),
        };
        try {
          const result = await service.earlyHelp.stepUp(auditContext(request), request.params.id, values);
          request.session.flash = `Stepped up: ${result.reference} is in the front-door queue`;
          return reply.redirect(`/front-door/contacts/${result.contactId}`, 303);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          return reply.code(400).page('front-door/views/step-up.njk', {
            title: 'Step up to the front door',
            id: request.params.id,
            values,
            vocabulary: VOCABULARY,
            errors: formErrors(error.errors),
          });
        }
      },
    );

    // --- an agency's inbox of enquiries (F16, F18) -----------------------------------------------
    app.get(
      '/front-door/enquiries',
      {
        schema: {
          querystring: Type.Object({
            status: Type.Union([Type.Literal('open'), Type.Literal('responded')], { default: 'open' }),
            page: Type.Integer({ minimum: 1, default: 1 }),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'enquiry:respond');
        const result = await service.inbox(
          auditContext(request),
          request.query.status,
          request.query.page,
          PAGE_SIZE,
        );
        return reply.page('front-door/views/inbox.njk', {
          title: 'Enquiries to your agency',
          result,
          status: request.query.status,
          page: request.query.page,
          pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
          flash: takeFlash(request),
        });
      },
    );

    app.get('/front-door/enquiries/:id', { schema: { params: Id } }, async (request, reply) => {
      const enquiry = await service.enquiryForResponder(auditContext(request), request.params.id);
      return reply.page('front-door/views/enquiry.njk', {
        title: `Enquiry for ${enquiry.reference}`,
        enquiry,
        vocabulary: VOCABULARY,
        values: {},
      });
    });

    app.post(
      '/front-door/enquiries/:id',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const response = text(request.body as Form, 'response');
        try {
          await service.respond(auditContext(request), request.params.id, {
            ...(response ? { response } : {}),
          });
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const enquiry = await service.enquiryForResponder(auditContext(request), request.params.id);
          return reply.code(400).page('front-door/views/enquiry.njk', {
            title: `Enquiry for ${enquiry.reference}`,
            enquiry,
            vocabulary: VOCABULARY,
            values: { response },
            errors: formErrors(error.errors),
          });
        }
        request.session.flash = 'Response sent to the front door';
        return reply.redirect('/front-door/enquiries', 303);
      },
    );

    // --- the referrer's view: what happened to my agency's contacts (F11, F16) -----------------------
    app.get(
      '/front-door/my-contacts',
      { schema: { querystring: Type.Object({ page: Type.Integer({ minimum: 1, default: 1 }) }) } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const result = await service.submittedByMyAgency(
          auditContext(request),
          request.query.page,
          PAGE_SIZE,
        );
        return reply.page('front-door/views/my-contacts.njk', {
          title: 'Your agency’s contacts and what was decided',
          result,
          page: request.query.page,
          pages: Math.max(1, Math.ceil(result.total / PAGE_SIZE)),
          vocabulary: VOCABULARY,
        });
      },
    );

    app.get('/front-door/manager', async (request, reply) => {
      const view = await service.managerView(auditContext(request));
      return reply.page('front-door/views/manager.njk', {
        title: 'Front-door oversight',
        view,
        vocabulary: VOCABULARY,
      });
    });

    app.get('/front-door/routing', async (request, reply) => {
      authorise(request, 'contact:create');
      const config = frontDoorConfig(deps);
      return reply.page('front-door/views/routing.njk', {
        title: 'How contacts are routed and timed',
        settings: config.settings,
        vocabulary: VOCABULARY,
      });
    });
  };
}
