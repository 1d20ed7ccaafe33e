import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import Type from 'typebox';
import type { Deps } from '../../../platform/deps.ts';
import { type FieldError, ValidationError } from '../../../platform/errors.ts';
import { auditContext, authorise } from '../../../platform/http/context.ts';
import { formErrors } from '../../../platform/views.ts';
import type { FrontDoorService } from '../service.ts';
import type { AddressInput, DanChildInput, DanInput, PersonDetailsInput } from '../types.ts';
import {
  ordinal,
  todayIn,
  validateConsent,
  validateDanChild,
  validateEarlyHelp,
  validateIncident,
  validatePersonDetails,
  validateRisk,
} from '../validation.ts';
import { DASH_STATUSES, EARLY_HELP_RESPONSES, REPORTED_BY } from '../vocabulary.ts';
import { dateInput, dateItems, type Form, FormBody, text, unprefixed, yesNo } from './forms.ts';

type Suspect = DanInput['suspects'][number];

export interface DanDraft {
  token: string;
  incident?: Partial<DanInput['incident']>;
  victim?: Partial<DanInput['victim']>;
  suspects: Partial<Suspect>[];
  noSuspect?: boolean;
  children: Partial<DanChildInput>[];
  risk?: Partial<DanInput['risk']>;
  consent?: Partial<DanInput['consent']>;
  earlyHelp?: Partial<DanInput['earlyHelp']>;
  officer?: DanInput['officer'];
}

declare module 'fastify' {
  interface Session {
    danDraft?: DanDraft;
  }
}

const BASE = '/front-door/dan';
const Index = Type.Object({ n: Type.Integer({ minimum: 1, maximum: 15 }) });
const ReturnQuery = Type.Object({ return: Type.Optional(Type.String({ maxLength: 10 })) });

function address(form: Form, prefix: string): AddressInput | undefined {
  const line1 = text(form, `${prefix}line1`);
  const postcode = text(form, `${prefix}postcode`);
  const line2 = text(form, `${prefix}line2`);
  const town = text(form, `${prefix}town`);
  if (!line1 && !postcode && !line2 && !town) return undefined;
  return {
    line1: line1 ?? '',
    postcode: postcode ?? '',
    ...(line2 ? { line2 } : {}),
    ...(town ? { town } : {}),
  };
}

function person(form: Form): { value: Partial<PersonDetailsInput>; dateError: FieldError | null } {
  const dob = dateInput(form, 'dateOfBirth');
  const sex = text(form, 'sex');
  const home = address(form, 'address.');
  return {
    value: {
      givenName: text(form, 'givenName') ?? '',
      familyName: text(form, 'familyName') ?? '',
      ...(dob.value ? { dateOfBirth: dob.value } : {}),
      ...(sex === 'male' || sex === 'female' || sex === 'other' || sex === 'unknown' ? { sex } : {}),
      ...(text(form, 'nhsNumber') ? { nhsNumber: text(form, 'nhsNumber')!.replace(/\s+/g, '') } : {}),
      ...(home ? { address: home } : {}),
    },
    dateError: dob.invalid ? { field: 'dateOfBirth', message: 'Date of birth must be a real date' } : null,
  };
}

/** The draft as the service takes it; the service checks it again in full. */
export function draftToInput(draft: DanDraft): DanInput {
  return {
    incident: draft.incident as DanInput['incident'],
    victim: draft.victim as DanInput['victim'],
    suspects: draft.noSuspect ? [] : (draft.suspects as Suspect[]),
    children: draft.children as DanChildInput[],
    risk: draft.risk as DanInput['risk'],
    consent: draft.consent as DanInput['consent'],
    earlyHelp: draft.earlyHelp as DanInput['earlyHelp'],
    ...(draft.officer ? { officer: draft.officer } : {}),
  };
}

/** Which page holds an API field, so an error on the check page links to where it is fixed. */
function pageOf(field: string): string {
  const match = /^(children|suspects)\[(\d+)\]/.exec(field);
  if (match) return `${BASE}/${match[1]}/${Number(match[2]) + 1}`;
  const section = field.split(/[.[]/)[0];
  if (section === 'earlyHelp' || section === 'consent') return `${BASE}/consent`;
  if (section === 'children') return `${BASE}/children/1`;
  return `${BASE}/${section}`;
}

export function danFormRoutes(deps: Deps, service: FrontDoorService): FastifyPluginAsyncTypebox {
  const draftOf = (request: FastifyRequest): DanDraft => {
    request.session.danDraft ??= { token: randomUUID(), suspects: [], children: [] };
    return request.session.danDraft;
  };
  const save = (request: FastifyRequest, draft: DanDraft) => {
    request.session.danDraft = { ...draft };
  };
  const next = (reply: FastifyReply, returnTo: string | undefined, to: string) =>
    reply.redirect(returnTo === 'check' ? `${BASE}/check` : to, 303);
  const schools = async (request: FastifyRequest) => {
    const areas = request.principal?.areaIds ?? [];
    const all = (await Promise.all(areas.map((a) => service.agenciesFor(a)))).flat();
    const unique = new Map(all.map((a) => [a.code, a]));
    return [...unique.values()];
  };
  const page = (reply: FastifyReply, template: string, data: Record<string, unknown>) =>
    reply.page(`front-door/views/dan/${template}.njk`, { caption: 'Domestic abuse notification', ...data });

  return async (app) => {
    app.get(BASE, async (request, reply) => {
      authorise(request, 'dan:submit');
      return page(reply, 'start', {
        title: 'Tell children’s services about a domestic abuse incident',
        draft: request.session.danDraft,
      });
    });

    app.post(`${BASE}/start`, { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'dan:submit');
      request.session.danDraft = { token: randomUUID(), suspects: [], children: [] };
      return reply.redirect(`${BASE}/incident`, 303);
    });

    // --- incident ---------------------------------------------------------------------------
    app.get(`${BASE}/incident`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'dan:submit');
      const draft = draftOf(request);
      return page(reply, 'incident', {
        title: 'The incident',
        values: incidentValues(draft),
        reportedBy: REPORTED_BY,
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/incident`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const form = request.body as Form;
        const draft = draftOf(request);
        const date = dateInput(form, 'occurredAt');
        const time = text(form, 'occurredAtTime');
        const timeOk = !!time && /^([01]?\d|2[0-3])[:.]([0-5]\d)$/.test(time);
        let occurredAt = '';
        if (date.value && timeOk) {
          const [h, m] = time!.split(/[:.]/).map(Number);
          occurredAt = DateTime.fromISO(date.value, { zone: 'Europe/London' })
            .set({ hour: h!, minute: m! })
            .toUTC()
            .toISO()!;
        }
        const reported = text(form, 'reportedBy');
        draft.incident = {
          policeReference: text(form, 'policeReference') ?? '',
          occurredAt,
          location: address(form, 'location.') ?? { line1: '', postcode: '' },
          circumstances: text(form, 'circumstances') ?? '',
          ...(reported && Object.hasOwn(REPORTED_BY, reported) ? { reportedBy: reported as never } : {}),
        };
        save(request, draft);
        let errors = unprefixed(
          validateIncident(draft.incident as DanInput['incident'], deps.now()),
          'incident.',
        );
        if (!occurredAt) {
          errors = errors.filter((e) => e.field !== 'occurredAt');
          if (date.invalid || !date.value)
            errors.unshift({ field: 'occurredAt', message: 'Enter the date of the incident as a real date' });
          if (!timeOk)
            errors.unshift({
              field: 'occurredAtTime',
              message: 'Enter the time of the incident, like 21:40',
            });
        }
        if (errors.length)
          return page(reply.code(400), 'incident', {
            title: 'The incident',
            values: { ...incidentValues(draft), occurredAtTime: time ?? '' },
            errors: formErrors(errors),
            reportedBy: REPORTED_BY,
            returnTo: request.query.return,
          });
        return next(reply, request.query.return, `${BASE}/victim`);
      },
    );

    // --- victim -----------------------------------------------------------------------------
    app.get(`${BASE}/victim`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'dan:submit');
      const draft = draftOf(request);
      return page(reply, 'victim', {
        title: 'The victim',
        values: draft.victim ?? {},
        dob: dateItems('dateOfBirth', draft.victim?.dateOfBirth, false),
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/victim`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const form = request.body as Form;
        const draft = draftOf(request);
        const { value, dateError } = person(form);
        draft.victim = { ...value, ...(text(form, 'phone') ? { phone: text(form, 'phone')! } : {}) };
        save(request, draft);
        const errors = validatePersonDetails(
          draft.victim as PersonDetailsInput,
          '',
          'victim',
          todayIn(deps.now()),
        );
        if (dateError) errors.push(dateError);
        if (errors.length)
          return page(reply.code(400), 'victim', {
            title: 'The victim',
            values: draft.victim,
            dob: dateItems(
              'dateOfBirth',
              draft.victim.dateOfBirth,
              !!dateError || errors.some((e) => e.field === 'dateOfBirth'),
            ),
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        return next(reply, request.query.return, `${BASE}/suspects/1`);
      },
    );

    // --- suspects ---------------------------------------------------------------------------
    app.get(
      `${BASE}/suspects/:n`,
      { schema: { params: Index, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.suspects.length + 1);
        const suspect = draft.suspects[n - 1] ?? {};
        return page(reply, 'suspect', {
          title: `${capitalise(ordinal(n - 1))} suspect`,
          n,
          values: suspect,
          dob: dateItems('dateOfBirth', suspect.dateOfBirth, false),
          returnTo: request.query.return,
        });
      },
    );
    app.post(
      `${BASE}/suspects/:n`,
      { schema: { params: Index, body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const form = request.body as Form;
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.suspects.length + 1);
        if (text(form, 'action') === 'none') {
          draft.noSuspect = true;
          draft.suspects = [];
          save(request, draft);
          return next(reply, request.query.return, `${BASE}/children/1`);
        }
        const { value, dateError } = person(form);
        const suspect: Partial<Suspect> = {
          ...value,
          ...(text(form, 'relationshipToVictim')
            ? { relationshipToVictim: text(form, 'relationshipToVictim')! }
            : {}),
          ...(yesNo(form, 'arrested') !== undefined ? { arrested: yesNo(form, 'arrested')! } : {}),
        };
        draft.suspects[n - 1] = suspect;
        draft.noSuspect = false;
        save(request, draft);
        const errors = validatePersonDetails(
          suspect as PersonDetailsInput,
          '',
          'suspect',
          todayIn(deps.now()),
        );
        if (dateError) errors.push(dateError);
        if (errors.length)
          return page(reply.code(400), 'suspect', {
            title: `${capitalise(ordinal(n - 1))} suspect`,
            n,
            values: suspect,
            dob: dateItems(
              'dateOfBirth',
              suspect.dateOfBirth,
              errors.some((e) => e.field === 'dateOfBirth'),
            ),
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        if (text(form, 'action') === 'another') return reply.redirect(`${BASE}/suspects/${n + 1}`, 303);
        return next(reply, request.query.return, `${BASE}/children/1`);
      },
    );

    // --- children: one page per child (F6) --------------------------------------------------------
    app.get(
      `${BASE}/children/:n`,
      { schema: { params: Index, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.children.length + 1);
        const child = draft.children[n - 1] ?? {};
        return page(reply, 'child', childPage(n, child, await schools(request), request.query.return));
      },
    );
    app.post(
      `${BASE}/children/:n`,
      { schema: { params: Index, body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const form = request.body as Form;
        const draft = draftOf(request);
        const n = Math.min(request.params.n, draft.children.length + 1);
        const { value, dateError } = person(form);
        const school = text(form, 'school');
        const health = text(form, 'health');
        const child: Partial<DanChildInput> = {
          ...value,
          ...(text(form, 'upn') ? { upn: text(form, 'upn')!.toUpperCase() } : {}),
          livesAtAddress: yesNo(form, 'livesAtAddress')!,
          present: yesNo(form, 'present')!,
          witnessed: yesNo(form, 'witnessed')!,
          injured: yesNo(form, 'injured')!,
          ...(text(form, 'injuryDetails') ? { injuryDetails: text(form, 'injuryDetails')! } : {}),
          ...(text(form, 'childSaid') ? { childSaid: text(form, 'childSaid')! } : {}),
          ...(text(form, 'wishesAndFeelings') ? { wishesAndFeelings: text(form, 'wishesAndFeelings')! } : {}),
          ...(text(form, 'livedExperience') ? { livedExperience: text(form, 'livedExperience')! } : {}),
          ...(school || text(form, 'schoolName')
            ? {
                school: {
                  ...(school ? { agencyCode: school } : {}),
                  ...(text(form, 'schoolName') ? { name: text(form, 'schoolName')! } : {}),
                },
              }
            : {}),
          ...(health ? { health: { agencyCode: health } } : {}),
        };
        for (const key of ['livesAtAddress', 'present', 'witnessed', 'injured'] as const)
          if (child[key] === undefined) delete child[key];
        draft.children[n - 1] = child;
        save(request, draft);
        const errors = validateDanChild(child as DanChildInput, '', todayIn(deps.now()), ordinal(n - 1));
        if (dateError) errors.push(dateError);
        if (errors.length)
          return page(reply.code(400), 'child', {
            ...childPage(n, child, await schools(request), request.query.return),
            errors: formErrors(errors),
          });
        if (text(form, 'action') === 'another') return reply.redirect(`${BASE}/children/${n + 1}`, 303);
        return next(reply, request.query.return, `${BASE}/risk`);
      },
    );
    app.post(
      `${BASE}/children/:n/remove`,
      { schema: { params: Index, body: FormBody } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const draft = draftOf(request);
        draft.children.splice(request.params.n - 1, 1);
        save(request, draft);
        return reply.redirect(`${BASE}/check`, 303);
      },
    );

    // --- risk -------------------------------------------------------------------------------
    app.get(`${BASE}/risk`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'dan:submit');
      const draft = draftOf(request);
      return page(reply, 'risk', {
        title: 'Risk assessment',
        values: draft.risk ?? {},
        dashStatuses: DASH_STATUSES,
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/risk`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
        const form = request.body as Form;
        const draft = draftOf(request);
        const score = text(form, 'dashScore');
        const scoreNumber = score !== undefined && /^\d+$/.test(score) ? Number(score) : undefined;
        draft.risk = {
          dashStatus: text(form, 'dashStatus') as never,
          ...(scoreNumber !== undefined ? { dashScore: scoreNumber } : {}),
          ...(text(form, 'dashReference') ? { dashReference: text(form, 'dashReference')! } : {}),
          officerRiskGrade: text(form, 'officerRiskGrade') as never,
        };
        save(request, draft);
        const errors = unprefixed(validateRisk(draft.risk as DanInput['risk']), 'risk.');
        if (score !== undefined && scoreNumber === undefined)
          errors.push({ field: 'dashScore', message: 'DASH score must be a whole number from 0 to 27' });
        if (errors.length)
          return page(reply.code(400), 'risk', {
            title: 'Risk assessment',
            values: { ...draft.risk, dashScore: score },
            dashStatuses: DASH_STATUSES,
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        return next(reply, request.query.return, `${BASE}/consent`);
      },
    );

    // --- consent and early help (F28) -------------------------------------------------------------
    app.get(`${BASE}/consent`, { schema: { querystring: ReturnQuery } }, async (request, reply) => {
      authorise(request, 'dan:submit');
      const draft = draftOf(request);
      return page(reply, 'consent', {
        title: 'Consent and early help',
        draft,
        responses: EARLY_HELP_RESPONSES,
        returnTo: request.query.return,
      });
    });
    app.post(
      `${BASE}/consent`,
      { schema: { body: FormBody, querystring: ReturnQuery } },
      async (request, reply) => {
        authorise(request, 'dan:submit');
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
        const offered = yesNo(form, 'earlyHelp.offered');
        const response = text(form, 'earlyHelp.response');
        draft.earlyHelp = {
          ...(offered !== undefined ? { offered } : {}),
          ...(offered && response ? { response: response as never } : {}),
        };
        draft.officer = {
          ...(text(form, 'officer.name') ? { name: text(form, 'officer.name')! } : {}),
          ...(text(form, 'officer.collarNumber')
            ? { collarNumber: text(form, 'officer.collarNumber')! }
            : {}),
          ...(text(form, 'officer.phone') ? { phone: text(form, 'officer.phone')! } : {}),
        };
        save(request, draft);
        const errors = [
          ...validateConsent(draft.consent as DanInput['consent'], 'consent.'),
          ...validateEarlyHelp(draft.earlyHelp as DanInput['earlyHelp']),
        ];
        if (errors.length)
          return page(reply.code(400), 'consent', {
            title: 'Consent and early help',
            draft,
            responses: EARLY_HELP_RESPONSES,
            errors: formErrors(errors),
            returnTo: request.query.return,
          });
        return reply.redirect(`${BASE}/check`, 303);
      },
    );

    // --- check answers and send -----------------------------------------------------------------
    app.get(`${BASE}/check`, async (request, reply) => {
      authorise(request, 'dan:submit');
      const draft = draftOf(request);
      return page(reply, 'check', checkPage(draft, await schools(request)));
    });
    app.post(`${BASE}/check`, { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'dan:submit');
      const draft = draftOf(request);
      try {
        const result = await service.submitDan(auditContext(request), draftToInput(draft), {
          idempotencyKey: `web-dan-${draft.token}`,
        });
        request.session.danDraft = undefined;
        return reply.redirect(`${BASE}/sent/${result.body.contactId}`, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const errors = formErrors(error.errors);
        errors.summary = error.errors.map((e) => ({
          text: e.message,
          href: pageOf(e.field) + '?return=check',
        }));
        return page(reply.code(400), 'check', { ...checkPage(draft, await schools(request)), errors });
      }
    });

    app.get(
      `${BASE}/sent/:id`,
      { schema: { params: Type.Object({ id: Type.String({ format: 'uuid' }) }) } },
      async (request, reply) => {
        const view = await service.viewContact(auditContext(request), request.params.id);
        return page(reply, 'sent', { title: 'Notification sent', view, clock: view.clocks.decision });
      },
    );
  };
}

function capitalise(word: string) {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

function incidentValues(draft: DanDraft) {
  const at = draft.incident?.occurredAt
    ? DateTime.fromISO(draft.incident.occurredAt).setZone('Europe/London')
    : null;
  return {
    ...draft.incident,
    occurredAtTime: at?.isValid ? at.toFormat('HH:mm') : '',
    occurredAtItems: dateItems('occurredAt', at?.isValid ? at.toISODate()! : undefined, false),
  };
}

function childPage(
  n: number,
  child: Partial<DanChildInput>,
  agencies: { code: string; name: string; kind: string }[],
  returnTo?: string,
) {
  const schoolItems = [
    { value: '', text: 'Not known, or not a school in this list' },
    ...agencies
      .filter((a) => a.kind === 'school')
      .map((a) => ({ value: a.code, text: a.name, selected: child.school?.agencyCode === a.code })),
  ];
  const healthItems = [
    { value: '', text: 'Not known' },
    ...agencies
      .filter((a) => ['gp_practice', 'community_health'].includes(a.kind))
      .map((a) => ({ value: a.code, text: a.name, selected: child.health?.agencyCode === a.code })),
  ];
  return {
    title: `${capitalise(ordinal(n - 1))} child`,
    n,
    values: child,
    dob: dateItems('dateOfBirth', child.dateOfBirth, false),
    schoolItems,
    healthItems,
    returnTo,
  };
}

function checkPage(draft: DanDraft, agencies: { code: string; name: string }[]) {
  const names = new Map(agencies.map((a) => [a.code, a.name]));
  return {
    title: 'Check the notification before sending it',
    draft,
    agencyLabel: (code: string | undefined) => (code ? (names.get(code) ?? code) : ''),
    dashStatuses: DASH_STATUSES,
    responses: EARLY_HELP_RESPONSES,
    reportedBy: REPORTED_BY,
    occurredAt: draft.incident?.occurredAt ?? null,
  };
}
