import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { FieldError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { asList, FormBody } from '../../platform/http/form-fields.ts';
import { redirectWithFlash, saveForm } from '../../platform/http/form-save.ts';
import { addHomePanel, countPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { Id } from '../../platform/http/schemas/atoms.ts';
import { formErrors, plural } from '../../platform/views.ts';
import { type AgencySettingInput, ANY_TYPE, type NotificationsService } from './service.ts';
import { CHANNEL_NAMES, CHANNELS, MESSAGE_TYPES, USER_CHANNELS } from './settings.ts';

const Page = Type.Integer({ minimum: 1, maximum: 10000, default: 1 });
const InboxQuery = Type.Object({
  show: Type.Union([Type.Literal('all'), Type.Literal('unread')], { default: 'all' }),
  page: Page,
});
const STATUSES = ['any', 'pending', 'retrying', 'sent', 'dead-letter'] as const;
const ReportQuery = Type.Object({
  status: Type.Union(
    STATUSES.map((s) => Type.Literal(s)),
    { default: 'any' },
  ),
  channel: Type.Union(
    (['any', ...CHANNEL_NAMES] as const).map((c) => Type.Literal(c)),
    { default: 'any' },
  ),
  page: Page,
});

/** The preference rows a page shows: every type the partnership sends, and "any other". */
const TYPE_ROWS = [{ type: ANY_TYPE, label: 'Any other message' }].concat(
  Object.entries(MESSAGE_TYPES).map(([type, label]) => ({ type, label })),
);

function channelsFromForm(body: Record<string, string | string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const row of TYPE_ROWS) {
    out[row.type] = asList(body[`channels:${row.type}`]);
  }
  return out;
}

const text = (body: Record<string, string | string[]>, name: string) => {
  const value = body[name];
  return typeof value === 'string' ? value : '';
};

/** The inbox, the preference pages, the delivery report and the sender's undelivered messages. */
export function notificationsRoutes(notifications: NotificationsService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/inbox', text: 'Inbox', action: 'notification:inbox' });
  addHomePanel(
    countPanel({
      id: 'notifications-inbox',
      title: 'Your inbox',
      action: 'notification:inbox',
      // Last: the inbox holds copies of what each role's own panels (the queue, the lookup, the
      // notices, administration) already show.
      order: 95,
      count: (principal) => notifications.unreadFor(principal),
      none: 'No unread messages. Messages to you and your agency appear in your inbox.',
      some: (unread) => `${plural(unread, 'unread message')} for you or your agency.`,
      links: (unread) => [{ href: unread ? '/inbox?show=unread' : '/inbox', text: 'Go to your inbox' }],
    }),
  );
  addHomePanel(
    countPanel({
      id: 'notifications-undelivered',
      title: 'Messages your agency sent that could not be delivered',
      action: 'notification:view-undelivered',
      order: 31,
      count: (principal) => notifications.undeliveredCount(principal),
      none: 'Every message your agency sent was delivered or is still being tried.',
      some: (count) => `${plural(count, 'message')} could not be delivered after every attempt.`,
      links: [{ href: '/notifications/undelivered', text: 'See undelivered messages' }],
    }),
  );

  async function showAgency(
    request: FastifyRequest,
    reply: FastifyReply,
    agencyId: string,
    failed: { input: AgencySettingInput; errors: FieldError[] } | null,
    webhookSecret: string | null = null,
  ) {
    const current = await notifications.agencySettings(auditContext(request), agencyId);
    const values = failed
      ? {
          ...failed.input,
          channels: failed.input.channels,
        }
      : {
          email: current.setting?.email ?? '',
          phone: current.setting?.phone ?? '',
          webhookUrl: current.setting?.webhook_url ?? '',
          webhookSecure: current.setting?.webhook_secure ?? false,
          secureEmailDomains: (current.setting?.secure_email_domains ?? []).join(', '),
          channels: current.channels,
        };
    return reply.code(failed ? 400 : 200).page('notifications/views/agency-settings.njk', {
      title: `Notifications for ${current.agency.name}`,
      agency: current.agency,
      values,
      hasSecret: Boolean(current.setting?.webhook_secret),
      webhookSecret,
      typeRows: TYPE_ROWS,
      channels: CHANNEL_NAMES.filter((c) => c !== 'in-app').map((c) => ({ value: c, text: CHANNELS[c] })),
      errors: formErrors(failed?.errors ?? []),
    });
  }

  return async (app) => {
    app.get('/inbox', { schema: { querystring: InboxQuery } }, async (request, reply) => {
      const result = await notifications.inbox(auditContext(request), request.query);
      return reply.page('notifications/views/inbox.njk', {
        title: 'Your inbox',
        result,
        show: request.query.show,
        pages: pagesOf(result.total, result.pageSize),
      });
    });

    app.get('/inbox/preferences', async (request, reply) => {
      const chosen = await notifications.myPreferences(auditContext(request));
      const flash = takeFlash(request);
      return reply.page('notifications/views/my-preferences.njk', {
        title: 'How you are told',
        typeRows: TYPE_ROWS,
        chosen,
        channels: USER_CHANNELS.filter((c) => c !== 'in-app').map((c) => ({ value: c, text: CHANNELS[c] })),
        flash,
      });
    });

    app.post('/inbox/preferences', { schema: { body: FormBody } }, async (request, reply) => {
      await notifications.saveMyPreferences(auditContext(request), channelsFromForm(request.body));
      request.session.flash = 'Your choices were saved.';
      return reply.redirect('/inbox/preferences', 303);
    });

    app.get('/inbox/:id', { schema: { params: Id } }, async (request, reply) => {
      const message = await notifications.open(auditContext(request), request.params.id);
      return reply.page('notifications/views/message.njk', { title: message.subject, message });
    });

    app.get('/admin/notifications', { schema: { querystring: ReportQuery } }, async (request, reply) => {
      const result = await notifications.report(auditContext(request), request.query);
      return reply.page('notifications/views/report.njk', {
        title: 'Notification deliveries',
        flash: takeFlash(request),
        result,
        query: request.query,
        statuses: STATUSES,
        channelNames: ['any', ...CHANNEL_NAMES],
        pages: pagesOf(result.total, result.pageSize),
        base: '/admin/notifications',
      });
    });

    app.get(
      '/notifications/undelivered',
      { schema: { querystring: Type.Object({ page: Page }) } },
      async (request, reply) => {
        const result = await notifications.undelivered(auditContext(request), request.query);
        return reply.page('notifications/views/undelivered.njk', {
          title: 'Messages your agency sent that could not be delivered',
          flash: takeFlash(request),
          result,
          pages: pagesOf(result.total, result.pageSize),
        });
      },
    );

    // "Try again" on a dead-lettered delivery, from the report or the undelivered list (back to it).
    app.post(
      '/notifications/deliveries/:id/retry',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const back =
          text(request.body, 'back') === 'report' ? '/admin/notifications' : '/notifications/undelivered';
        // Either way the list is shown again: a refusal is its message, not a form to correct.
        return saveForm({
          save: () => notifications.retry(auditContext(request), request.params.id),
          invalid: (errors) =>
            redirectWithFlash(
              request,
              reply,
              errors[0]?.message ?? 'The delivery could not be tried again.',
              back,
            ),
          done: ({ reference }) =>
            redirectWithFlash(request, reply, `The delivery of ${reference} will be tried again.`, back),
        });
      },
    );

    app.get('/admin/notifications/agencies', async (request, reply) => {
      const agencies = await notifications.agencyList(auditContext(request));
      return reply.page('notifications/views/agencies.njk', { title: 'Notifications by agency', agencies });
    });

    app.get('/admin/notifications/agencies/:id', { schema: { params: Id } }, (request, reply) =>
      showAgency(request, reply, request.params.id, null),
    );

    app.post(
      '/admin/notifications/agencies/:id',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const body = request.body;
        const input: AgencySettingInput = {
          email: text(body, 'email'),
          phone: text(body, 'phone'),
          webhookUrl: text(body, 'webhookUrl'),
          webhookSecure: text(body, 'webhookSecure') === 'yes',
          secureEmailDomains: text(body, 'secureEmailDomains'),
          newSecret: text(body, 'newSecret') === 'yes',
          channels: channelsFromForm(body),
        };
        // Saved, the page is shown again (not redirected to): a new webhook secret is shown this once.
        return saveForm({
          save: () => notifications.saveAgencySettings(auditContext(request), request.params.id, input),
          invalid: (errors) => showAgency(request, reply, request.params.id, { input, errors }),
          done: (saved) => showAgency(request, reply, request.params.id, null, saved.webhookSecret),
        });
      },
    );
  };
}
