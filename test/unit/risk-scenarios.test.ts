/**
 * Two whole-chronology scenarios. All people, places and references are invented.
 *
 * (a) is modelled on the inspection's case study of a 12-year-old girl: several incidents each
 *     graded standard over two years, calls she made herself, custody episodes her school never
 *     heard about, a run of social workers, and no safety plan.
 * (b) is good practice: a young child, a plan after two incidents, and incidents reducing since.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ChronologyEvent,
  ChronologyEventData,
  ChronologyEventType,
} from '../../src/domain/chronology-event.ts';
import { assessCumulativeRisk, type HouseholdAdult } from '../../src/domain/risk.ts';
import type { AgencyKind } from '../../src/platform/roles.ts';

const AS_OF = new Date('2025-06-15T12:00:00Z');

function event(
  id: string,
  personId: string,
  type: ChronologyEventType,
  isoDate: string,
  sourceAgencyKind: AgencyKind,
  data: ChronologyEventData = {},
): ChronologyEvent {
  return {
    id,
    personId,
    type,
    occurredAt: new Date(`${isoDate}T20:00:00Z`),
    sourceAgencyKind,
    significance: 'medium',
    summary: `Synthetic ${type}`,
    data,
  };
}

/**
 * A household: the child, the victim and the perpetrator, as the engine takes the adults and as a
 * police DAN names them. `dan` is a DAN about the household on the child's chronology, or on
 * another member's when `personId` is given.
 */
function household(childId: string, victimId: string, perpetratorId: string) {
  const named = { victimIds: [victimId], perpetratorIds: [perpetratorId], relatedPersonIds: [childId] };
  const adults: HouseholdAdult[] = [
    { id: victimId, role: 'victim' },
    { id: perpetratorId, role: 'perpetrator' },
  ];
  const dan = (id: string, date: string, data: ChronologyEventData, personId = childId) =>
    event(id, personId, 'dan', date, 'police', { ...named, ...data });
  return { adults, dan };
}

/** The engine's assessment of a child's chronology as of AS_OF. */
const assess = (
  child: { id: string; dateOfBirth?: Date },
  adults: HouseholdAdult[],
  events: ChronologyEvent[],
) => assessCumulativeRisk({ child, adults, events, asOf: AS_OF });

describe('scenario (a): a 12-year-old girl whose risk was judged on the latest incident', () => {
  // "Skye Hartigan", 12; her mother is the victim, her stepfather the perpetrator.
  const SKYE = 'person-skye';
  const MOTHER = 'person-mother';
  const STEPFATHER = 'person-stepfather';
  const home = household(SKYE, MOTHER, STEPFATHER);
  const { adults } = home;
  const dan = (id: string, date: string, extra: ChronologyEventData = {}) =>
    home.dan(id, date, { riskGrade: 'standard', incidentRef: `REF-${id}`, ...extra });

  const events: ChronologyEvent[] = [
    dan('dan-1', '2023-07-10'),
    // The same incident on the mother's chronology must not be counted twice.
    home.dan('dan-1-mother', '2023-07-10', { riskGrade: 'standard', incidentRef: 'REF-dan-1' }, MOTHER),
    dan('dan-2', '2023-11-20'),
    dan('dan-3', '2024-05-02', { reportedBy: 'child' }),
    event('sw-1', SKYE, 'social-worker-change', '2024-08-01', 'childrens_social_care'),
    dan('dan-4', '2024-09-14'),
    event('custody-1', SKYE, 'custody-episode', '2024-11-05', 'police', { schoolInformed: false }),
    event('sw-2', SKYE, 'social-worker-change', '2024-12-01', 'childrens_social_care'),
    dan('dan-5', '2025-01-30', { reportedBy: 'child' }),
    event('contact-school', SKYE, 'contact', '2025-02-10', 'school'),
    event('sw-3', SKYE, 'social-worker-change', '2025-03-01', 'childrens_social_care'),
    event('custody-2', SKYE, 'custody-episode', '2025-03-22', 'police', { schoolInformed: false }),
    event('sw-4', SKYE, 'social-worker-change', '2025-05-01', 'childrens_social_care'),
    dan('dan-6', '2025-05-28'),
    event('decision-1', SKYE, 'decision', '2025-05-29', 'childrens_social_care', {
      riskGrade: 'standard',
      decisionOutcome: 'early-help',
    }),
  ];

  const result = assess({ id: SKYE, dateOfBirth: new Date('2013-03-02T00:00:00Z') }, adults, events);
  const byRule = new Map(result.findings.map((f) => [f.ruleId, f]));

  it('raises the level above the latest grade', () => {
    assert.equal(result.latestRecorded?.level, 'standard');
    assert.equal(result.latestRecorded?.eventId, 'decision-1');
    assert.equal(result.level, 'high');
    assert.equal(result.raisedAboveLatestRecorded, true);
  });

  it('lists each reason with the events that support it', () => {
    assert.deepEqual(Object.fromEntries([...byRule].map(([id, f]) => [id, f.eventIds])), {
      'repeat-domestic-abuse': ['dan-4', 'dan-5', 'dan-6'],
      'accumulating-lower-grades': ['dan-1', 'dan-2', 'dan-3', 'dan-4', 'dan-5', 'dan-6'],
      'child-reported-abuse': ['dan-3', 'dan-5'],
      'repeat-contacts': ['dan-4', 'dan-5', 'contact-school', 'dan-6'],
      'custody-episodes': ['custody-1', 'custody-2'],
      'no-safety-plan': ['dan-4', 'dan-5', 'dan-6'],
      'social-worker-changes': ['sw-1', 'sw-2', 'sw-3', 'sw-4'],
      'recorded-level-below-history': ['decision-1'],
    });
  });

  it('explains each reason in plain English with its numbers and dates', () => {
    assert.match(
      byRule.get('repeat-domestic-abuse')!.explanation,
      /^3 domestic abuse incidents in the household/,
    );
    assert.match(
      byRule.get('accumulating-lower-grades')!.explanation,
      /6 incidents .* each graded standard or medium/,
    );
    assert.match(byRule.get('child-reported-abuse')!.explanation, /2 May 2024 and 30 January 2025/);
    assert.match(byRule.get('custody-episodes')!.explanation, /school was not told about any of them/);
    assert.match(
      byRule.get('recorded-level-below-history')!.explanation,
      /latest recorded level is standard/,
    );
    for (const finding of result.findings) assert.ok(finding.explanation.length > 40, finding.ruleId);
  });

  it('recommends a strategy discussion and shows the MARAC criteria met', () => {
    assert.equal(result.minimumResponse.code, 'strategy-discussion');
    assert.equal(result.marac.meetsCriteria, true);
    assert.deepEqual(
      result.marac.criteria.filter((c) => c.met).map((c) => c.id),
      ['potential-escalation'],
    );
  });

  it('summarises the picture in one paragraph', () => {
    assert.match(result.summary, /^Cumulative level: high\. The latest recorded level was standard/);
    assert.match(result.summary, /Gaps in the response: no safety plan; frequent changes of social worker\./);
    assert.match(result.summary, /MARAC criteria met: potential escalation\./);
  });
});

describe('scenario (b): good practice — a young child, incidents reducing after a plan', () => {
  // "Theo Marsh", 3; his mother is the victim, his father the perpetrator.
  const THEO = 'person-theo';
  const MOTHER = 'person-theo-mother';
  const FATHER = 'person-theo-father';
  const { adults, dan } = household(THEO, MOTHER, FATHER);
  const theo = { id: THEO, dateOfBirth: new Date('2022-04-10T00:00:00Z') };

  const events: ChronologyEvent[] = [
    dan('dan-1', '2023-11-15', { riskGrade: 'medium', incidentRef: 'R-1' }),
    dan('dan-2', '2024-01-05', { riskGrade: 'medium', incidentRef: 'R-2' }),
    event('ra-1', MOTHER, 'risk-assessment', '2024-01-06', 'idva_service', {
      instrumentId: 'safelives-dash-ric',
      instrumentVersion: '1',
      instrumentScore: 11,
      riskGrade: 'medium',
      relatedPersonIds: [THEO],
    }),
    event('decision-1', THEO, 'decision', '2024-01-08', 'childrens_social_care', {
      riskGrade: 'medium',
      decisionOutcome: 'child-in-need-assessment',
    }),
    event('plan-safety', MOTHER, 'safety-plan', '2024-01-18', 'idva_service'),
    event('plan-cin', THEO, 'child-in-need-plan', '2024-01-20', 'childrens_social_care'),
    event('missed-hv', THEO, 'missed-health-appointment', '2025-02-03', 'community_health'),
    dan('dan-3', '2024-10-01', { riskGrade: 'standard', incidentRef: 'R-3' }),
    event('decision-2', THEO, 'decision', '2024-10-02', 'childrens_social_care', {
      riskGrade: 'standard',
      decisionOutcome: 'early-help',
    }),
  ];

  const result = assess(theo, adults, events);

  it('does not over-escalate: the level stays at the latest recorded level', () => {
    assert.equal(result.level, 'standard');
    assert.equal(result.raisedAboveLatestRecorded, false);
    assert.equal(result.latestRecorded?.eventId, 'decision-2');
  });

  it('raises no risk findings and does not meet MARAC criteria', () => {
    assert.deepEqual(result.findings, []);
    assert.equal(result.marac.meetsCriteria, false);
    assert.equal(result.minimumResponse.code, 'early-help');
  });

  it('notes that incidents have reduced since the plan, without lowering anything', () => {
    assert.equal(result.observations.length, 1);
    assert.match(
      result.observations[0]!,
      /reduced since the child in need plan of 20 January 2024: 2 .* 1 since/,
    );
    assert.match(result.summary, /No pattern in the history raises the level\./);
  });

  it('would escalate the same household if incidents resumed', () => {
    const resumed = [
      ...events,
      dan('dan-4', '2025-03-01', { riskGrade: 'standard', incidentRef: 'R-4' }),
      dan('dan-5', '2025-05-20', { riskGrade: 'standard', incidentRef: 'R-5' }),
    ];
    const again = assess(theo, adults, resumed);
    assert.equal(again.level, 'high');
    assert.ok(again.findings.some((f) => f.ruleId === 'repeat-domestic-abuse'));
  });
});

describe('a long chronology', () => {
  it('handles 2,000 events across agencies and still finds the pattern', () => {
    const CHILD = 'person-long';
    const types: ChronologyEventType[] = [
      'contact',
      'enquiry-response',
      'school-concern',
      'health-visitor-concern',
      'address-change',
      'probation-event',
      'youth-justice-event',
      'ed-attendance',
    ];
    const events: ChronologyEvent[] = [];
    const start = new Date('2015-06-15T12:00:00Z').getTime();
    const step = (AS_OF.getTime() - start) / 2000;
    for (let i = 0; i < 2000; i++) {
      const type = i % 97 === 0 ? 'dan' : types[i % types.length]!;
      events.push({
        id: `long-${i}`,
        personId: i % 3 === 0 ? 'person-long-mother' : CHILD,
        type,
        occurredAt: new Date(start + i * step),
        sourceAgencyKind: 'police',
        significance: 'low',
        summary: 'Synthetic',
        data: type === 'dan' ? { riskGrade: 'standard', relatedPersonIds: [CHILD] } : {},
      });
    }
    const result = assess({ id: CHILD }, [{ id: 'person-long-mother', role: 'victim' }], events);
    assert.ok(result.findings.some((f) => f.ruleId === 'repeat-contacts'));
    assert.equal(result.latestRecorded?.level, 'standard');
  });
});
