import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { NoticeContent } from '../../db/schema/encompass.ts';
import { SCHOOL_PHASES } from '../../domain/encompass.ts';
import { grantedScopes } from '../../platform/access.ts';
import type { FieldError } from '../../platform/errors.ts';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { type Form, FormBody, list, text, yesNo } from '../../platform/http/form-fields.ts';
import { saveThenRedirect } from '../../platform/http/form-save.ts';
import { addHomePanel, readPanel, staticPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { Id, Uuid } from '../../platform/http/schemas/atoms.ts';
import { formatDateTime, formErrors, plural } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';
import { episodeRoutes } from './episode-routes.ts';
import type { EncompassService } from './service.ts';

const V = 'encompass/views';
const PAGE_SIZE = 25;
const STATUSES = ['unacknowledged', 'acknowledged', 'all'] as const;
type ListStatus = (typeof STATUSES)[number];
const Params = Id;
const AgencyParams = Type.Object({ agencyId: Uuid() });

const LA_REASONS: Record<string, string> = {
  'home-educated': 'The child is educated at home',
  'no-school': 'No school is known for the child',
  'school-outside-partnership': 'The child’s school is outside the partnership',
};
const KIND_LABELS: Record<string, string> = {
  incident: 'Domestic abuse incident',
  custody: 'Custody episode',
  missing: 'Missing episode',
};

const yesNoText = (value: boolean | null) => (value === null ? 'Not recorded' : value ? 'Yes' : 'No');

/** The pages of Operation Encompass: the addressee's notices, acknowledgement, review, report, schools and calendar. */
export function encompassRoutes(
  encompass: EncompassService,
  directory: DirectoryService,
): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/encompass/notices', text: 'Encompass', action: 'encompass:view' });
  addHomePanel(
    readPanel({
      id: 'encompass-notices',
      title: 'Operation Encompass notices',
      action: 'encompass:acknowledge',
      // The addressee's first work — a school's key adult, the LA's education safeguarding officer —
      // is a notice due before the school day: first on the page for everyone who acknowledges.
      order: 5,
      read: (principal) => encompass.waitingFor(principal),
      summary: (waiting) =>
        (waiting.count === 0
          ? 'No notices are waiting for your acknowledgement. Police tell you here before the school day starts.'
          : `${plural(waiting.count, 'notice')} to acknowledge. The soonest was due ${formatDateTime(waiting.earliest)}.`) +
        (waiting.escalated === 0
          ? ''
          : ` ${plural(waiting.escalated, 'notice')} escalated to you ${waiting.escalated === 1 ? 'is' : 'are'} still not acknowledged by the school.`),
      links: (waiting) => [
        ...waiting.soonest.map((n) => ({
          href: `/encompass/notices/${n.id}`,
          text: `Open notice ${n.reference} (${KIND_LABELS[n.kind]?.toLowerCase()}, due ${formatDateTime(n.due_by)})`,
        })),
        { href: '/encompass/notices', text: 'See all your Operation Encompass notices' },
      ],
    }),
  );
  addHomePanel(
    staticPanel({
      id: 'encompass-admin',
      title: 'Operation Encompass set-up',
      action: 'encompass:administer',
      order: 91,
      summary: 'Schools, their key adults and deputies, and each area’s term dates and INSET days.',
      links: [
        { href: '/admin/encompass/schools', text: 'Manage schools' },
        { href: '/admin/encompass/calendar', text: 'Manage the school calendar' },
      ],
    }),
  );

  async function showNotice(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    failed: { form: Form; errors: FieldError[]; which: 'acknowledge' | 'review' } | null,
  ) {
    const view = await encompass.view(auditContext(request), id);
    const n = view.notice;
    const c = n.content as NoticeContent;
    return reply.code(failed ? 400 : 200).page(`${V}/notice.njk`, {
      title: `Operation Encompass notice ${n.reference}`,
      notice: n,
      content: c,
      kindLabel: KIND_LABELS[n.kind],
      laReason: n.la_reason ? LA_REASONS[n.la_reason] : null,
      present: yesNoText(c.present),
      witnessed: yesNoText(c.witnessed),
      may: view.may,
      escalations: view.escalations,
      overdue: n.status !== 'acknowledged' && new Date(n.due_by).getTime() < Date.now(),
      values: failed?.form ?? {},
      which: failed?.which ?? null,
      errors: formErrors(failed?.errors ?? []),
      flash: takeFlash(request),
    });
  }

  return async (app) => {
    app.get(
      '/encompass/notices',
      {
        schema: {
          querystring: Type.Object({
            status: Type.Union(
              STATUSES.map((s) => Type.Literal(s)),
              { default: 'unacknowledged' },
            ),
            page: Type.Integer({ minimum: 1, maximum: 10_000, default: 1 }),
          }),
        },
      },
      async (request, reply) => {
        const status: ListStatus = request.query.status;
        const result = await encompass.list(auditContext(request), {
          status,
          page: request.query.page,
          pageSize: PAGE_SIZE,
        });
        const principal = request.principal!;
        return reply.page(`${V}/notices.njk`, {
          title: 'Operation Encompass notices',
          status,
          tabs: STATUSES.map((s) => ({
            status: s,
            text: s === 'unacknowledged' ? 'To acknowledge' : s === 'acknowledged' ? 'Acknowledged' : 'All',
            current: s === status,
          })),
          rows: result.rows.map((n) => ({
            id: n.id,
            reference: n.reference,
            childName: (n.content as NoticeContent).childName,
            addressee: (n.content as NoticeContent).addresseeName,
            kind: KIND_LABELS[n.kind],
            dueBy: n.due_by,
            status: n.status,
            escalated: n.escalation_stage,
          })),
          total: result.total,
          page: result.page,
          pages: pagesOf(result.total, PAGE_SIZE),
          mayReport: grantedScopes(principal, 'encompass:report').length > 0,
          mayShare: grantedScopes(principal, 'encompass:share').length > 0,
        });
      },
    );

    app.get('/encompass/notices/:id', { schema: { params: Params } }, (request, reply) =>
      showNotice(request, reply, request.params.id, null),
    );

    // Each change to a notice is posted from the notice page: saved, back to the notice with its
    // message; refused, the notice again showing that form (`which`) with its answers and errors.
    const noticeChange = (
      path: string,
      which: 'acknowledge' | 'review',
      flash: string,
      run: (id: string, form: Form, context: ReturnType<typeof auditContext>) => Promise<unknown>,
    ) =>
      app.post(
        `/encompass/notices/:id/${path}`,
        { schema: { params: Params, body: FormBody } },
        async (request, reply) => {
          const form = request.body;
          return saveThenRedirect(request, reply, {
            save: () => run(request.params.id, form, auditContext(request)),
            invalid: (errors) => showNotice(request, reply, request.params.id, { form, errors, which }),
            flash,
            next: `/encompass/notices/${request.params.id}`,
          });
        },
      );

    noticeChange(
      'acknowledgement',
      'acknowledge',
      'The notice is acknowledged. Thank you: the police and the local authority can see what was done.',
      (id, form, context) =>
        encompass.acknowledge(context, id, {
          actionTaken: text(form, 'actionTaken') ?? '',
          supportOffered: yesNo(form, 'supportOffered') as boolean,
          loggedOnSchoolSystem: yesNo(form, 'loggedOnSchoolSystem') as boolean,
        }),
    );
    noticeChange(
      'review',
      'review',
      'The notice is reviewed and released to the school.',
      (id, form, context) => encompass.review(context, id, { summary: text(form, 'summary') ?? '' }),
    );

    app.get(
      '/encompass/report',
      {
        schema: {
          querystring: Type.Object({ days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }) }),
        },
      },
      async (request, reply) => {
        authorise(request, 'encompass:report');
        const since = new Date(Date.now() - request.query.days * 86_400_000);
        const rows = await encompass.report(auditContext(request), since);
        return reply.page(`${V}/report.njk`, {
          title: 'Operation Encompass notices by school',
          rows,
          days: request.query.days,
          since,
        });
      },
    );

    // --- police share a custody or missing episode (F29) ------------------------------------

    await app.register(episodeRoutes(encompass));

    // --- administration: schools and the school calendar ------------------------------------

    app.get('/admin/encompass/schools', async (request, reply) => {
      const schools = await encompass.listSchools(auditContext(request));
      return reply.page(`${V}/schools.njk`, {
        title: 'Schools (Operation Encompass)',
        schools,
        phases: SCHOOL_PHASES,
        flash: takeFlash(request),
      });
    });

    const showSchool = async (
      request: FastifyRequest,
      reply: FastifyReply,
      agencyId: string,
      failed: { form: Form; errors: FieldError[] } | null,
    ) => {
      const { agency, school, users } = await encompass.school(auditContext(request), agencyId);
      const values = failed?.form ?? {
        urn: school?.urn ?? '',
        phase: school?.phase ?? '',
        statutoryLowAge: school ? String(school.statutory_low_age) : '',
        statutoryHighAge: school ? String(school.statutory_high_age) : '',
        postcode: school?.postcode ?? '',
        keyAdultUserId: school?.key_adult_user_id ?? '',
        deputyUserIds: school?.deputy_user_ids ?? [],
        contactEmail: school?.contact_email ?? '',
        contactPhone: school?.contact_phone ?? '',
        address: school?.address ?? '',
      };
      const deputies = list(values as Form, 'deputyUserIds');
      return reply.code(failed ? 400 : 200).page(`${V}/school.njk`, {
        title: `${agency.name}: Operation Encompass`,
        agency,
        values,
        phases: Object.entries(SCHOOL_PHASES).map(([value, label]) => ({
          value,
          text: label,
          selected: values.phase === value,
        })),
        keyAdults: [
          { value: '', text: 'Not chosen yet' },
          ...users.map((u) => ({
            value: u.id,
            text: u.display_name,
            selected: values.keyAdultUserId === u.id,
          })),
        ],
        deputyItems: users.map((u) => ({
          value: u.id,
          text: u.display_name,
          checked: deputies.includes(u.id),
        })),
        errors: formErrors(failed?.errors ?? []),
      });
    };

    app.get('/admin/encompass/schools/:agencyId', { schema: { params: AgencyParams } }, (request, reply) =>
      showSchool(request, reply, request.params.agencyId, null),
    );

    app.post(
      '/admin/encompass/schools/:agencyId',
      { schema: { params: AgencyParams, body: FormBody } },
      async (request, reply) => {
        const form = request.body;
        return saveThenRedirect(request, reply, {
          save: () =>
            encompass.saveSchool(auditContext(request), request.params.agencyId, {
              urn: text(form, 'urn') ?? '',
              phase: text(form, 'phase') ?? '',
              statutoryLowAge: text(form, 'statutoryLowAge') ?? '',
              statutoryHighAge: text(form, 'statutoryHighAge') ?? '',
              postcode: text(form, 'postcode') ?? '',
              keyAdultUserId: text(form, 'keyAdultUserId') ?? '',
              deputyUserIds: list(form, 'deputyUserIds'),
              contactEmail: text(form, 'contactEmail') ?? '',
              contactPhone: text(form, 'contactPhone') ?? '',
              address: text(form, 'address') ?? '',
            }),
          invalid: (errors) => showSchool(request, reply, request.params.agencyId, { form, errors }),
          flash: 'The school’s Operation Encompass details are saved.',
          next: '/admin/encompass/schools',
        });
      },
    );

    const showCalendar = async (
      request: FastifyRequest,
      reply: FastifyReply,
      areaId: string | undefined,
      failed: { form: Form; errors: FieldError[] } | null,
    ) => {
      authorise(request, 'encompass:administer');
      const areas = await directory.listAreas();
      const area = areas.find((a) => a.id === areaId) ?? areas[0];
      const page = area ? await encompass.calendarPage(auditContext(request), area.id) : null;
      return reply.code(failed ? 400 : 200).page(`${V}/calendar.njk`, {
        title: 'School calendar (Operation Encompass)',
        areas: areas.map((a) => ({ id: a.id, name: a.name, current: a.id === area?.id })),
        area,
        days: page?.days ?? [],
        calendar: page?.calendar ?? null,
        values: failed?.form ?? {},
        errors: formErrors(failed?.errors ?? []),
        flash: takeFlash(request),
      });
    };

    app.get(
      '/admin/encompass/calendar',
      { schema: { querystring: Type.Object({ areaId: Type.Optional(Type.String({ maxLength: 100 })) }) } },
      (request, reply) => showCalendar(request, reply, request.query.areaId, null),
    );

    app.post('/admin/encompass/calendar', { schema: { body: FormBody } }, async (request, reply) => {
      const form = request.body;
      const areaId = text(form, 'areaId') ?? '';
      return saveThenRedirect(request, reply, {
        save: () =>
          encompass.addCalendarDay(auditContext(request), {
            areaId,
            kind: text(form, 'kind') ?? '',
            startsOn: text(form, 'startsOn') ?? '',
            endsOn: text(form, 'endsOn') ?? '',
            note: text(form, 'note') ?? '',
          }),
        invalid: (errors) => showCalendar(request, reply, areaId, { form, errors }),
        flash: 'Added to the school calendar. Notices from now on are due by it.',
        next: `/admin/encompass/calendar?areaId=${encodeURIComponent(areaId)}`,
      });
    });

    app.post(
      '/admin/encompass/calendar/:id/remove',
      { schema: { params: Params } },
      async (request, reply) => {
        const removed = await encompass.removeCalendarDay(auditContext(request), request.params.id);
        request.session.flash = 'Removed from the school calendar.';
        return reply.redirect(`/admin/encompass/calendar?areaId=${removed.area_id}`, 303);
      },
    );
  };
}
