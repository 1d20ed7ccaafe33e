import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { onPostgres } from '../helpers/database.ts';
import { contextOf } from '../helpers/deps.ts';
import { Browser } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { contactBody, contactPeople, danBody, earlyHelpDecision, household } from './front-door-fixtures.ts';

// Issue 12: on every form, an invalid submission shows the GOV.UK error summary in the order the
// fields are on the page, each item linking to a field that is there; answers that were valid
// are kept; and the address bar still shows the page's own address (the form posts to it, or
// redirects back to it).
const backend = onPostgres ? 'PostgreSQL' : 'PGlite';
const ids: Record<string, string> = {};

/** A form to walk: who uses it, the page it is on, what to send, and a valid answer to keep. */
interface FormWalk {
  name: string;
  user: string;
  page: () => string;
  /** Pages to post first (a journey's earlier pages, its start). */
  setup?: (browser: Browser) => Promise<void>;
  body: Record<string, string | string[]>;
  /** A value sent that was valid, which the page shown again must still hold. */
  kept?: string;
  /** Errors the summary must at least hold (a form whose every field was left empty). */
  minErrors?: number;
}

const started = (journey: string) => async (browser: Browser) => {
  await browser.get(journey);
  await browser.post(`${journey}/start`, {});
};

const FORMS: FormWalk[] = [
  // The DAN journey, page by page (an invalid page still counts as answered, so the next opens).
  {
    name: 'DAN: incident',
    user: 'police.officer@harbour.example',
    page: () => '/front-door/dan/incident',
    setup: started('/front-door/dan'),
    body: { policeReference: 'NB/26/WALK-1', 'occurredAt-day': '31', 'occurredAt-month': '2' },
    kept: 'NB/26/WALK-1',
    minErrors: 2,
  },
  {
    name: 'DAN: victim',
    user: 'police.officer@harbour.example',
    page: () => '/front-door/dan/victim',
    setup: journeyAt('/front-door/dan', ['incident']),
    body: { familyName: 'Walkden', 'dateOfBirth-day': '40' },
    kept: 'Walkden',
    minErrors: 2,
  },
  {
    name: 'DAN: child',
    user: 'police.officer@harbour.example',
    page: () => '/front-door/dan/children/1',
    setup: journeyAt('/front-door/dan', ['incident', 'victim', 'suspects/1']),
    body: { givenName: 'Tamsin', 'dateOfBirth-day': '40' },
    kept: 'Tamsin',
    minErrors: 2,
  },
  {
    name: 'DAN: suspect',
    user: 'police.officer@harbour.example',
    page: () => '/front-door/dan/suspects/1',
    setup: journeyAt('/front-door/dan', ['incident', 'victim']),
    body: { givenName: 'Kept-Suspect', 'dateOfBirth-day': '40' },
    kept: 'Kept-Suspect',
    minErrors: 1,
  },
  {
    name: 'DAN: risk',
    user: 'police.officer@harbour.example',
    page: () => '/front-door/dan/risk',
    setup: journeyAt('/front-door/dan', ['incident', 'victim', 'suspects/1', 'children/1']),
    body: { dashStatus: 'completed', dashReference: 'KEPT-DASH-1' },
    kept: 'KEPT-DASH-1',
    minErrors: 1,
  },
  {
    name: 'DAN: consent and officer',
    user: 'police.officer@harbour.example',
    page: () => '/front-door/dan/consent',
    setup: journeyAt('/front-door/dan', ['incident', 'victim', 'suspects/1', 'children/1', 'risk']),
    body: { 'officer.name': 'PC Kept' },
    kept: 'PC Kept',
    minErrors: 1,
  },
  {
    name: 'Contact: who is referring',
    user: 'school.dsl@harbour.example',
    page: () => '/front-door/contact/source',
    setup: started('/front-door/contact'),
    body: { 'referrer.name': 'Dana Walker' },
    kept: 'Dana Walker',
    minErrors: 1,
  },
  {
    name: 'Contact: child',
    user: 'school.dsl@harbour.example',
    page: () => '/front-door/contact/children/1',
    setup: journeyAt('/front-door/contact', ['source']),
    body: { familyName: 'Walkden', 'dateOfBirth-day': '40' },
    kept: 'Walkden',
    minErrors: 2,
  },
  {
    name: 'Contact: adult',
    user: 'school.dsl@harbour.example',
    page: () => '/front-door/contact/adults/1',
    setup: journeyAt('/front-door/contact', ['source', 'children/1']),
    body: { givenName: 'Kept-Adult', 'dateOfBirth-day': '40' },
    kept: 'Kept-Adult',
    minErrors: 1,
  },
  {
    name: 'Contact: concerns',
    user: 'school.dsl@harbour.example',
    page: () => '/front-door/contact/concerns',
    setup: journeyAt('/front-door/contact', ['source', 'children/1', 'adults/1']),
    body: { narrative: '' },
    minErrors: 2,
  },
  {
    name: 'Contact: consent',
    user: 'school.dsl@harbour.example',
    page: () => '/front-door/contact/consent',
    setup: journeyAt('/front-door/contact', ['source', 'children/1', 'adults/1', 'concerns', 'actions']),
    body: {},
    minErrors: 1,
  },
  // The contact record's forms.
  {
    name: 'Screening',
    user: 'front.door@harbour.example',
    page: () => `/front-door/contacts/${ids.open}/screening`,
    body: { rag: '', rationale: 'Kept rationale for the walk.' },
    kept: 'Kept rationale for the walk.',
    minErrors: 1,
  },
  {
    name: 'Enquiries',
    user: 'front.door@harbour.example',
    page: () => `/front-door/contacts/${ids.open}/enquiries`,
    body: { question: 'Kept question for the walk.' },
    kept: 'Kept question for the walk.',
    minErrors: 1,
  },
  {
    name: 'Decision',
    user: 'front.door@harbour.example',
    page: () => `/front-door/contacts/${ids.open}/decision`,
    body: { form: 'decision', rationale: 'Kept rationale for the decision.' },
    kept: 'Kept rationale for the decision.',
    minErrors: 2,
  },
  {
    name: 'Sign-off',
    user: 'mash.manager@harbour.example',
    page: () => `/front-door/contacts/${ids.awaiting}/decision`,
    body: { form: 'signoff', reason: 'Kept sign-off reason.' },
    kept: 'Kept sign-off reason.',
    minErrors: 1,
  },
  {
    name: 'Step down to early help',
    user: 'front.door@harbour.example',
    page: () => `/front-door/contacts/${ids.closed}/decision`,
    body: { form: 'stepdown', handover: 'Kept handover for the walk.' },
    kept: 'Kept handover for the walk.',
    minErrors: 3,
  },
  {
    name: 'Enquiry response',
    user: 'mash.health@harbour.example',
    page: () => `/front-door/enquiries/${ids.enquiry}`,
    body: { response: '' },
    minErrors: 1,
  },
  {
    name: 'Step up to the front door',
    user: 'front.door@harbour.example',
    page: () => `/front-door/early-help/${ids.episode}/step-up`,
    body: { handover: 'Kept step-up handover.' },
    kept: 'Kept step-up handover.',
    minErrors: 2,
  },
  // Forms of other capabilities a front-door user reaches.
  {
    name: 'Record a chronology event',
    user: 'front.door@harbour.example',
    page: () => `/people/${ids.child}/events/new`,
    body: { summary: 'Kept summary for the walk.' },
    kept: 'Kept summary for the walk.',
    minErrors: 1,
  },
  {
    name: 'Add a user',
    user: 'admin@harbour.example',
    page: () => '/admin/users/new',
    body: { displayName: 'Kept Walker', email: 'not an email' },
    kept: 'Kept Walker',
    minErrors: 2,
  },
  {
    name: 'Add an API key',
    user: 'admin@harbour.example',
    page: () => '/admin/api-keys/new',
    body: { agencyCode: '', label: 'Kept key label' },
    kept: 'Kept key label',
    minErrors: 1,
  },
  {
    name: 'Request a strategy discussion',
    user: 'school.dsl@harbour.example',
    page: () => `/strategy-discussions/new?childId=${ids.pupil}`,
    body: { knownInformation: 'Kept known information.' },
    kept: 'Kept known information.',
    minErrors: 1,
  },
  {
    name: 'Refer to MARAC',
    user: 'front.door@harbour.example',
    page: () => `/marac/referrals/new?person=${ids.victim}`,
    body: {},
    minErrors: 2,
  },
  {
    name: 'Start a risk assessment',
    user: 'front.door@harbour.example',
    page: () => `/risk-assessments/new?victim=${ids.victim}`,
    body: {},
    minErrors: 1,
  },
];

/** A journey started, with its earlier pages sent empty (each then counts as answered). */
function journeyAt(journey: string, pages: string[]) {
  return async (browser: Browser) => {
    await started(journey)(browser);
    for (const page of pages) await browser.post(`${journey}/${page}`, {});
  };
}

/**
 * What a browser sends for the form posting to `action`: each named field as it stands (text,
 * hidden and textarea values, a select's chosen option, checked boxes and radios).
 */
function formAsSent(html: string, action: string): Record<string, string | string[]> {
  const start = html.indexOf(`<form method="post" action="${action}"`);
  const form = html.slice(start, html.indexOf('</form>', start));
  const sent: Record<string, string[]> = {};
  const add = (name: string, value: string) => {
    if (name !== '_csrf') sent[name] = [...(sent[name] ?? []), value];
  };
  const decode = (v: string) =>
    v
      .replace(/&amp;/g, '&')
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"');
  for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
    const name = /\sname="([^"]+)"/.exec(tag)?.[1];
    if (!name) continue;
    const type = /\stype="([^"]+)"/.exec(tag)?.[1] ?? 'text';
    const value = decode(/\svalue="([^"]*)"/.exec(tag)?.[1] ?? '');
    if ((type === 'radio' || type === 'checkbox') && !/\schecked\b/.test(tag)) continue;
    add(name, value);
  }
  for (const [, attrs, content] of form.matchAll(/<textarea\b([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = /\sname="([^"]+)"/.exec(attrs!)?.[1];
    if (name) add(name, decode(content!.replace(/^\n/, '')));
  }
  for (const [, attrs, options] of form.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = /\sname="([^"]+)"/.exec(attrs!)?.[1];
    const chosen =
      /<option value="([^"]*)"[^>]*\sselected/.exec(options!) ?? /<option value="([^"]*)"/.exec(options!);
    if (name) add(name, decode(chosen?.[1] ?? ''));
  }
  return Object.fromEntries(Object.entries(sent).map(([k, v]) => [k, v.length === 1 ? v[0]! : v]));
}

/** The ids of the form fields in a page, in document order. */
function fieldIds(html: string): string[] {
  return [...html.matchAll(/<(?:input|select|textarea)\b[^>]*?\sid="([^"]+)"/g)].map((m) => m[1]!);
}

/** The targets of the error summary's links, in order. */
function summaryTargets(html: string): string[] {
  const start = html.indexOf('govuk-error-summary__list');
  assert.ok(start >= 0, 'the page shows the GOV.UK error summary');
  const list = html.slice(start, html.indexOf('</ul>', start));
  return [...list.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
}

appPerFile({}, async () => {
  const services = buildServices(deps);
  const officer = await contextOf(services.directory, 'police.officer@harbour.example');
  const school = await contextOf(services.directory, 'school.dsl@harbour.example');
  const worker = await contextOf(services.directory, 'front.door@harbour.example');
  const open = await services.frontDoor.submitDan(officer, danBody({}, 'NB/26/WALK-OPEN', household(90)));
  ids.open = open.body.contactId;
  const health = await services.directory.findAgencyByCode('community-health');
  await services.frontDoor.sendEnquiries(worker, ids.open, {
    agencyIds: [health!.id],
    question: 'What do you know?',
  });
  ids.enquiry = (
    await deps.db
      .selectFrom('enquiry')
      .select('id')
      .where('contact_id', '=', ids.open)
      .executeTakeFirstOrThrow()
  ).id;
  const awaiting = await services.frontDoor.submitDan(officer, danBody({}, 'NB/26/WALK-SIGN', household(91)));
  ids.awaiting = awaiting.body.contactId;
  await services.frontDoor.decide(worker, ids.awaiting, {
    levelOfNeed: '4',
    outcome: 'child-in-need-assessment',
    rationale: 'Repeat incidents.',
    feedback: 'A social worker will assess.',
  });
  const closed = await services.frontDoor.submitContact(school, contactBody({}, household(92)));
  ids.closed = closed.body.contactId;
  await services.frontDoor.decide(worker, ids.closed, earlyHelpDecision('Needs met by early help.'));
  ids.child = (await contactPeople(deps, ids.open, 'child'))[0]!;
  ids.victim = (await contactPeople(deps, ids.open, 'victim'))[0]!;
  // The school's pupil (the DAN names her school), for the school's strategy-discussion request.
  ids.pupil = (
    await deps.db
      .selectFrom('contact_person')
      .innerJoin('person', 'person.id', 'contact_person.person_id')
      .select('person.id')
      .where('contact_person.contact_id', '=', ids.open)
      .where('person.given_name', '=', household(90).girl.givenName)
      .executeTakeFirstOrThrow()
  ).id;
  const area = await services.directory.findAreaByCode('northbridge');
  ids.episode = await services.frontDoor.earlyHelp.openEpisode(worker, {
    personId: ids.child,
    leadPractitioner: 'Early help duty team',
    leadAgencyId: (await services.directory.findAgencyByCode('northbridge-early-help'))!.id,
    plan: 'Family support.',
  });
  assert.ok(area);
});

describe(`every form, sent with invalid answers, shows its errors in field order at its own address (${backend})`, () => {
  for (const form of FORMS) {
    it(form.name, async () => {
      const browser = new Browser(app);
      assert.equal((await browser.signIn(form.user)).statusCode, 303);
      await form.setup?.(browser);
      const url = form.page();
      const page = await browser.get(url);
      assert.equal(page.statusCode, 200, `${url} opens`);
      const actions = [...page.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]!);
      // The form posts to the page's own address (the page's other forms, sign-out, aside).
      const own = actions.filter((a) => a.split('?')[0] === url.split('?')[0]);
      assert.ok(own.length > 0, `a form on ${url} posts to ${url}: ${actions.join(', ')}`);
      // The form as the page would send it, with this walk's answers in place of what it holds.
      const sent = await browser.post(url, { ...formAsSent(page.body, own[0]!), ...form.body });
      let shown = sent.body;
      if (sent.statusCode === 303) {
        // Post, redirect, get: back to the same page.
        assert.equal(String(sent.headers.location).split('?')[0], url.split('?')[0]);
        shown = (await browser.get(String(sent.headers.location))).body;
      } else {
        assert.equal(sent.statusCode, 400, `${url}: ${sent.statusCode}`);
      }
      const targets = summaryTargets(shown);
      assert.ok(targets.length >= (form.minErrors ?? 1), `${targets.length} errors: ${targets.join(', ')}`);
      const order = fieldIds(shown);
      const positions = targets.map((target) => {
        const at = order.indexOf(target);
        assert.ok(at >= 0, `the summary links to #${target}, a field on the page (${order.join(', ')})`);
        return at;
      });
      assert.deepEqual(
        [...positions].sort((a, b) => a - b),
        positions,
        `summary order ${targets.join(', ')} follows the fields' order`,
      );
      if (form.kept) assert.ok(shown.includes(form.kept), `the valid answer "${form.kept}" is kept`);
    });
  }
});
