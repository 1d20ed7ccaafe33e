import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../platform/deps.ts';
import type { FieldError } from '../../platform/errors.ts';
import { auditContext, authorise } from '../../platform/http/context.ts';
import { takeFlash } from '../../platform/http/flash.ts';
import { asList } from '../../platform/http/form-fields.ts';
import { redirectWithFlash, saveForm } from '../../platform/http/form-save.ts';
import { addHomePanel, staticPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { pagesOf } from '../../platform/http/page-counts.ts';
import { FormField, Id, PageNumber, PostedForm, Uuid } from '../../platform/http/schemas/atoms.ts';
import { ROLES } from '../../platform/roles.ts';
import { formErrors } from '../../platform/views.ts';
import type { DirectoryService } from '../directory/service.ts';

const PAGE_SIZE = 25;
const SORTS = ['name', 'email', 'agency', 'last_signed_in_at'] as const;

export function adminRoutes(_deps: Deps, directory: DirectoryService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/admin/users', text: 'Users', action: 'admin:users' });
  addNavigationItem({ href: '/admin/api-keys', text: 'API keys', action: 'admin:api-keys' });
  addHomePanel(
    staticPanel({
      id: 'admin',
      title: 'Administration',
      action: 'admin:users',
      order: 90,
      summary: 'Add and disable user accounts, and issue API keys to partner systems.',
      links: [
        { href: '/admin/users', text: 'Manage users' },
        { href: '/admin/api-keys', text: 'Manage API keys' },
      ],
    }),
  );

  const roleItems = (selected: string[]) =>
    Object.entries(ROLES)
      .filter(([value]) => value !== 'partner_system')
      .map(([value, text]) => ({ value, text, checked: selected.includes(value) }));

  // Each form page is shown blank by its GET and again by its POST when the directory refuses it:
  // then with a 400, the answers given and why they were refused.
  const userForm = async (
    reply: FastifyReply,
    values: { agencyCode?: string },
    roles: string[],
    errors: FieldError[] | null,
  ) =>
    reply.code(errors ? 400 : 200).page('admin/views/user-new.njk', {
      title: 'Add a user',
      errors: formErrors(errors ?? []),
      roles: roleItems(roles),
      agencies: await agencyItems(directory, values.agencyCode ?? ''),
      values,
    });
  const apiKeyForm = async (
    reply: FastifyReply,
    values: { agencyCode?: string },
    errors: FieldError[] | null,
  ) =>
    reply.code(errors ? 400 : 200).page('admin/views/api-key-new.njk', {
      title: 'Create an API key',
      errors: formErrors(errors ?? []),
      agencies: await agencyItems(directory, values.agencyCode ?? ''),
      values,
    });

  return async (app) => {
    app.get(
      '/admin/users',
      {
        schema: {
          querystring: Type.Object({
            page: PageNumber(),
            sort: Type.Union(
              SORTS.map((s) => Type.Literal(s)),
              { default: 'name' },
            ),
            order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'admin:users');
        const { page, sort, order } = request.query;
        const { rows, total } = await directory.listUsers({ page, pageSize: PAGE_SIZE, sort, order });
        const pages = pagesOf(total, PAGE_SIZE);
        const flash = takeFlash(request);
        return reply.page('admin/views/users.njk', {
          title: 'Users',
          users: rows.map((u) => ({
            ...u,
            roleNames: u.roles.map((r) => ROLES[r as keyof typeof ROLES] ?? r),
          })),
          total,
          page,
          pages,
          sort,
          order,
          flash,
        });
      },
    );

    app.get('/admin/users/new', async (request, reply) => {
      authorise(request, 'admin:users');
      return userForm(reply, {}, [], null);
    });

    // Posted to the page's own address, so an error leaves the address bar on the form.
    app.post(
      '/admin/users/new',
      {
        schema: {
          body: PostedForm({
            email: FormField(320),
            displayName: FormField(200),
            agencyCode: FormField(100),
            roles: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())])),
            password: FormField(256),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'admin:users');
        const roles = asList(request.body.roles);
        return saveForm({
          save: () => directory.createUser(auditContext(request), { ...request.body, roles }),
          invalid: (errors) => userForm(reply, request.body, roles, errors),
          done: (user) =>
            redirectWithFlash(request, reply, `Added ${user.display_name} (${user.email})`, '/admin/users'),
        });
      },
    );

    app.post(
      '/admin/users/:id/:change',
      {
        schema: {
          params: Type.Object({
            id: Uuid(),
            change: Type.Union([Type.Literal('disable'), Type.Literal('enable')]),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'admin:users');
        await directory.setUserDisabled(
          auditContext(request),
          request.params.id,
          request.params.change === 'disable',
        );
        request.session.flash =
          request.params.change === 'disable' ? 'User disabled and signed out' : 'User enabled';
        return reply.redirect('/admin/users', 303);
      },
    );

    app.get('/admin/api-keys', async (request, reply) => {
      authorise(request, 'admin:api-keys');
      const flash = takeFlash(request);
      return reply.page('admin/views/api-keys.njk', {
        title: 'API keys',
        keys: await directory.listApiKeys(),
        flash,
      });
    });

    app.get('/admin/api-keys/new', async (request, reply) => {
      authorise(request, 'admin:api-keys');
      return apiKeyForm(reply, {}, null);
    });

    app.post(
      '/admin/api-keys/new',
      {
        schema: {
          body: PostedForm({
            agencyCode: FormField(100),
            label: FormField(500),
          }),
        },
      },
      async (request, reply) => {
        authorise(request, 'admin:api-keys');
        return saveForm({
          save: () =>
            directory.createApiKey(auditContext(request), request.body.agencyCode, request.body.label),
          invalid: (errors) => apiKeyForm(reply, request.body, errors),
          // The key is shown this once: no copy of the page may be kept.
          done: (created) =>
            reply.header('cache-control', 'no-store').page('admin/views/api-key-created.njk', {
              title: 'API key created',
              created,
            }),
        });
      },
    );

    app.post('/admin/api-keys/:id/revoke', { schema: { params: Id } }, async (request, reply) => {
      authorise(request, 'admin:api-keys');
      const revoked = await directory.revokeApiKey(auditContext(request), request.params.id);
      request.session.flash = `Revoked the key “${revoked.label}”`;
      return reply.redirect('/admin/api-keys', 303);
    });
  };
}

async function agencyItems(directory: DirectoryService, selected: string) {
  const agencies = await directory.listAgencies();
  const unique = new Map<string, { value: string; text: string; selected: boolean }>();
  for (const agency of agencies) {
    unique.set(agency.code, {
      value: agency.code,
      text: `${agency.name} (${agency.code})`,
      selected: agency.code === selected,
    });
  }
  return [{ value: '', text: 'Choose an agency' }, ...unique.values()];
}
