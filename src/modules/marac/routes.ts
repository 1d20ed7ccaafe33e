import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import Type from 'typebox';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { decideInArea } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../platform/errors.ts';
import { auditContext, authorise, principalOf } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { type Form, FormBody } from '../../platform/http/form-fields.ts';
import { redirectWithFlash, saveForm } from '../../platform/http/form-save.ts';
import { addHomePanel, staticPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { Id, Uuid } from '../../platform/http/schemas/atoms.ts';
import { formatDate, formatDateTime, formErrors } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import { ACTION_REVIEW_STATUSES } from './meetings.ts';
import { type ReferralFormValues, referralForm, referralFromForm } from './referral-form.ts';
import { csvOfReturn } from './return-csv.ts';
import { returnPage } from './return-page.ts';
import type { MaracService } from './service.ts';

type Failed = { step: string; errors: readonly FieldError[]; values: Form } | null;
const field = (body: Form, name: string) => {
  const v = body[name];
  return (Array.isArray(v) ? v[0] : v) ?? '';
};
const ForumQuery = Type.Object({
  forum: Type.Optional(Type.Union([Type.Literal('marac'), Type.Literal('panel')])),
});

/** A local date and time from a form ('YYYY-MM-DD', 'HH:MM') in the partnership's zone, or null. */
function localInstant(date: string, time = '10:00'): Date | null {
  const at = DateTime.fromISO(`${date}T${time}`, { zone: TIME_ZONE });
  return at.isValid ? at.toJSDate() : null;
}

/** MARAC pages: referral, the coordinator's queue, meetings (agenda, meeting mode, minutes), cases, the return. */
export function maracRoutes(
  deps: Deps,
  marac: MaracService,
  { people, directory }: { people: PeopleService; directory: DirectoryService },
): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/marac', text: 'MARAC', action: 'marac:coordinate' });
  addHomePanel(
    staticPanel({
      id: 'marac',
      title: 'MARAC and the domestic abuse panel',
      action: 'marac:coordinate',
      order: 50,
      summary: 'Referrals awaiting a meeting, the agendas, minutes due and the SafeLives return.',
      links: [{ href: '/marac', text: 'Open the MARAC queue' }],
    }),
  );

  async function referralPage(
    reply: FastifyReply,
    values: ReferralFormValues,
    errors: readonly FieldError[],
    code = 200,
  ) {
    const principal = principalOf(reply.request);
    const form = await referralForm(deps.db, people, auditContext(reply.request), principal, values);
    return reply.code(code).page('marac/views/referral.njk', {
      title: 'Refer to MARAC',
      ...form,
      values,
      errors: formErrors(errors),
    });
  }

  async function showMeeting(request: FastifyRequest, reply: FastifyReply, failed: Failed) {
    const view = await marac.viewMeeting(auditContext(request), (request.params as { id: string }).id);
    const victims = new Map(
      (await people.personNames(view.agenda.map((s) => s.item.victim_person_id))).map((p) => [p.id, p]),
    );
    return reply.code(failed ? 400 : 200).page('marac/views/meeting.njk', {
      title: `${view.meeting.forum === 'marac' ? 'MARAC' : 'Panel'} meeting ${view.meeting.reference}`,
      ...view,
      flash: takeFlash(request) ?? null,
      when: formatDateTime(view.meeting.starts_at),
      minutesDue: formatDateTime(view.meeting.minutes_due_at),
      agenda: view.agenda.map((s) => ({
        ...s,
        victim: victims.get(s.item.victim_person_id),
        at: formatDateTime(s.startsAt),
      })),
      reviews: view.reviews.map((r) => ({ ...r, due: formatDate(r.dueBy) })),
      reviewStatuses: ACTION_REVIEW_STATUSES,
      reviewLabels: Object.fromEntries(ACTION_REVIEW_STATUSES.map((st) => [st.value, st.text])),
      values: failed?.values ?? {},
      failedStep: failed?.step ?? null,
      errors: formErrors(failed?.errors ?? []),
    });
  }

  /** The coordinator's queue and meetings; a failed "schedule" re-shows it with the error summary (400). */
  async function showQueue(
    request: FastifyRequest,
    reply: FastifyReply,
    forum: 'marac' | 'panel',
    failed: Failed,
  ) {
    const context = auditContext(request);
    const queue = await marac.queue(context, forum);
    const meetings = await marac.meetingsFrom(
      context,
      DateTime.now().setZone(TIME_ZONE).minus({ days: 35 }).toJSDate(),
      forum,
    );
    const areas = await directory.areasByIds(principalOf(request).areaIds);
    return reply.code(failed ? 400 : 200).page('marac/views/queue.njk', {
      title: forum === 'marac' ? 'MARAC' : 'Domestic abuse panel',
      forum,
      flash: takeFlash(request) ?? null,
      queue: queue.map((c) => ({ ...c, referredOn: formatDate(c.referred_at) })),
      meetings: meetings.map((m) => ({ ...m, when: formatDateTime(m.starts_at) })),
      scheduled: meetings.filter((m) => m.status === 'scheduled'),
      areas,
      values: failed?.values ?? {},
      errors: formErrors(failed?.errors ?? []),
    });
  }

  async function showCase(request: FastifyRequest, reply: FastifyReply, failed: Failed) {
    const view = await marac.viewCase(auditContext(request), (request.params as { id: string }).id);
    const principal = principalOf(request);
    const own = view.research.find((r) => r.agency_id === principal.agencyId);
    const inMeeting = view.meeting?.status === 'in-progress';
    const agencies = inMeeting ? await directory.agenciesInArea(view.theCase.area_id) : [];
    const plan = (await marac.actionsOfCase(auditContext(request), view.theCase.id)) ?? [];
    // The coordinator may transfer a case that is waiting (not on a meeting in progress, not closed).
    const mayTransfer =
      decideInArea(principal, 'marac:coordinate', view.theCase.area_id).allowed &&
      !inMeeting &&
      view.theCase.status !== 'closed';
    const otherAreas = mayTransfer
      ? (await directory.listAreas()).filter((a) => a.id !== view.theCase.area_id)
      : [];
    return reply.code(failed ? 400 : 200).page('marac/views/case.njk', {
      title: `Case ${view.theCase.reference}`,
      ...view,
      flash: takeFlash(request) ?? null,
      own,
      inMeeting,
      agencies,
      referredOn: formatDate(view.theCase.referred_at),
      plan: plan.map((a) => ({ ...a, due: formatDate(a.dueBy) })),
      mayTransfer,
      otherAreas,
      research: view.research.map((r) => ({
        ...r,
        due: formatDateTime(r.due_at),
        returned: formatDateTime(r.returned_at),
      })),
      values: failed?.values ?? {},
      errors: formErrors(failed?.errors ?? []),
    });
  }

  return async (app) => {
    /**
     * One step of a meeting or a case (a form on its page): the change, then back to the page;
     * a validation failure re-shows the page with the GOV.UK error summary and what was typed (400).
     */
    const step = (
      base: 'meetings' | 'cases',
      path: string,
      show: (request: FastifyRequest, reply: FastifyReply, failed: Failed) => Promise<FastifyReply>,
      run: (id: string, body: Form, context: ReturnType<typeof auditContext>) => Promise<unknown>,
    ) =>
      app.post(
        `/marac/${base}/:id/${path}`,
        { schema: { params: Id, body: FormBody } },
        async (request, reply) => {
          return saveForm({
            save: () => run(request.params.id, request.body, auditContext(request)),
            invalid: (errors) => show(request, reply, { step: path, errors, values: request.body }),
            done: () => reply.redirect(`/marac/${base}/${request.params.id}`, 303),
          });
        },
      );

    app.get(
      '/marac/referrals/new',
      { schema: { querystring: Type.Object({ person: Type.Optional(Uuid()) }) } },
      async (request, reply) => {
        authorise(request, 'marac:refer');
        return referralPage(reply, { person: request.query.person ?? '' }, []);
      },
    );
    app.post('/marac/referrals/new', { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'marac:refer');
      const values = Object.fromEntries(Object.entries(request.body)) as ReferralFormValues;
      return saveForm({
        save: () => marac.refer(auditContext(request), referralFromForm(request.body)),
        invalid: (errors) => referralPage(reply, values, errors, 400),
        done: (result) =>
          redirectWithFlash(
            request,
            reply,
            result.repeat
              ? `Referral ${result.reference} made. It is a repeat: the victim was referred within the last 12 months.`
              : `Referral ${result.reference} made.`,
            `/marac/cases/${result.id}`,
          ),
      });
    });

    // --- the coordinator's queue and meetings ---------------------------------------------
    app.get('/marac', { schema: { querystring: ForumQuery } }, (request, reply) =>
      showQueue(request, reply, request.query.forum ?? 'marac', null),
    );

    app.post('/marac/meetings', { schema: { body: FormBody } }, async (request, reply) => {
      const forum = field(request.body, 'forum') === 'panel' ? 'panel' : 'marac';
      const date = field(request.body, 'date');
      const startsAt = date ? localInstant(date, field(request.body, 'time') || '10:00') : undefined;
      return saveForm({
        save: () => {
          if (startsAt === null) throw new ValidationError([{ field: 'date', message: 'Enter a real date' }]);
          return marac.scheduleMeeting(auditContext(request), {
            areaId: field(request.body, 'areaId'),
            forum,
            ...(startsAt ? { startsAt } : {}),
          });
        },
        // The service names the instant; the form asks for its date.
        invalid: (errors) =>
          showQueue(request, reply, forum, {
            step: 'schedule',
            errors: errors.map((e) => (e.field === 'startsAt' ? { ...e, field: 'date' } : e)),
            values: request.body,
          }),
        done: (meeting) =>
          redirectWithFlash(
            request,
            reply,
            `Meeting ${meeting.reference} scheduled.`,
            `/marac?forum=${forum}`,
          ),
      });
    });

    app.post('/marac/cases/:id/list', { schema: { params: Id, body: FormBody } }, async (request, reply) => {
      const meetingId = field(request.body, 'meetingId');
      return saveForm({
        save: () => marac.listOnMeeting(auditContext(request), request.params.id, meetingId),
        // The queue shows why, beside that case's choice of meeting.
        invalid: (errors) =>
          showQueue(request, reply, field(request.body, 'forum') === 'panel' ? 'panel' : 'marac', {
            step: 'list',
            errors: errors.map((e) => ({ ...e, field: `meetingId-${request.params.id}` })),
            values: request.body,
          }),
        done: () => reply.redirect(`/marac/meetings/${meetingId}`, 303),
      });
    });

    app.get('/marac/meetings/:id', { schema: { params: Id } }, (request, reply) =>
      showMeeting(request, reply, null),
    );
    step('meetings', 'start', showMeeting, (id, _b, context) => marac.startMeeting(context, id));
    step('meetings', 'finish', showMeeting, (id, _b, context) => marac.finishMeeting(context, id));
    step('meetings', 'minutes', showMeeting, (id, body, context) =>
      marac.publishMinutes(context, id, field(body, 'minutes')),
    );
    step('meetings', 'reviews', showMeeting, (id, body, context) =>
      marac.reviewAction(context, id, {
        actionId: field(body, 'actionId'),
        status: field(body, 'status'),
        note: field(body, 'note'),
      }),
    );

    // --- a case: its research, and the meeting mode for the chair ---------------------------
    app.get('/marac/cases/:id', { schema: { params: Id } }, (request, reply) =>
      showCase(request, reply, null),
    );
    step('cases', 'research', showCase, (id, body, context) =>
      marac.returnResearch(context, id, field(body, 'information')),
    );
    step('cases', 'discussion', showCase, (id, body, context) =>
      marac.recordDiscussion(context, id, field(body, 'notes')),
    );
    step('cases', 'actions', showCase, (id, body, context) => {
      const dueBy = localInstant(field(body, 'dueBy'), '17:00');
      const errors: FieldError[] = [];
      if (!field(body, 'ownerAgencyId'))
        errors.push({ field: 'ownerAgencyId', message: 'Choose the agency that owns the action' });
      if (!field(body, 'description').trim())
        errors.push({ field: 'description', message: 'Describe the action' });
      if (!dueBy) errors.push({ field: 'dueBy', message: 'Enter the date the action is due' });
      if (errors.length) throw new ValidationError(errors);
      return marac.addAction(context, id, {
        ownerAgencyId: field(body, 'ownerAgencyId'),
        description: field(body, 'description').trim(),
        dueBy: dueBy!,
      });
    });
    step('cases', 'transfer', showCase, (id, body, context) =>
      marac.transfer(context, id, { toAreaId: field(body, 'toAreaId'), reason: field(body, 'reason') }),
    );

    // --- the SafeLives return ---------------------------------------------------------------
    const ReturnQuery = Type.Object({
      quarter: Type.Optional(Type.String({ maxLength: 7 })),
      areaId: Type.Optional(Uuid()),
      forum: ForumQuery.properties.forum,
    });
    const currentQuarter = () => {
      const now = DateTime.now().setZone(TIME_ZONE);
      return `${now.year}-Q${Math.ceil(now.month / 3)}`;
    };
    app.get('/marac/returns', { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      const principal = principalOf(request);
      const quarter = request.query.quarter ?? currentQuarter();
      const areaId = request.query.areaId ?? principal.areaIds[0] ?? '';
      const figures = await marac.safeLivesReturn(auditContext(request), {
        areaId,
        quarter,
        forum: request.query.forum ?? 'marac',
      });
      return reply.page('marac/views/return.njk', returnPage(quarter, areaId, figures));
    });
    app.get('/marac/returns.csv', { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      const principal = principalOf(request);
      const quarter = request.query.quarter ?? currentQuarter();
      const figures = await marac.safeLivesReturn(auditContext(request), {
        areaId: request.query.areaId ?? principal.areaIds[0] ?? '',
        quarter,
        forum: request.query.forum ?? 'marac',
      });
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="safelives-return-${quarter}.csv"`)
        .send(csvOfReturn(quarter, figures));
    });
  };
}
