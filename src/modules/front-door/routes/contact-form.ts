import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { formErrors } from '../../../platform/views.ts';
import type { FrontDoorService } from '../service.ts';
import type { AddressInput, ChildInput, ContactInput, PersonDetailsInput } from '../types.ts';
import {
  ordinal,
  todayIn,
  validateAddress,
  validateChild,
  validateConcerns,
  validateConsent,
  validatePersonDetails,
  validateSource,
} from '../validation.ts';
import { CONCERNS, CONTACT_SOURCES } from '../vocabulary.ts';
import { dateInput, dateItems, type Form, FormBody, list, text, yesNo } from './forms.ts';

type Adult = ContactInput['adults'][number];

export interface ContactDraft {
  token: string;
  sourceCode?: string;
  referrer?: ContactInput['referrer'];
  children: Partial<ChildInput>[];
  adults: Partial<Adult>[];
  concerns?: string[];
  narrative?: string;
  actionsTaken?: string;
  familyKnows?: boolean;
  consent?: Partial<ContactInput['consent']>;
}

declare module 'fastify' {
  interface Session {
    contactDraft?: ContactDraft;
  }
}

const BASE = '/front-door/contact';
const Index = Type.Object({ n: Type.Integer({ minimum: 1, maximum: 15 }) });
const ReturnQuery = Type.Object({ return: Type.Optional(Type.String({ maxLength: 10 })) });

function address(form: Form, prefix: string): AddressInput | undefined {
  const line1 = text(form, `${prefix}line1`);
  const postcode = text(form, `${prefix}postcode`);
  if (!line1 && !postcode) return undefined;
  const line2 = text(form, `${prefix}line2`);
  const town = text(form, `${prefix}town`);
  return {
    line1: line1 ?? '',
    postcode: postcode ?? '',
    ...(line2 ? { line2 } : {}),
    ...(town ? { town } : {}),
  };
}

function personFrom(form: Form) {
  const dob = dateInput(form, 'dateOfBirth');
  const sex = text(form, 'sex');
  const home = address(form, 'address.');
  const value: Partial<PersonDetailsInput> = {
    givenName: text(form, 'givenName') ?? '',
    familyName: text(form, 'familyName') ?? '',
    ...(dob.value ? { dateOfBirth: dob.value } : {}),
    ...(sex === 'male' || sex === 'female' || sex === 'other' || sex === 'unknown' ? { sex } : {}),
    ...(text(form, 'nhsNumber') ? { nhsNumber: text(form, 'nhsNumber')!.replace(/\s+/g, '') } : {}),
    ...(home ? { address: home } : {}),
  };
  const dateError: FieldError | null = dob.invalid
    ? { field: 'dateOfBirth', message: 'Date of birth must be a real date' }
    : null;
  return { value, dateError };
}

export function draftToContact(draft: ContactDraft): ContactInput {
  const family = draft.children[0]?.address;
  return {
    sourceCode: draft.sourceCode as ContactInput['sourceCode'],
    referrer: draft.referrer ?? {},
    ...(family ? { address: family } : {}),
    children: draft.children as ChildInput[],
    adults: draft.adults as Adult[],
    concerns: (draft.concerns ?? []) as ContactInput['concerns'],
    narrative: draft.narrative ?? '',
    actionsTaken: draft.actionsTaken ?? '',
    consent: draft.consent as ContactInput['consent'],
    familyKnows: draft.familyKnows as boolean,
  };
}

function pageOf(field: string): string {
  const match = /^(children|adults)\[(\d+)\]/.exec(field);
  if (match) return `${BASE}/${match[1]}/${Number(match[2]) + 1}`;
  if (field.startsWith('consent')) return `${BASE}/consent`;
  if (field.startsWith('referrer') || field === 'sourceCode') return `${BASE}/source`;
  if (field === 'concerns' || field === 'narrative') return `${BASE}/concerns`;
  if (field === 'actionsTaken' || field === 'familyKnows') return `${BASE}/actions`;
  if (field.startsWith('address') || field === 'children') return `${BASE}/children/1`;
  return `${BASE}/check`;
}

/** The GOV.UK question-page journey for a professional's contact (or one taken from the public). */
export function contactFormRoutes(deps: Deps, service: FrontDoorService): FastifyPluginAsyncTypebox {
  const draftOf = (request: FastifyRequest): ContactDraft => {
    request.session.contactDraft ??= { token: randomUUID(), children: [], adults: [] };
    return request.session.contactDraft;
  };
  const save = (request: FastifyRequest, draft: ContactDraft) => {
    request.session.contactDraft = { ...draft };
  };
  const next = (reply: FastifyReply, returnTo: string | undefined, to: string) =>
    reply.redirect(returnTo === 'check' ? `${BASE}/check` : to, 303);
  const page = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
    reply.page(`front-door/views/contact-form/${template}.njk`, {
      caption: 'Make a contact',
      sources: CONTACT_SOURCES,
      concerns: CONCERNS,
      ...data,
    });
  const schoolItems = async (request: FastifyRequest, selected?: string) => {
    const areas = request.principal?.areaIds ?? [];
    const all = (await Promise.all(areas.map((a) => service.agenciesFor(a))))
      .flat()
      .filter((a) => a.kind === 'school');
    const unique = [...new Map(all.map((a) => [a.code, a])).values()];
    return [
      { value: '', text: 'Not known, or not in this list' },
      ...unique.map((a) => ({ value: a.code, text: a.name, selected: a.code === selected })),
    ];
  };

  return async (app) => {
    app.get(BASE, async (request, reply) => {
      authorise(request, 'contact:create');
      return page(reply, 'start', {
        title: 'Make a contact about a child',
        draft: request.session.contactDraft,
      });
    });
    app.post(`${BASE}/start`, { schema: { body: FormBody } }, async (request, reply) => {
      const principal = authorise(request, 'contact:create');
      request.session.contactDraft = {
        token: randomUUID(),
        children: [],
        adults: [],
        referrer: {
          name: principal.name,
          ...(principal.agencyName ? { organisation: principal.agencyName } : {}),
        },
      };
      return reply.redirect(`${BASE}/source`, 303);
    });

    app.get(`${BASE}/source`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'contact:create');
      const draft = draftOf(request);
      return page(reply, 'source', {
        title: 'Who the contact is from',
        draft,
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/source`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const form = request.body as Form;
        const draft = draftOf(request);
        draft.sourceCode = text(form, 'sourceCode') ?? '';
        draft.referrer = Object.fromEntries(
          (['name', 'role', 'organisation', 'phone', 'email'] as const)
            .map((k) => [k, text(form, `referrer.${k}`)])
            .filter(([, v]) => v !== undefined),
        );
        save(request, draft);
        const errors = validateSource(draft as ContactInput);
        if (errors.length)
          return page(reply.code(400), 'source', {
            title: 'Who the contact is from',
            draft,
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        return next(reply, request.query.return, `${BASE}/children/1`);
      },
    );

    app.get(
      `${BASE}/children/:n`,
      { schema: { params: Index, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.children.length + 1);
        const child = draft.children[n - 1] ?? {};
        return page(reply, 'child', {
          title: `${cap(ordinal(n - 1))} child`,
          n,
          values: child,
          dob: dateItems('dateOfBirth', child.dateOfBirth, false),
          schools: await schoolItems(request, child.school?.agencyCode),
          returnTo: request.query.return,
        });
      },
    );
    app.post(
      `${BASE}/children/:n`,
      { schema: { params: Index, body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const form = request.body as Form;
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.children.length + 1);
        const { value, dateError } = personFrom(form);
        const school = text(form, 'school');
        const child: Partial<ChildInput> = {
          ...value,
          ...(school ? { school: { agencyCode: school } } : {}),
          ...(text(form, 'upn') ? { upn: text(form, 'upn')!.toUpperCase() } : {}),
        };
        draft.children[n - 1] = child;
        save(request, draft);
        const errors = validateChild(child as ChildInput, '', todayIn(deps.now()), ordinal(n - 1));
        if (dateError) errors.push(dateError);
        if (n === 1 && !child.address)
          errors.push(
            ...validateAddress({ line1: '', postcode: '' }, 'address.', 'address where the child lives'),
          );
        if (errors.length)
          return page(reply.code(400), 'child', {
            title: `${cap(ordinal(n - 1))} child`,
            n,
            values: child,
            dob: dateItems(
              'dateOfBirth',
              child.dateOfBirth,
              errors.some((e) => e.field === 'dateOfBirth'),
            ),
            schools: await schoolItems(request, school),
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        if (text(form, 'action') === 'another') return reply.redirect(`${BASE}/children/${n + 1}`, 303);
        return next(reply, request.query.return, `${BASE}/adults/1`);
      },
    );

    app.get(
      `${BASE}/adults/:n`,
      { schema: { params: Index, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.adults.length + 1);
        const adult = draft.adults[n - 1] ?? {};
        return page(reply, 'adult', {
          title: `${cap(ordinal(n - 1))} adult involved`,
          n,
          values: adult,
          dob: dateItems('dateOfBirth', adult.dateOfBirth, false),
          returnTo: request.query.return,
        });
      },
    );
    app.post(
      `${BASE}/adults/:n`,
      { schema: { params: Index, body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const form = request.body as Form;
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.adults.length + 1);
        if (text(form, 'action') === 'none') {
          draft.adults = draft.adults.slice(0, n - 1);
          save(request, draft);
          return next(reply, request.query.return, `${BASE}/concerns`);
        }
        const { value, dateError } = personFrom(form);
        const adult: Partial<Adult> = {
          ...value,
          ...(text(form, 'relationshipToChildren')
            ? { relationshipToChildren: text(form, 'relationshipToChildren')! }
            : {}),
        };
        draft.adults[n - 1] = adult;
        save(request, draft);
        const errors = validatePersonDetails(adult as PersonDetailsInput, '', 'adult', todayIn(deps.now()));
        if (dateError) errors.push(dateError);
        if (errors.length)
          return page(reply.code(400), 'adult', {
            title: `${cap(ordinal(n - 1))} adult involved`,
            n,
            values: adult,
            dob: dateItems('dateOfBirth', adult.dateOfBirth, true),
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        if (text(form, 'action') === 'another') return reply.redirect(`${BASE}/adults/${n + 1}`, 303);
        return next(reply, request.query.return, `${BASE}/concerns`);
      },
    );

    app.get(`${BASE}/concerns`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'contact:create');
      return page(reply, 'concerns', {
        title: 'The concern',
        draft: draftOf(request),
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/concerns`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const form = request.body as Form;
        const draft = draftOf(request);
        draft.concerns = list(form, 'concerns');
        draft.narrative = text(form, 'narrative') ?? '';
        save(request, draft);
        const errors = validateConcerns(draft as ContactInput);
        if (errors.length)
          return page(reply.code(400), 'concerns', {
            title: 'The concern',
            draft,
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        return next(reply, request.query.return, `${BASE}/actions`);
      },
    );

    app.get(`${BASE}/actions`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'contact:create');
      return page(reply, 'actions', {
        title: 'What has happened so far',
        draft: draftOf(request),
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/actions`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const form = request.body as Form;
        const draft = draftOf(request);
        draft.actionsTaken = text(form, 'actionsTaken') ?? '';
        const knows = yesNo(form, 'familyKnows');
        if (knows === undefined) delete draft.familyKnows;
        else draft.familyKnows = knows;
        save(request, draft);
        const errors: FieldError[] = [];
        if (!draft.actionsTaken)
          errors.push({ field: 'actionsTaken', message: 'Say what you have done so far, or “nothing yet”' });
        if (knows === undefined)
          errors.push({
            field: 'familyKnows',
            message: 'Select whether the family knows about this contact',
          });
        if (errors.length)
          return page(reply.code(400), 'actions', {
            title: 'What has happened so far',
            draft,
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        return next(reply, request.query.return, `${BASE}/consent`);
      },
    );

    app.get(`${BASE}/consent`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'contact:create');
      return page(reply, 'consent', {
        title: 'Consent to share',
        draft: draftOf(request),
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/consent`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'contact:create');
        const form = request.body as Form;
        const draft = draftOf(request);
        const asked = yesNo(form, 'consent.asked');
        const given = yesNo(form, 'consent.given');
        draft.consent = {
          ...(asked !== undefined ? { asked } : {}),
          ...(asked && given !== undefined ? { given } : {}),
          ...(text(form, 'consent.reasonSharingWithoutConsent')
            ? { reasonSharingWithoutConsent: text(form, 'consent.reasonSharingWithoutConsent')! }
            : {}),
        };
        save(request, draft);
        const errors = validateConsent(draft.consent as ContactInput['consent'], 'consent.');
        if (errors.length)
          return page(reply.code(400), 'consent', {
            title: 'Consent to share',
            draft,
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        return reply.redirect(`${BASE}/check`, 303);
      },
    );

    app.get(`${BASE}/check`, async (request, reply) => {
      authorise(request, 'contact:create');
      return page(reply, 'check', {
        title: 'Check your answers before sending the contact',
        draft: draftOf(request),
      });
    });
    app.post(`${BASE}/check`, { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'contact:create');
      const draft = draftOf(request);
      try {
        const result = await service.submitContact(auditContext(request), draftToContact(draft), {
          idempotencyKey: `web-contact-${draft.token}`,
        });
        request.session.contactDraft = undefined;
        return reply.redirect(`${BASE}/sent/${result.body.contactId}`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const errors = formErrors(error.errors);
        errors.summary = error.errors.map((e) => ({
          text: e.message,
          href: `${pageOf(e.field)}?return=check`,
        }));
        return page(reply.code(400), 'check', {
          title: 'Check your answers before sending the contact',
          draft,
          errors,
        });
      }
    });
    app.get(
      `${BASE}/sent/:id`,
      { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
      async (request, reply) => {
        const view = await service.viewContact(auditContext(request), request.params.id);
        return reply.page('front-door/views/dan/sent.njk', {
          title: 'Contact sent',
          view,
          again: { href: BASE, text: 'Make another contact' },
        });
      },
    );
  };
}

function cap(word: string) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
