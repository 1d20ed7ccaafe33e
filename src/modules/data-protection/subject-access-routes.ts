import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Deps } from '../../platform/deps.ts';
import { ValidationError } from '../../platform/errors.ts';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { FormField, PostedForm } from '../../platform/http/schemas/atoms.ts';
import { formErrors } from '../../platform/views.ts';
import type { SubjectAccessService } from './subject-access.ts';

const FORM = 'data-protection/views/subject-access-form.njk';

/**
 * The data protection officer's subject access pages (decision 0012). The export is made by a
 * POST carrying the reason, never by a link, so every export is a deliberate, audited act; the
 * HTML page is printable and the same export downloads as JSON.
 */
export function subjectAccessRoutes(_deps: Deps, service: SubjectAccessService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/subject-access', text: 'Subject access', action: 'person:subject-access' });

  return async (app) => {
    app.get(
      '/subject-access',
      { schema: { querystring: Type.Object({ personId: FormField(60) }) } },
      async (request, reply) => {
        authorise(request, 'person:subject-access');
        return reply.page(FORM, {
          title: 'Subject access request',
          values: { personId: request.query.personId },
        });
      },
    );

    app.post(
      '/subject-access',
      {
        schema: {
          body: PostedForm({
            personId: FormField(60),
            reason: FormField(2000),
            format: Type.Union([Type.Literal('html'), Type.Literal('json')], { default: 'html' }),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'person:subject-access');
        const { personId, reason, format } = request.body;
        let exported: Awaited<ReturnType<typeof service.exportPerson>>;
        try {
          exported = await service.exportPerson(auditContext(request), { personId, reason });
        } catch (error) {
          const errors =
            error instanceof ValidationError
              ? error.errors
              : error instanceof Error && error.name === 'NotFoundError'
                ? [{ field: 'personId', message: 'There is no person with this record ID' }]
                : null;
          if (!errors) throw error;
          return reply.code(400).page(FORM, {
            title: 'Subject access request',
            values: { personId, reason },
            errors: formErrors(errors),
          });
        }
        if (format === 'json') {
          reply.header(
            'content-disposition',
            `attachment; filename="subject-access-${exported.person.id}.json"`,
          );
          return reply.type('application/json; charset=utf-8').send(JSON.stringify(exported, null, 2));
        }
        return reply.page('data-protection/views/subject-access.njk', {
          title: `Subject access export: ${exported.person.givenName} ${exported.person.familyName}`,
          exported,
          values: { personId: exported.person.id, reason: exported.reason },
        });
      },
    );
  };
}
