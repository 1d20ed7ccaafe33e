import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { ValidationError } from '../../platform/errors.ts';
import { auditContext } from '../../platform/http/context.ts';
import { dateInput, FormBody, text } from '../../platform/http/form-fields.ts';
import { saveThenRedirect } from '../../platform/http/form-save.ts';
import { addHomePanel, readPanel, staticPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { Id } from '../../platform/http/schemas/atoms.ts';
import { formErrors, plural } from '../../platform/views.ts';
import type { SafeguardingCheckService } from './safeguarding-checks.ts';
import type { HealthService } from './service.ts';

const ANSWER_HEADINGS = {
  flags: 'Known to the partnership: flags to act on',
  'known-no-flags': 'Known to the partnership, nothing to flag',
  'not-known': 'Not known to the partnership',
  'several-known': 'More than one person matches: use the NHS number',
} as const;

/** The date of birth's three boxes as typed, so a page shown again keeps what was entered. */
function birthItems(form: Record<string, unknown>, hasError: boolean) {
  const cls = (width: string) => `govuk-input--width-${width}${hasError ? ' govuk-input--error' : ''}`;
  return (['day', 'month', 'year'] as const).map((part) => ({
    name: part,
    label: part[0]!.toUpperCase() + part.slice(1),
    classes: cls(part === 'year' ? '4' : '2'),
    value: typeof form[`dateOfBirth-${part}`] === 'string' ? form[`dateOfBirth-${part}`] : '',
  }));
}

/** The unscheduled-care view (ED and other health users) and the MASH health lead's reviews. */
export function healthRoutes(
  health: HealthService,
  checks: SafeguardingCheckService,
): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/health/lookup', text: 'Patient lookup', action: 'flag:lookup' });
  addNavigationItem({
    href: '/health/break-glass-reviews',
    text: 'Break-glass reviews',
    action: 'health:review-break-glass',
  });
  addNavigationItem({
    href: '/safeguarding-checks',
    text: 'Safeguarding checks',
    action: 'safeguarding-check:view',
  });
  // Issue 12: a clinician's first need is the lookup.
  addHomePanel(
    staticPanel({
      id: 'patient-lookup',
      title: 'Patient lookup',
      action: 'flag:lookup',
      order: 7,
      summary: 'Check by NHS number whether a child or adult is known to the partnership, and whom to call.',
      links: [{ href: '/health/lookup', text: 'Look up a patient' }],
    }),
  );
  addHomePanel(
    readPanel({
      id: 'mash-health',
      title: 'MASH health',
      action: 'health:review-break-glass',
      order: 45,
      read: (principal) => health.mashHealthTasks(principal),
      summary: (tasks) =>
        `${plural(tasks.reviews, 'break-glass use')} to review; ${plural(tasks.received, 'health event')} (ED attendances, missed appointments) received in the last 7 days.`,
      links: [
        { href: '/health/break-glass-reviews', text: 'Review break-glass access' },
        { href: '/front-door/enquiries', text: 'Enquiries to health' },
      ],
    }),
  );
  return async (app) => {
    app.get('/safeguarding-checks', async (request, reply) => {
      const context = auditContext(request);
      const list = await checks.forAgency(context);
      const count = (status: string) => list.filter((c) => c.status === status).length;
      return reply.page('health/views/safeguarding-checks.njk', {
        title: 'Child-safeguarding checks before court',
        checks: list,
        counts: {
          overdue: count('overdue'),
          answeredLate: count('answered-late'),
          open: count('open'),
          answered: count('answered'),
        },
        mayAnswer: context.principal.agencyKind === 'police',
        statusNames: {
          open: 'Open',
          answered: 'Answered',
          'answered-late': 'Answered late',
          overdue: 'Overdue',
        },
        statusTags: {
          open: 'govuk-tag--blue',
          answered: 'govuk-tag--green',
          'answered-late': 'govuk-tag--orange',
          overdue: 'govuk-tag--red',
        },
      });
    });

    app.post(
      '/safeguarding-checks/:id/answer',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        await checks.answer(auditContext(request), request.params.id, text(request.body, 'answer') ?? '');
        request.session.flash = 'The answer was sent to probation.';
        return reply.redirect('/safeguarding-checks', 303);
      },
    );

    app.post(
      '/health/ask-holder/:personId/:eventId',
      {
        schema: {
          params: Type.Object({
            personId: Type.String({ format: 'uuid' }),
            eventId: Type.String({ format: 'uuid' }),
          }),
          body: FormBody,
        },
      },
      async (request, reply) => {
        const { holder } = await health.askHolder(
          auditContext(request),
          request.params.personId,
          request.params.eventId,
        );
        request.session.flash = `Your request was sent to ${holder}.`;
        return reply.redirect(`/people/${request.params.personId}`, 303);
      },
    );

    app.get('/health/lookup', async (request, reply) => {
      auditContext(request);
      return reply.page('health/views/lookup.njk', {
        title: 'Patient lookup',
        values: {},
        birthItems: birthItems({}, false),
        errors: formErrors([]),
      });
    });

    // A POST, not a GET: looking up records an attendance and tells the child's worker. One page
    // takes either key: the NHS number, or name and date of birth (`by=name`).
    app.post('/health/lookup', { schema: { body: FormBody } }, async (request, reply) => {
      const form = request.body as Record<string, unknown>;
      const byName = text(request.body, 'by') === 'name';
      const nhsNumber = text(request.body, 'nhsNumber') ?? '';
      const birth = dateInput(request.body, 'dateOfBirth');
      const named = {
        givenName: text(request.body, 'givenName') ?? '',
        familyName: text(request.body, 'familyName') ?? '',
        dateOfBirth: birth.invalid ? 'invalid' : birth.value,
      };
      const values = byName ? { givenName: named.givenName, familyName: named.familyName } : { nhsNumber };
      try {
        const result = await health.lookup(auditContext(request), byName ? named : nhsNumber, {
          channel: 'ed-view',
        });
        return reply.page('health/views/lookup.njk', {
          title: ANSWER_HEADINGS[result.answer],
          values,
          errors: formErrors([]),
          result,
          searched: byName ? named : null,
          heading: ANSWER_HEADINGS[result.answer],
        });
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        return reply.code(400).page('health/views/lookup.njk', {
          title: 'Patient lookup',
          values,
          birthItems: birthItems(
            form,
            error.errors.some((e) => e.field === 'dateOfBirth'),
          ),
          errors: formErrors(error.errors),
        });
      }
    });

    app.post(
      '/health/break-glass/:personId',
      { schema: { params: Type.Object({ personId: Type.String({ format: 'uuid' }) }), body: FormBody } },
      async (request, reply) => {
        return saveThenRedirect(request, reply, {
          save: () =>
            health.breakGlass(
              auditContext(request),
              request.params.personId,
              text(request.body, 'reason') ?? '',
            ),
          invalid: (errors) =>
            reply.code(400).page('health/views/break-glass.njk', {
              title: 'Why do you need more than the flag?',
              personId: request.params.personId,
              values: request.body,
              errors: formErrors(errors),
            }),
          flash: 'Access recorded. The MASH health lead will review it.',
          next: `/people/${request.params.personId}`,
        });
      },
    );

    app.get('/health/break-glass-reviews', async (request, reply) =>
      reply.page('health/views/break-glass-reviews.njk', {
        title: 'Break-glass reviews',
        rows: await health.breakGlassToReview(auditContext(request)),
      }),
    );

    app.post(
      '/health/break-glass-reviews/:id',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const outcome = text(request.body, 'outcome');
        const note = text(request.body, 'note');
        await health.reviewBreakGlass(auditContext(request), request.params.id, {
          outcome:
            outcome === 'inappropriate'
              ? 'inappropriate'
              : outcome === 'appropriate'
                ? 'appropriate'
                : ('' as never),
          ...(note ? { note } : {}),
        });
        request.session.flash = 'Review recorded.';
        return reply.redirect('/health/break-glass-reviews', 303);
      },
    );
  };
}
