import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decideInArea, ForbiddenError } from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { auditContext, principalOf } from '../../platform/http/context.ts';
import { type Form, FormBody } from '../../platform/http/form-fields.ts';
import { formErrors } from '../../platform/views.ts';
import { EARLY_HELP_LEAD_AGENCY_KINDS } from '../directory/service.ts';
import { presentSummary } from '../risk/service.ts';
import { Id, takeFlash, VOCABULARY } from './pages-common.ts';
import type { FrontDoorService } from './service.ts';
import { frontDoorConfig } from './settings.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** One form on the contact record and the workflow step it runs. */
export interface ContactStep<V> {
  read: (form: Form) => V;
  run: (context: AuditContext, contactId: string, values: V) => Promise<unknown>;
  flash: string;
}

/**
 * The contact record page, where screening, enquiries, the decision, sign-off and step-down are
 * done: each form posts to its own route, which runs one step and comes back here.
 */
export function contactRecord(deps: Deps, service: FrontDoorService) {
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
    const known = new Set(
      agencies.length
        ? (await service.integrations.contactRelationships(id))
            .filter((r) => ['school-on-roll', 'registered-gp', 'health-visitor'].includes(r.basis))
            .map((r) => r.agencyId)
        : [],
    );
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
      // Levels of need by their partnership label, never a bare code ("Level of need 4").
      levelLabels: Object.fromEntries(levels().map((l) => [l.code, l.label])),
      riskSummaries,
      // Issue 12: agencies already known to the children (their school, GP, health visitor) come
      // first and say so; the referrer is not offered (it told us what it knows).
      agencyItems: agencies
        .filter(
          (a) =>
            a.kind !== 'childrens_social_care' && !asked.has(a.id) && a.id !== view.contact.source_agency_id,
        )
        .map((a) => ({
          value: a.id,
          text: a.name,
          hint: { text: `${a.kind.replace(/_/g, ' ')}${known.has(a.id) ? ': known to the child' : ''}` },
          known: known.has(a.id),
        }))
        .sort((a, b) => Number(b.known) - Number(a.known))
        .map(({ known: _known, ...item }) => item),
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

  /**
   * A form on the contact record: `POST /front-door/contacts/:id/<path>` reads the form, runs one
   * step of the workflow and comes back with a flash; a ValidationError shows the contact page
   * again with the GOV.UK error summary, the fields named `<form>-<field>` (`signoff-reason`).
   */
  function stepRoute<V extends Record<string, unknown>>(app: App, path: string, step: ContactStep<V>) {
    // The form's name on the page prefixes its fields' ids: the path without its hyphens.
    const form = path.replaceAll('-', '');
    app.post(
      `/front-door/contacts/:id/${path}`,
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const id = request.params.id;
        const values = step.read(request.body);
        try {
          await step.run(auditContext(request), id, values);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const errors = formErrors(
            error.errors.map((e: FieldError) => ({ ...e, field: `${form}-${e.field}` })),
          );
          return contactPage(request, reply.code(400), id, {
            errors,
            values: { [form]: values },
            failedForm: form,
          });
        }
        request.session.flash = step.flash;
        return reply.redirect(`/front-door/contacts/${id}`, 303);
      },
    );
  }

  return { contactPage, stepRoute };
}

export type ContactRecord = ReturnType<typeof contactRecord>;
