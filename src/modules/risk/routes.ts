import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { describeDuration } from '../../domain/clock.ts';
import { bandForScore, isRiskLevel, type RiskLevel } from '../../domain/instruments/bands.ts';
import {
  ANSWER_VALUES,
  type AnswerValue,
  getInstrument,
  type Instrument,
  listInstruments,
} from '../../domain/instruments/index.ts';
import { scoreAssessment } from '../../domain/instruments/scoring.ts';
import { grantedScopes } from '../../platform/access.ts';
import type { Deps } from '../../platform/deps.ts';
import type { FieldError } from '../../platform/errors.ts';
import { auditContext, authorise, principalOf } from '../../platform/http/context.ts';
import { FormBody } from '../../platform/http/form-fields.ts';
import { saveForm } from '../../platform/http/form-save.ts';
import { addHomePanel, readPanel } from '../../platform/http/home-panels.ts';
import { addNavigationItem } from '../../platform/http/navigation.ts';
import { Id, Uuid } from '../../platform/http/schemas/atoms.ts';
import { formatDateTime, formErrors, plural } from '../../platform/views.ts';
import type { PeopleService } from '../people/service.ts';
import { presentSummary } from './present.ts';
import type { RiskService } from './service.ts';

/** A risk assessment being filled in, one section per page, kept in the session until submitted. */
interface RiskDraft {
  instrumentId: string;
  instrumentVersion: string;
  victimPersonId: string;
  victimName: string;
  childPersonIds: string[];
  contactId?: string;
  answers: Record<string, { value: AnswerValue; detail?: string }>;
  judgedLevel?: RiskLevel;
  judgementReason?: string;
}

declare module 'fastify' {
  interface Session {
    riskDraft?: RiskDraft;
  }
}

const ANSWER_TEXT: Record<AnswerValue, string> = {
  yes: 'Yes',
  no: 'No',
  'dont-know': 'Don’t know',
  'not-asked': 'Not asked',
};

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // A leading =, +, - or @ would run as a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The assessment being written, with the instrument it is written on. */
interface Draft {
  draft: RiskDraft;
  instrument: Instrument;
}

function draftOf(request: FastifyRequest): Draft | null {
  const draft = request.session?.riskDraft;
  const instrument = draft ? getInstrument(draft.instrumentId, draft.instrumentVersion) : undefined;
  return draft && instrument ? { draft, instrument } : null;
}

export function riskRoutes(_deps: Deps, risk: RiskService, people: PeopleService): FastifyPluginAsyncTypebox {
  addNavigationItem({ href: '/risk/dash-awaited', text: 'Awaited assessments', action: 'dash-awaited:view' });
  addHomePanel(
    readPanel({
      id: 'dash-awaited',
      title: 'Awaited risk assessments',
      action: 'dash-awaited:view',
      order: 40,
      read: (principal) => risk.noticesFor(principal),
      summary: (notices) => {
        const ofKind = (kind: string) => notices.filter((n) => n.kind === kind).length;
        return notices.length === 0
          ? 'DANs whose DASH risk assessment is still to follow, oldest first.'
          : `${plural(ofKind('reminder'), 'new reminder')} and ${plural(ofKind('escalation'), 'escalation')}: risk assessments promised with a DAN have not arrived.`;
      },
      links: [{ href: '/risk/dash-awaited', text: 'See awaited assessments' }],
    }),
  );

  const backToStart = (reply: FastifyReply) => reply.redirect('/risk-assessments/new', 303);

  return async (app) => {
    // --- cumulative risk for one child ---------------------------------------------------
    app.get('/people/:id/risk', { schema: { params: Id } }, async (request, reply) => {
      const summary = await risk.summaryFor(auditContext(request), request.params.id);
      const child = summary.child;
      return reply.page('risk/views/risk.njk', {
        title: `Cumulative risk: ${child.given_name} ${child.family_name}`,
        child,
        cumulativeRisk: presentSummary(summary),
      });
    });

    // --- "DASH awaited" report -------------------------------------------------------------
    const reportQuery = Type.Object({
      sort: Type.Union([Type.Literal('age'), Type.Literal('officer')], { default: 'age' }),
      received: Type.Optional(Type.String({ maxLength: 3 })),
    });
    app.get('/risk/dash-awaited', { schema: { querystring: reportQuery } }, async (request, reply) => {
      const rows = await risk.awaitedReport(auditContext(request), {
        includeReceived: request.query.received === 'yes',
      });
      const sorted =
        request.query.sort === 'officer'
          ? [...rows].sort((a, b) => a.officer.localeCompare(b.officer) || b.ageMs - a.ageMs)
          : [...rows].sort((a, b) => b.ageMs - a.ageMs);
      return reply.page('risk/views/dash-awaited.njk', {
        title: 'Awaited risk assessments',
        rows: sorted.map((r) => ({ ...r, age: describeDuration(r.ageMs) })),
        sort: request.query.sort,
        received: request.query.received === 'yes',
      });
    });

    app.get('/risk/dash-awaited.csv', { schema: { querystring: reportQuery } }, async (request, reply) => {
      const rows = await risk.awaitedReport(auditContext(request), {
        includeReceived: request.query.received === 'yes',
      });
      const header = [
        'contact_id',
        'officer',
        'people',
        'awaited_since',
        'age_hours',
        'due_at',
        'escalate_at',
        'state',
        'reminded_at',
        'escalated_at',
        'received_at',
      ];
      const lines = [...rows]
        .sort((a, b) => b.ageMs - a.ageMs)
        .map((r) =>
          [
            r.contact_id,
            r.officer,
            r.people.map((p) => `${p.given_name} ${p.family_name}`).join('; '),
            r.awaited_since.toISOString(),
            (r.ageMs / 3_600_000).toFixed(1),
            r.due_at.toISOString(),
            r.escalate_at.toISOString(),
            r.state,
            r.reminded_at?.toISOString(),
            r.escalated_at?.toISOString(),
            r.received_at?.toISOString(),
          ]
            .map(csvCell)
            .join(','),
        );
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="awaited-risk-assessments.csv"')
        .header('cache-control', 'no-store')
        .send(`${[header.join(','), ...lines].join('\r\n')}\r\n`);
    });

    // --- review tasks ------------------------------------------------------------------------
    app.get('/risk/review-tasks', async (request, reply) => {
      const principal = authorise(request, 'queue:view');
      const context = auditContext(request);
      const tasks = [];
      for (const areaId of principal.areaIds) tasks.push(...(await risk.openReviewTasks(context, areaId)));
      return reply.page('risk/views/review-tasks.njk', { title: 'History suggests higher risk', tasks });
    });

    app.post(
      '/risk/review-tasks/:id/close',
      { schema: { params: Id, body: FormBody } },
      async (request, reply) => {
        const note = String(request.body.note ?? '');
        await risk.closeReviewTask(auditContext(request), request.params.id, note);
        return reply.redirect('/risk/review-tasks', 303);
      },
    );

    // --- risk assessment form: start, one page per section, judgement, check answers ----------
    app.get(
      '/risk-assessments/new',
      {
        schema: {
          querystring: Type.Object({ victim: Type.Optional(Uuid()), contact: Type.Optional(Uuid()) }),
        },
      },
      async (request, reply) => {
        authorise(request, 'risk-assessment:create');
        const victimId = request.query.victim ?? request.session.riskDraft?.victimPersonId;
        const subject = victimId ? await risk.assessmentSubject(auditContext(request), victimId) : undefined;
        const victim = subject?.person;
        const children = subject?.children ?? [];
        return reply.page('risk/views/assessment-start.njk', {
          title: 'Record a risk assessment',
          victim,
          children,
          contactId: request.query.contact ?? '',
          instruments: listInstruments().map((i) => ({ value: `${i.id}@${i.version}`, text: i.title })),
          errors: formErrors([]),
          values: {},
        });
      },
    );

    app.post('/risk-assessments/new', { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'risk-assessment:create');
      const form = request.body;
      const errors: FieldError[] = [];
      const [instrumentId, instrumentVersion] = String(form.instrument ?? '').split('@');
      const instrument = getInstrument(instrumentId ?? '', instrumentVersion ?? '');
      if (!instrument) errors.push({ field: 'instrument', message: 'Select the risk checklist used' });
      const victimId = String(form.victimPersonId ?? '');
      const subject = /^[0-9a-f-]{36}$/i.test(victimId)
        ? await risk.assessmentSubject(auditContext(request), victimId)
        : undefined;
      const victim = subject?.person;
      if (!victim) errors.push({ field: 'victimPersonId', message: 'Find the person assessed first' });
      const childIds = ([] as string[])
        .concat(form.childPersonIds ?? [])
        .filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      const contactId = String(form.contactId ?? '');
      if (errors.length || !instrument || !victim) {
        return reply.code(400).page('risk/views/assessment-start.njk', {
          title: 'Record a risk assessment',
          victim,
          children: subject?.children ?? [],
          contactId,
          instruments: listInstruments().map((i) => ({ value: `${i.id}@${i.version}`, text: i.title })),
          errors: formErrors(errors),
          values: form,
        });
      }
      request.session.riskDraft = {
        instrumentId: instrument.id,
        instrumentVersion: instrument.version,
        victimPersonId: victim.id,
        victimName: `${victim.given_name} ${victim.family_name}`,
        childPersonIds: childIds,
        ...(/^[0-9a-f-]{36}$/i.test(contactId) ? { contactId } : {}),
        answers: {},
      };
      return reply.redirect('/risk-assessments/draft/sections/1', 303);
    });

    const sectionPage = (
      reply: FastifyReply,
      draft: RiskDraft,
      instrument: Instrument,
      n: number,
      errors: FieldError[],
      values: Record<string, string>,
      code = 200,
    ) => {
      const section = instrument.sections[n - 1]!;
      const questions = instrument.questions
        .filter((q) => q.section === section.id)
        .map((q) => {
          const value = values[q.id] ?? draft.answers[q.id]?.value ?? '';
          return {
            ...q,
            items: ANSWER_VALUES.map((v) => ({ value: v, text: ANSWER_TEXT[v], checked: value === v })),
            detail: values[`${q.id}-detail`] ?? draft.answers[q.id]?.detail ?? '',
          };
        });
      return reply.code(code).page('risk/views/assessment-section.njk', {
        title: `${section.title} – ${instrument.title}`,
        draft,
        instrument,
        section,
        n,
        count: instrument.sections.length,
        questions,
        errors: formErrors(errors),
      });
    };

    app.get(
      '/risk-assessments/draft/sections/:n',
      { schema: { params: Type.Object({ n: Type.Integer({ minimum: 1, maximum: 20 }) }) } },
      async (request, reply) => {
        authorise(request, 'risk-assessment:create');
        const current = draftOf(request);
        if (!current || request.params.n > current.instrument.sections.length) return backToStart(reply);
        return sectionPage(reply, current.draft, current.instrument, request.params.n, [], {});
      },
    );

    app.post(
      '/risk-assessments/draft/sections/:n',
      {
        schema: {
          params: Type.Object({ n: Type.Integer({ minimum: 1, maximum: 20 }) }),
          body: FormBody,
        },
      },
      async (request, reply) => {
        authorise(request, 'risk-assessment:create');
        const current = draftOf(request);
        if (!current || request.params.n > current.instrument.sections.length) return backToStart(reply);
        const { draft, instrument } = current;
        const section = instrument.sections[request.params.n - 1]!;
        const form = request.body as Record<string, string>;
        const errors: FieldError[] = [];
        const answers = { ...draft.answers };
        for (const q of instrument.questions.filter((x) => x.section === section.id)) {
          const value = form[q.id] as AnswerValue | undefined;
          const detail = String(form[`${q.id}-detail`] ?? '').trim();
          if (!value || !(ANSWER_VALUES as readonly string[]).includes(value)) {
            if (q.required) errors.push({ field: q.id, message: `Answer question ${q.number}: ${q.text}` });
            continue;
          }
          if (value === 'not-asked' && !detail)
            errors.push({
              field: `${q.id}-detail`,
              message: `Question ${q.number}: say why it was not asked`,
            });
          answers[q.id] = { value, ...(detail ? { detail } : {}) };
        }
        if (errors.length) return sectionPage(reply, draft, instrument, request.params.n, errors, form, 400);
        request.session.riskDraft = { ...draft, answers };
        const next =
          request.params.n < instrument.sections.length
            ? `/risk-assessments/draft/sections/${request.params.n + 1}`
            : '/risk-assessments/draft/judgement';
        return reply.redirect(form.returnTo === 'check' ? '/risk-assessments/draft/check' : next, 303);
      },
    );

    const bandOf = (draft: RiskDraft, instrument: Instrument) => {
      const scored = scoreAssessment(instrument, draft.answers);
      return { score: scored.score, band: bandForScore(scored.score), prompts: scored.prompts };
    };

    /**
     * A step of the draft that shows its score (the judgement, the check): the draft, its
     * instrument, score, band and prompts, and the errors; `more` adds what the step shows besides.
     */
    const scoredPage = (
      reply: FastifyReply,
      view: string,
      title: string,
      { draft, instrument }: Draft,
      errors: FieldError[],
      code: number,
      more: (band: RiskLevel) => Record<string, unknown>,
    ) => {
      const { score, band, prompts } = bandOf(draft, instrument);
      return reply.code(code).page(view, {
        title,
        draft,
        instrument,
        score,
        band,
        prompts,
        ...more(band),
        errors: formErrors(errors),
      });
    };

    const judgementPage = (
      reply: FastifyReply,
      current: Draft,
      errors: FieldError[],
      values: Record<string, string>,
      code = 200,
    ) =>
      scoredPage(
        reply,
        'risk/views/assessment-judgement.njk',
        'Professional judgement',
        current,
        errors,
        code,
        (band) => ({
          level: values.judgedLevel ?? current.draft.judgedLevel ?? band,
          reason: values.judgementReason ?? current.draft.judgementReason ?? '',
        }),
      );

    app.get('/risk-assessments/draft/judgement', async (request, reply) => {
      authorise(request, 'risk-assessment:create');
      const current = draftOf(request);
      if (!current) return backToStart(reply);
      return judgementPage(reply, current, [], {});
    });

    app.post('/risk-assessments/draft/judgement', { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'risk-assessment:create');
      const current = draftOf(request);
      if (!current) return backToStart(reply);
      const form = request.body as Record<string, string>;
      const { band } = bandOf(current.draft, current.instrument);
      const level = form.judgedLevel;
      const reason = String(form.judgementReason ?? '').trim();
      const errors: FieldError[] = [];
      if (!isRiskLevel(level))
        errors.push({ field: 'judgedLevel', message: 'Select the level of risk you judge' });
      else if (['standard', 'medium', 'high'].indexOf(level) < ['standard', 'medium', 'high'].indexOf(band))
        errors.push({
          field: 'judgedLevel',
          message: `Professional judgement cannot lower the level below the score band (${band})`,
        });
      else if (level !== band && !reason)
        errors.push({
          field: 'judgementReason',
          message: 'Give the reason for judging the level higher than the score band',
        });
      if (errors.length) return judgementPage(reply, current, errors, form, 400);
      request.session.riskDraft = {
        ...current.draft,
        ...(level !== band ? { judgedLevel: level as RiskLevel, judgementReason: reason } : {}),
        ...(level === band ? { judgedLevel: undefined, judgementReason: undefined } : {}),
      };
      return reply.redirect('/risk-assessments/draft/check', 303);
    });

    const checkPage = (reply: FastifyReply, current: Draft, errors: FieldError[], code = 200) => {
      const { draft, instrument } = current;
      return scoredPage(
        reply,
        'risk/views/assessment-check.njk',
        'Check your answers',
        current,
        errors,
        code,
        (band) => ({
          level: draft.judgedLevel ?? band,
          sections: instrument.sections.map((s, i) => ({
            ...s,
            n: i + 1,
            rows: instrument.questions
              .filter((q) => q.section === s.id)
              .map((q) => ({
                key: { text: `${q.number}. ${q.text}` },
                value: {
                  text: draft.answers[q.id]
                    ? `${ANSWER_TEXT[draft.answers[q.id]!.value]}${draft.answers[q.id]!.detail ? ` – ${draft.answers[q.id]!.detail}` : ''}`
                    : 'Not answered',
                },
                actions: {
                  items: [
                    {
                      href: `/risk-assessments/draft/sections/${i + 1}#${q.id}`,
                      text: 'Change',
                      visuallyHiddenText: `answer to question ${q.number}`,
                    },
                  ],
                },
              })),
          })),
        }),
      );
    };

    app.get('/risk-assessments/draft/check', async (request, reply) => {
      authorise(request, 'risk-assessment:create');
      const current = draftOf(request);
      if (!current) return backToStart(reply);
      return checkPage(reply, current, []);
    });

    app.post('/risk-assessments/draft/submit', { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, 'risk-assessment:create');
      const current = draftOf(request);
      if (!current) return backToStart(reply);
      const { draft } = current;
      return saveForm({
        save: () =>
          risk.createAssessment(auditContext(request), {
            instrumentId: draft.instrumentId,
            instrumentVersion: draft.instrumentVersion,
            victimPersonId: draft.victimPersonId,
            ...(draft.childPersonIds.length ? { childPersonIds: draft.childPersonIds } : {}),
            ...(draft.contactId ? { contactId: draft.contactId } : {}),
            answers: draft.answers,
            ...(draft.judgedLevel
              ? { judgedLevel: draft.judgedLevel, judgementReason: draft.judgementReason ?? '' }
              : {}),
          }),
        invalid: (errors) => checkPage(reply, current, errors, 400),
        done: (result) => {
          request.session.riskDraft = undefined;
          return reply.redirect(`/risk-assessments/${result.id}`, 303);
        },
      });
    });

    app.get('/risk-assessments/:id', { schema: { params: Id } }, async (request, reply) => {
      const row = await risk.findAssessment(auditContext(request), request.params.id);
      const instrument = getInstrument(row.instrument_id, row.instrument_version);
      const [victim] = await people.personNames([row.victim_person_id]);
      const principal = principalOf(request);
      return reply.page('risk/views/assessment.njk', {
        title: 'Risk assessment recorded',
        row,
        instrument,
        victim,
        assessedAt: formatDateTime(row.assessed_at),
        mayViewRisk: grantedScopes(principal, 'risk:view').length > 0,
        children: await people.personNames(row.child_person_ids),
      });
    });
  };
}
