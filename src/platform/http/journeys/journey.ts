import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Action } from '../../access.ts';
import { type FieldError, ValidationError } from '../../errors.ts';
import { formErrors } from '../../views.ts';
import { authorise } from '../context.ts';
import { type Form, FormBody } from '../form-fields.ts';

/**
 * The journey kit: a multi-page GOV.UK question journey (start page, question pages in order,
 * check your answers, sent) over a draft held in the session. A journey is data (its pages in
 * order, each page's show and save); the kit owns what every journey repeats: reading and saving
 * the draft, the page order and what comes next, `?return=check` from a change link, the state
 * guard, re-rendering a page with the GOV.UK error summary, and linking each error on the check
 * page back to the page that fixes it.
 */

/** What the kit keeps in every draft: the key that makes sending idempotent, the pages answered. */
export interface JourneyDraft {
  token: string;
  /** Ids of the question pages submitted at least once (answers are kept even when invalid). */
  answered: string[];
}

declare module 'fastify' {
  interface Session {
    journeys?: Record<string, JourneyDraft>;
  }
}

/** A question page as a handler sees it. */
export interface PageRequest<D extends JourneyDraft> {
  request: FastifyRequest;
  draft: D;
  /** The position of a repeated page (the second child is 2); 1 on a page that is not repeated. */
  n: number;
  returnTo: string | undefined;
}

export interface PostedPage<D extends JourneyDraft> extends PageRequest<D> {
  form: Form;
}

/** What saving a page's answers found. */
export interface Saved {
  errors: FieldError[];
  /** Values to show instead of the draft's when the page is shown again with its errors. */
  shown?: Record<string, unknown>;
  /** A path under the journey that overrides the page order (`children/2` for "add another"). */
  next?: string;
}

export interface QuestionPage<D extends JourneyDraft> {
  /** The page's path under the journey, and the name the draft records when it is answered. */
  id: string;
  /** A repeated page (`id/:n`, one per item): the items already in the draft. */
  items?: (draft: D) => readonly unknown[];
  /** The template's file name in the journey's folder, without `.njk`; the page's id if not given. */
  view?: string;
  /** The page's heading; a repeated page's names its item (`Second child`). */
  title: string | ((n: number) => string);
  /**
   * The page's data from the draft (the draft itself if not given); `errors` is empty unless the
   * page is shown again after a post.
   */
  show?: (page: PageRequest<D>, errors: readonly FieldError[]) => Promise<object> | object;
  /** Reads the form into the draft (the kit saves it) and checks this page's answers. */
  save: (page: PostedPage<D>) => Promise<Saved> | Saved;
}

export interface CheckPage<D extends JourneyDraft> {
  view: string;
  title: string;
  /** What the check page shows (the draft itself if not given). */
  show?: (page: PageRequest<D>) => Promise<object> | object;
  /** Sends the draft; returns where to go. A ValidationError is shown as links to the pages. */
  send: (page: PageRequest<D>) => Promise<string>;
  /** The page (a path under the journey) that holds a field the service refused. */
  pageOf: (field: string) => string;
}

export interface Journey<D extends JourneyDraft> {
  /** The draft's name in the session. */
  name: string;
  /** The journey's path: its start page; every other page is below it. */
  base: string;
  /** The action a person must be allowed to take to use the journey. */
  action: Action;
  caption: string;
  /** The folder of the journey's templates, as the view loader names it. */
  views: string;
  start: { view: string; title: string };
  /** A new draft: the kit's fields (token, pages answered) and the journey's own. */
  fresh: (request: FastifyRequest, kit: JourneyDraft) => D;
  /** Data every page of the journey is shown with (value lists). */
  common?: Record<string, unknown>;
  pages: readonly QuestionPage<D>[];
  check: CheckPage<D>;
}

/** `n` is in the path of a repeated page only; one schema keeps every handler typed. */
const PageParams = Type.Object({ n: Type.Optional(Type.Integer({ minimum: 1, maximum: 15 })) });
const ReturnQuery = Type.Object({ return: Type.Optional(Type.String({ maxLength: 10 })) });

export const CHECK = 'check';

/** The draft, its storage and its page order, for a journey's own extra routes. */
export function journeyState<D extends JourneyDraft>(journey: Journey<D>) {
  const create = (request: FastifyRequest): D =>
    journey.fresh(request, { token: randomUUID(), answered: [] });
  // The session holds only drafts this journey wrote under its name.
  const current = (request: FastifyRequest): D | undefined =>
    request.session.journeys?.[journey.name] as D | undefined;
  const save = (request: FastifyRequest, draft: D | undefined) => {
    const all = { ...request.session.journeys };
    if (draft) all[journey.name] = { ...draft };
    else delete all[journey.name];
    request.session.journeys = all;
  };
  const draftOf = (request: FastifyRequest): D => {
    const draft = current(request) ?? create(request);
    if (!current(request)) save(request, draft);
    return draft;
  };
  const path = (page: QuestionPage<D>) => (page.items ? `${page.id}/1` : page.id);
  /** The first page before `index` (all pages when it is the check page) not yet answered. */
  const firstUnanswered = (draft: D, index: number): QuestionPage<D> | undefined =>
    journey.pages.slice(0, index).find((p) => !draft.answered.includes(p.id));
  const url = (to: string) => `${journey.base}/${to}`;
  return { create, current, save, draftOf, path, firstUnanswered, url };
}

/** Registers a journey's start page, question pages and check page. */
export function journeyRoutes<D extends JourneyDraft>(journey: Journey<D>): FastifyPluginAsyncTypebox {
  const state = journeyState(journey);
  const render = (reply: FastifyReply, view: string, data: object) =>
    reply.page(`${journey.views}/${view}.njk`, { caption: journey.caption, ...journey.common, ...data });
  /** GOV.UK pattern: a page reached out of order sends you to the first question not answered. */
  const guard = (reply: FastifyReply, draft: D, index: number) => {
    const missing = state.firstUnanswered(draft, index);
    return missing ? reply.redirect(state.url(state.path(missing)), 303) : undefined;
  };

  return async (app) => {
    app.get(journey.base, async (request, reply) => {
      authorise(request, journey.action);
      return render(reply, journey.start.view, { title: journey.start.title, draft: state.current(request) });
    });
    app.post(`${journey.base}/start`, { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, journey.action);
      state.save(request, state.create(request));
      return reply.redirect(state.url(state.path(journey.pages[0]!)), 303);
    });

    journey.pages.forEach((page, index) => {
      const following = journey.pages[index + 1];
      const route = page.items ? `${journey.base}/${page.id}/:n` : `${journey.base}/${page.id}`;
      const context = (
        request: FastifyRequest,
        draft: D,
        wanted: number | undefined,
        returnTo: string | undefined,
      ): PageRequest<D> => ({
        request,
        draft,
        n: page.items ? Math.min(wanted ?? 1, page.items(draft).length + 1) : 1,
        returnTo,
      });
      const view = page.view ?? page.id;
      const shown = async (at: PageRequest<D>, errors: readonly FieldError[], extra?: object) => ({
        title: typeof page.title === 'string' ? page.title : page.title(at.n),
        ...(page.items ? { n: at.n } : {}),
        ...(page.show ? await page.show(at, errors) : { draft: at.draft }),
        ...extra,
        returnTo: at.returnTo,
      });

      app.get(route, { schema: { querystring: ReturnQuery, params: PageParams } }, async (request, reply) => {
        authorise(request, journey.action);
        const draft = state.draftOf(request);
        const at = context(request, draft, request.params.n, request.query.return);
        return guard(reply, draft, index) ?? render(reply, view, await shown(at, []));
      });

      app.post(
        route,
        { schema: { body: FormBody, querystring: ReturnQuery, params: PageParams } },
        async (request, reply) => {
          authorise(request, journey.action);
          const draft = state.draftOf(request);
          const at = {
            ...context(request, draft, request.params.n, request.query.return),
            form: request.body,
          };
          const saved = await page.save(at);
          if (!draft.answered.includes(page.id)) draft.answered.push(page.id);
          state.save(request, draft);
          if (saved.errors.length)
            return render(reply.code(400), view, {
              ...(await shown(at, saved.errors, saved.shown)),
              errors: formErrors(saved.errors, at.form),
            });
          if (saved.next) return reply.redirect(state.url(saved.next), 303);
          const to = at.returnTo === CHECK || !following ? CHECK : state.path(following);
          return reply.redirect(state.url(to), 303);
        },
      );
    });

    const check = journey.check;
    const checkIndex = journey.pages.length;
    const checkData = async (at: PageRequest<D>) => ({
      title: check.title,
      ...(check.show ? await check.show(at) : { draft: at.draft }),
    });
    app.get(`${journey.base}/${CHECK}`, async (request, reply) => {
      authorise(request, journey.action);
      const draft = state.draftOf(request);
      const at = { request, draft, n: 1, returnTo: undefined };
      return guard(reply, draft, checkIndex) ?? render(reply, check.view, await checkData(at));
    });
    app.post(`${journey.base}/${CHECK}`, { schema: { body: FormBody } }, async (request, reply) => {
      authorise(request, journey.action);
      const draft = state.draftOf(request);
      const at = { request, draft, n: 1, returnTo: undefined };
      try {
        const sent = await check.send(at);
        state.save(request, undefined);
        return reply.redirect(sent, 303);
      } catch (error) {
        if (!(error instanceof ValidationError)) throw error;
        const errors = formErrors(error.errors);
        errors.summary = error.errors.map((e) => ({
          text: e.message,
          href: `${state.url(check.pageOf(e.field))}?return=${CHECK}`,
        }));
        return render(reply.code(400), check.view, { ...(await checkData(at)), errors });
      }
    });
  };
}
