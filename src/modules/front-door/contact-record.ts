import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { decideInArea, ForbiddenError } from '../../platform/access.ts';
import type { AuditContext } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { auditContext, principalOf } from '../../platform/http/context.ts';
import { type Form, FormBody, text } from '../../platform/http/form-fields.ts';
import { formErrors } from '../../platform/views.ts';
import { presentSummary } from '../risk/service.ts';
import { Id, takeFlash, VOCABULARY } from './pages-common.ts';
import type { FrontDoorService } from './service.ts';
import { frontDoorConfig } from './settings.ts';

type App = Parameters<FastifyPluginAsyncTypebox>[0];

/** The contact record's pages (issue 12: the MoJ sub-navigation splits the one long page). */
export const CONTACT_SECTIONS = [
  'summary',
  'people',
  'screening',
  'enquiries',
  'decision',
  'history',
] as const;
export type ContactSection = (typeof CONTACT_SECTIONS)[number];
const SECTION_LABELS: Record<ContactSection, string> = {
  summary: 'Summary',
  people: 'People',
  screening: 'Screening',
  enquiries: 'Enquiries',
  decision: 'Decision',
  history: 'History',
};
/** The page each form on the record lives on, so an error or a success comes back to it. */
const FORM_SECTIONS: Record<string, ContactSection> = {
  screen: 'screening',
  enquiries: 'enquiries',
  decision: 'decision',
  signoff: 'decision',
  stepdown: 'decision',
};
export const sectionPath = (id: string, section: ContactSection) =>
  section === 'summary' ? `/front-door/contacts/${id}` : `/front-door/contacts/${id}/${section}`;

/** Whole years from a date of birth to today, or null when it is not known. */
function ageOn(dateOfBirth: string | Date | null | undefined, today: Date): number | null {
  if (!dateOfBirth) return null;
  const born = new Date(dateOfBirth);
  let age = today.getUTCFullYear() - born.getUTCFullYear();
  if (
    today.getUTCMonth() < born.getUTCMonth() ||
    (today.getUTCMonth() === born.getUTCMonth() && today.getUTCDate() < born.getUTCDate())
  )
    age -= 1;
  return age;
}

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
    section: ContactSection = 'summary',
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
      section === 'decision' &&
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
      {
        text: 'Screen and set a RAG rating',
        done: !!view.contact.screened_at,
        href: sectionPath(id, 'screening'),
      },
      {
        text: 'Ask partner agencies for information',
        done: view.enquiries.length > 0,
        href: sectionPath(id, 'enquiries'),
      },
      {
        text: 'Receive every agency’s response',
        done: view.enquiries.length > 0 && view.enquiries.every((e) => e.status !== 'open'),
        href: sectionPath(id, 'enquiries'),
      },
      { text: 'Record the decision', done: !!view.decision, href: sectionPath(id, 'decision') },
      {
        text: 'Manager sign-off',
        done: view.decision ? view.decision.sign_off_status !== 'awaiting' : false,
        href: sectionPath(id, 'decision'),
        notApplicable: view.decision?.sign_off_status === 'not-required',
      },
      {
        text: 'Feed back to the referrer',
        done: !!view.contact.feedback_sent_at,
        href: sectionPath(id, 'decision'),
      },
    ];
    // The sections this principal has something on: partners see what they sent, who was asked
    // and the outcome; the MASH sees every section.
    const shown: Record<ContactSection, boolean> = {
      summary: true,
      people: true,
      screening: view.see.whole && may.screen,
      enquiries: true,
      decision: view.see.whole || view.see.outcome,
      history: view.see.history,
    };
    const current: ContactSection = shown[section] ? section : 'summary';
    const showStepDown = current === 'decision' && may.earlyHelp && view.contact.status === 'closed';
    const subNavigation = CONTACT_SECTIONS.filter((s) => shown[s]).map((s) => ({
      text: SECTION_LABELS[s],
      href: sectionPath(id, s),
      active: s === current,
    }));
    const today = deps.now();
    // The case header (MoJ case summary): who the contact is about, how urgent, who holds it.
    const caseHeader = {
      children: children.map((child) => ({
        name: `${child.given_name ?? ''} ${child.family_name ?? ''}`.trim() || 'Name not known',
        age: ageOn(child.date_of_birth, today),
        unborn: !child.date_of_birth && !!child.expected_date,
      })),
      assignedElsewhere:
        view.see.whole &&
        !!view.contact.assigned_user_id &&
        view.contact.assigned_user_id !== principal.userId,
    };
    const details = (
      typeof view.contact.details === 'string' ? JSON.parse(view.contact.details) : view.contact.details
    ) as Record<string, unknown>;
    const referrer = (
      typeof view.contact.referrer === 'string' ? JSON.parse(view.contact.referrer) : view.contact.referrer
    ) as Record<string, unknown>;
    const heading = `${view.contact.kind === 'dan' ? 'Domestic abuse notification' : 'Contact'} ${view.contact.reference}`;
    return reply.page('front-door/views/contact.njk', {
      title: current === 'summary' ? heading : `${SECTION_LABELS[current]}: ${heading}`,
      heading,
      section: current,
      subNavigation,
      caseHeader,
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
      leadChoices: showStepDown
        ? (await service.earlyHelpLeadsFor(areaId)).map((c) => ({ value: c.value, text: c.text }))
        : [],
      flash: takeFlash(request),
      values: {},
      ...extra,
    });
  }

  /**
   * The forms on each section of the record, by name (the path without hyphens: `signoff`). A
   * form posts to its section's own address (`/front-door/contacts/:id/decision`), naming itself
   * in a hidden `form` field when the section holds more than one, so after an error the address
   * bar still shows the page the form is on (issue 12).
   */
  const sectionForms = new Map<ContactSection, Map<string, ContactStep<Record<string, unknown>>>>();

  /**
   * A form on the contact record: reads the form, runs one step of the workflow and comes back to
   * the section with a flash; a ValidationError shows the section again, at the same address, with
   * the GOV.UK error summary, the fields named `<form>-<field>` (`signoff-reason`).
   */
  function stepRoute<V extends Record<string, unknown>>(app: App, path: string, step: ContactStep<V>) {
    const name = path.replaceAll('-', '');
    const section = FORM_SECTIONS[name] ?? 'summary';
    const forms = sectionForms.get(section);
    if (forms) {
      forms.set(name, step as ContactStep<Record<string, unknown>>);
      return;
    }
    // The first form of a section is the one a post without a `form` field means.
    sectionForms.set(section, new Map([[name, step as ContactStep<Record<string, unknown>>]]));
    app.post(
      sectionPath(':id', section),
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const id = request.params.id;
        const held = sectionForms.get(section)!;
        const asked = text(request.body, 'form');
        const form = asked && held.has(asked) ? asked : name;
        const chosen = held.get(form)!;
        const values = chosen.read(request.body);
        try {
          await chosen.run(auditContext(request), id, values);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const errors = formErrors(
            error.errors.map((e: FieldError) => ({ ...e, field: `${form}-${e.field}` })),
          );
          return contactPage(
            request,
            reply.code(400),
            id,
            { errors, values: { [form]: values }, failedForm: form },
            section,
          );
        }
        request.session.flash = chosen.flash;
        return reply.redirect(sectionPath(id, section), 303);
      },
    );
  }

  return { contactPage, stepRoute };
}

export type ContactRecord = ReturnType<typeof contactRecord>;
