import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import Type from 'typebox';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import type { FieldError } from '../../platform/errors.ts';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { dateInput, dateItems, type Form, FormBody, text } from '../../platform/http/form-fields.ts';
import { redirectWithFlash, saveForm } from '../../platform/http/form-save.ts';
import { formErrors } from '../../platform/views.ts';
import type { EncompassService } from './service.ts';

const V = 'encompass/views';
const RESULTS = 20;
const NAME_MAX = 100;
const Short = Type.Optional(Type.String({ maxLength: 100 }));
const CHOOSE = 'Choose the child the episode is about from the search results';

type Child = NonNullable<Awaited<ReturnType<EncompassService['episodeChild']>>>;

/**
 * Police share a custody or missing episode (F29): first pick the child — by name and date of
 * birth, among the children the policy lets the officer share about — then describe the episode.
 * Plain GET forms and links, so it works without JavaScript.
 */
export function episodeRoutes(encompass: EncompassService): FastifyPluginAsyncTypebox {
  async function showFinder(
    request: FastifyRequest,
    reply: FastifyReply,
    query: {
      name?: string;
      'dateOfBirth-day'?: string;
      'dateOfBirth-month'?: string;
      'dateOfBirth-year'?: string;
    },
    chosenError: string | null,
  ) {
    const form = query as Form;
    const name = text(form, 'name') ?? '';
    const dob = dateInput(form, 'dateOfBirth');
    const searched = Boolean(
      name ||
        text(form, 'dateOfBirth-day') ||
        text(form, 'dateOfBirth-month') ||
        text(form, 'dateOfBirth-year'),
    );
    const errors: FieldError[] = [];
    if (chosenError) errors.push({ field: 'personId', message: chosenError });
    if (dob.invalid)
      errors.push({ field: 'dateOfBirth', message: 'Date of birth must be a real date, like 27 3 2014' });
    if (name.length > NAME_MAX)
      errors.push({ field: 'name', message: `The name must be ${NAME_MAX} characters or fewer` });
    const searchable = searched && !dob.invalid && name.length <= NAME_MAX;
    const found = searchable
      ? await encompass.episodeCandidates(auditContext(request), {
          ...(name ? { name } : {}),
          ...(dob.value ? { dateOfBirth: dob.value } : {}),
          page: 1,
          pageSize: RESULTS,
        })
      : null;
    return reply.code(errors.length > 0 ? 400 : 200).page(`${V}/episode-find.njk`, {
      title: 'Find the child: share a custody or missing episode',
      values: { name },
      // What was typed stays in the boxes, a date that does not exist too.
      birthItems: dateItems('dateOfBirth', undefined, dob.invalid).map((item) => ({
        ...item,
        value: text(form, `dateOfBirth-${item.name}`) ?? '',
      })),
      searched: searchable,
      results: (found?.rows ?? []).map((p) => ({
        value: p.id,
        text: `${p.given_name ?? ''} ${p.family_name ?? ''}`.trim() || 'Name not known',
        hint: {
          text: p.date_of_birth
            ? `Born ${DateTime.fromISO(String(p.date_of_birth).slice(0, 10)).toFormat('d MMMM yyyy')}`
            : 'Date of birth not known',
        },
      })),
      total: found?.total ?? 0,
      more: (found?.total ?? 0) > RESULTS,
      errors: formErrors(errors),
    });
  }

  const showEpisode = (reply: FastifyReply, child: Child, values: Form, errors: FieldError[]) =>
    reply.code(errors.length ? 400 : 200).page(`${V}/episode.njk`, {
      title: 'Share a custody or missing episode with the school',
      child,
      values,
      errors: formErrors(errors),
    });

  return async (app) => {
    app.get(
      '/encompass/episodes/new',
      {
        schema: {
          querystring: Type.Object({
            personId: Short,
            name: Type.Optional(Type.String({ maxLength: 200 })),
            'dateOfBirth-day': Short,
            'dateOfBirth-month': Short,
            'dateOfBirth-year': Short,
            chosen: Short,
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'encompass:share');
        const { personId, chosen, ...query } = request.query;
        if (personId) {
          const child = await encompass.episodeChild(auditContext(request), personId);
          if (child) return showEpisode(reply, child, { personId }, []);
          return showFinder(request, reply, query, CHOOSE);
        }
        // The results form was sent without a child chosen.
        return showFinder(request, reply, query, chosen ? CHOOSE : null);
      },
    );

    app.post('/encompass/episodes', { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'encompass:share');
      const form = request.body;
      const child = await encompass.episodeChild(auditContext(request), text(form, 'personId') ?? '');
      if (!child) return showFinder(request, reply, {}, CHOOSE);
      const day = text(form, 'occurredOn') ?? '';
      const time = text(form, 'occurredTime') ?? '';
      const occurredAt =
        /^\d{4}-\d{2}-\d{2}$/.test(day) && /^\d{2}:\d{2}$/.test(time) ? localInstant(day, time) : '';
      return saveForm({
        save: () =>
          encompass.shareEpisode(auditContext(request), {
            personId: child.id,
            kind: (text(form, 'kind') ?? '') as 'custody' | 'missing',
            policeReference: text(form, 'policeReference') ?? '',
            occurredAt,
            place: text(form, 'place') ?? '',
            summary: text(form, 'summary') ?? '',
          }),
        invalid: (errors) =>
          showEpisode(
            reply,
            child,
            form,
            errors.map((e) => (e.field === 'occurredAt' ? { ...e, field: 'occurredOn' } : e)),
          ),
        done: (created) =>
          redirectWithFlash(
            request,
            reply,
            'The episode is shared with the school.',
            `/encompass/notices/${created.id}`,
          ),
      });
    });
  };
}

/** A local date and time (as a police officer enters them) as an instant; '' when not a real one. */
function localInstant(day: string, time: string): string {
  const local = DateTime.fromISO(`${day}T${time}`, { zone: TIME_ZONE });
  return local.isValid ? local.toUTC().toISO()! : '';
}
