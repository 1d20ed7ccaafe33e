/** Rules over approaches to children's services about the child (FINDINGS F3). */
import { DateTime } from 'luxon';
import type { ChronologyEvent } from '../chronology-event.ts';
import { listDates, oldestFirst, plural, type RiskContext, windowWords } from './context.ts';
import { switchedRule } from './rule.ts';

/** Contacts, referrals and DANs on the child's chronology, one per incident. */
function approaches(context: RiskContext): ChronologyEvent[] {
  const byKey = new Map<string, ChronologyEvent>();
  for (const type of ['contact', 'referral', 'dan'] as const) {
    for (const event of context.childEvents(type)) {
      const key = event.data.incidentRef ?? `event:${event.id}`;
      if (!byKey.has(key)) byKey.set(key, event);
    }
  }
  return oldestFirst([...byKey.values()]);
}

export const repeatContactsRule = switchedRule(
  'repeat-contacts',
  'risk',
  'repeatContacts',
  (context, rule) => {
    const recent = approaches(context).filter((e) => context.inWindow(e, rule.windowMonths));
    if (recent.length < rule.count) return null;
    return {
      title: 'Repeated contacts about the child',
      explanation:
        `${plural(recent.length, 'contact')} about the child ${windowWords(context, rule.windowMonths)} ` +
        `(${listDates(context, recent)}). Agencies keep raising concerns.`,
      eventIds: recent.map((e) => e.id),
    };
  },
);

export const reReferralRule = switchedRule('re-referral', 'risk', 'reReferral', (context, rule, config) => {
  const closures = context.childEvents('case-closure');
  if (closures.length === 0) return null;
  const contacts = approaches(context);
  // Only the latest closure matters: the question is whether the case closed too soon this time.
  const closure = closures.at(-1)!;
  const limit = DateTime.fromJSDate(closure.occurredAt, { zone: config.timeZone }).plus({
    months: rule.windowMonths,
  });
  const after = contacts.filter(
    (e) =>
      e.occurredAt.getTime() > closure.occurredAt.getTime() && e.occurredAt.getTime() <= limit.toMillis(),
  );
  if (after.length === 0) return null;
  return {
    title: 'Re-referred after the case was closed',
    explanation:
      `The case was closed on ${context.formatDate(closure.occurredAt)} and the child was referred again within ` +
      `${rule.windowMonths} months (${listDates(context, after)}). The concerns were not resolved.`,
    eventIds: [closure.id, ...after.map((e) => e.id)],
  };
});
