import { CHRONOLOGY_EVENT_TYPE_LABELS, type ChronologyEventType } from '../../domain/chronology-event.ts';
import type { RiskLevel } from '../../domain/instruments/bands.ts';
import { formatDate } from '../../platform/views.ts';
import type { RiskService } from './service.ts';

type Summary = Awaited<ReturnType<RiskService['summaryFor']>>;

const LEVEL_TAG: Record<RiskLevel, string> = {
  standard: 'govuk-tag--grey',
  medium: 'govuk-tag--yellow',
  high: 'govuk-tag--red',
};

const MARAC_NAMES: Record<string, string> = {
  'visible-high-risk': 'Visible high risk',
  'professional-judgement': 'Professional judgement',
  'potential-escalation': 'Potential escalation',
  repeat: 'Repeat within 12 months of the last referral',
};

function label(type: string): string {
  const text = CHRONOLOGY_EVENT_TYPE_LABELS[type as ChronologyEventType] ?? type;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The view model the `risk/views/cumulative-risk.njk` partial renders. A page that shows the
 * summary beside a decision passes `cumulativeRisk: presentSummary(await risk.summaryFor(...))`
 * and keeps `cumulativeRisk.summaryId` in its form.
 */
export function presentSummary(summary: Summary) {
  const { result } = summary;
  const evidence = (ids: readonly string[]) =>
    ids
      .map((id) => summary.evidence[id])
      .filter((e) => e !== undefined)
      .map((e) => ({
        id: e.id,
        onChild: e.personId === summary.child.id,
        label: label(e.type),
        date: formatDate(e.occurredAt),
        summary: e.summary,
      }));
  return {
    summaryId: summary.summaryId,
    hash: summary.hash,
    personId: summary.child.id,
    level: result.level,
    levelTag: LEVEL_TAG[result.level],
    latestRecorded: result.latestRecorded
      ? {
          level: result.latestRecorded.level,
          label: label(result.latestRecorded.eventType),
          date: formatDate(result.latestRecorded.occurredAt),
        }
      : null,
    raised: result.raisedAboveLatestRecorded,
    summary: result.summary,
    minimumResponse: result.minimumResponse.text,
    risks: result.findings
      .filter((f) => f.kind === 'risk')
      .map((f) => ({
        ...f,
        levelTag: f.impliedLevel ? LEVEL_TAG[f.impliedLevel] : '',
        events: evidence(f.eventIds),
      })),
    gaps: result.findings
      .filter((f) => f.kind === 'practice')
      .map((f) => ({ ...f, events: evidence(f.eventIds) })),
    observations: result.observations,
    marac: {
      meetsCriteria: result.marac.meetsCriteria,
      criteria: result.marac.criteria.map((c) => ({ ...c, name: MARAC_NAMES[c.id] ?? c.id })),
    },
    eventsConsidered: summary.eventsConsidered,
    asOf: result.asOf,
  };
}

export type PresentedSummary = ReturnType<typeof presentSummary>;
