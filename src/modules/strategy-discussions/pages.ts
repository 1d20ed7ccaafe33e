import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { FieldError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { FormBody } from '../../platform/http/form-fields.ts';
import { redirectWithFlash, saveForm } from '../../platform/http/form-save.ts';
import { addHomePanel, readPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { Id, Uuid } from '../../platform/http/schemas/atoms.ts';
import { formErrors, plural } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';
import { type Form, pageField, parseOutcomeForm, parseScheduleForm, valueOrRefuse } from './forms.ts';
import type { StrategyDiscussionService } from './service.ts';

const Params = Id;
const WHY: Record<string, string> = {
  minimum: 'Always invited',
  referrer: 'Asked for the discussion',
  school: 'The child’s school',
  'known-to-family': 'Known to the family',
  chosen: 'Added by the manager',
};
const STATUS: Record<string, string> = {
  requested: 'Requested',
  scheduled: 'Scheduled',
  declined: 'Declined',
  held: 'Held',
};

/**
 * Runs a page's change (`saveForm`); a validation failure re-shows the page with its errors,
 * each named by the page's own field, and the values typed.
 */
function attempt<T>(
  change: () => Promise<T>,
  onInvalid: (errors: FieldError[]) => Promise<FastifyReply>,
  done: (saved: T) => FastifyReply,
) {
  return saveForm({
    save: change,
    invalid: (errors) => onInvalid(errors.map((e) => ({ ...e, field: pageField(e.field) }))),
    done,
  });
}

/** Strategy discussion pages: the list (and the manager's oversight), the request form, one discussion. */
export function strategyDiscussionPages(
  sd: StrategyDiscussionService,
  directory: DirectoryService,
): FastifyPluginAsyncTypebox {
  addNavigationItem({
    href: '/strategy-discussions',
    text: 'Strategy discussions',
    action: 'strategy-discussion:view',
  });
  addHomePanel(
    readPanel({
      id: 'strategy-discussion-oversight',
      title: 'Strategy discussions',
      action: 'strategy-discussion:schedule',
      order: 35,
      read: (principal) => sd.oversightCounts(principal),
      summary: ({ requested, breached }) =>
        `${plural(requested, 'request')} to decide; ${plural(breached, 'outcome')} not shared by the deadline.`,
      links: [{ href: '/strategy-discussions', text: 'See strategy discussions' }],
    }),
  );

  async function showDiscussion(
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    failed: { form: string; values: Form; errors: FieldError[] } | null,
  ) {
    const view = await sd.view(auditContext(request), id);
    const agencies = view.mayManage && view.row.status === 'requested' ? await directory.agencyChoices() : [];
    const flash = takeFlash(request);
    return reply.code(failed ? 400 : 200).page('strategy-discussions/views/discussion.njk', {
      title: `Strategy discussion ${view.reference}`,
      view,
      statusLabel: STATUS[view.row.status],
      childNames: view.children.map((c) => c.name).join(', '),
      whyLabels: WHY,
      participantItems: view.participants.map((p) => ({ value: p.agencyId, text: p.name })),
      agencyItems: agencies.map((a) => ({ value: a.id, text: a.name })),
      failed,
      values: failed?.values ?? {},
      errors: formErrors(failed?.errors ?? []),
      flash,
    });
  }

  const back = (request: FastifyRequest, reply: FastifyReply, id: string, message: string) =>
    redirectWithFlash(request, reply, message, `/strategy-discussions/${id}`);

  return async (app) => {
    app.get('/strategy-discussions', async (request, reply) => {
      const context = auditContext(request);
      const [oversight, mine] = await Promise.all([sd.oversight(context), sd.forAgency(context)]);
      return reply.page('strategy-discussions/views/list.njk', {
        title: 'Strategy discussions',
        oversight,
        mine,
        statusLabels: STATUS,
      });
    });

    app.get(
      '/strategy-discussions/new',
      { schema: { querystring: Type.Object({ childId: Uuid() }) } },
      (request, reply) =>
        reply.page('strategy-discussions/views/request.njk', {
          title: 'Request a strategy discussion',
          values: { childId: request.query.childId },
          errors: formErrors([]),
        }),
    );

    // Posted to the form's own address (the child in its query), so an error leaves it there.
    app.post('/strategy-discussions/new', { schema: { body: FormBody } }, async (request, reply) => {
      const form = request.body as Form;
      const value = (k: string) => String(form[k] ?? '');
      return attempt(
        () =>
          sd.request(auditContext(request), {
            childPersonIds: value('childId') ? [value('childId')] : [],
            reason: value('reason'),
            knownInformation: value('knownInformation'),
          }),
        async (errors) =>
          reply.code(400).page('strategy-discussions/views/request.njk', {
            title: 'Request a strategy discussion',
            values: form,
            errors: formErrors(errors),
          }),
        ({ id }) =>
          back(request, reply, id, 'Your request was sent to the MASH manager of the child’s area.'),
      );
    });

    app.get('/strategy-discussions/:id', { schema: { params: Params } }, (request, reply) =>
      showDiscussion(request, reply, request.params.id, null),
    );

    type Change = (request: FastifyRequest, id: string, values: Form) => Promise<unknown>;
    // Each change to a discussion, by its page address (also the form the page re-shows with
    // errors): the service call, and the message shown after it.
    const changes: Record<string, [run: Change, message: string]> = {
      schedule: [
        (request, id, values) =>
          sd.schedule(auditContext(request), id, valueOrRefuse(parseScheduleForm(values))),
        'The discussion is scheduled and the participants are invited.',
      ],
      decline: [
        (request, id, values) =>
          sd.decline(auditContext(request), id, { reason: String(values.reason ?? '') }),
        'The request was declined; the requesting agency sees your reason.',
      ],
      information: [
        (request, id, values) =>
          sd.contribute(auditContext(request), id, { information: String(values.information ?? '') }),
        'Your information was added to the discussion.',
      ],
      outcome: [
        (request, id, values) =>
          sd.recordOutcome(auditContext(request), id, valueOrRefuse(parseOutcomeForm(values))),
        'The outcome is recorded. Share it with the participants before the deadline.',
      ],
      share: [
        (request, id) => sd.shareOutcome(auditContext(request), id),
        'The outcome was shared with every participant.',
      ],
    };
    for (const [form, [run, message]] of Object.entries(changes))
      app.post(
        `/strategy-discussions/:id/${form}`,
        { schema: { params: Params, body: FormBody } },
        (request, reply) => {
          const values = request.body as Form;
          return attempt(
            () => run(request, request.params.id, values),
            (errors) => showDiscussion(request, reply, request.params.id, { form, values, errors }),
            () => back(request, reply, request.params.id, message),
          );
        },
      );
  };
}
