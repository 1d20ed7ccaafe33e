import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import type {
  ChronologyEvent,
  ChronologyEventData,
  ChronologyEventType,
} from '../../src/domain/chronology-event.ts';
import { checkEventDate } from '../../src/domain/chronology-event.ts';
import {
  assessCumulativeRisk,
  type CumulativeRiskResult,
  checkMaracCriteria,
  createRiskRulesConfig,
  DEFAULT_RISK_RULES_CONFIG,
  type HouseholdAdult,
  type RiskRulesConfig,
  type RiskSubject,
} from '../../src/domain/risk.ts';

const ZONE = 'Europe/London';
const AS_OF = new Date('2025-06-15T12:00:00Z'); // 13:00 BST
const CHILD = 'child-1';
const MOTHER = 'adult-mother';
const FATHER = 'adult-father';
const ADULTS: HouseholdAdult[] = [
  { id: MOTHER, role: 'victim' },
  { id: FATHER, role: 'perpetrator' },
];

function monthsAgo(months: number, days = 0): Date {
  return DateTime.fromJSDate(AS_OF, { zone: ZONE }).minus({ months }).minus({ days }).toJSDate();
}

/** The instants either side of the start of a window of `months` ending at AS_OF. */
function edges(months: number) {
  const boundary = DateTime.fromJSDate(AS_OF, { zone: ZONE }).minus({ months });
  return {
    atBoundary: boundary.toJSDate(),
    oneDayInside: boundary.plus({ days: 1 }).toJSDate(),
    oneDayOutside: boundary.minus({ days: 1 }).toJSDate(),
  };
}

let sequence = 0;
function ev(
  type: ChronologyEventType,
  occurredAt: Date,
  data: ChronologyEventData = {},
  personId = CHILD,
): ChronologyEvent {
  sequence += 1;
  return {
    id: `e${sequence}`,
    personId,
    type,
    occurredAt,
    sourceAgencyKind: 'police',
    significance: 'medium',
    summary: `${type} (synthetic)`,
    data,
  };
}

/** A risk assessment of the mother, the household's adult victim: where instrument scores and recorded levels are. */
function mothersAssessment(occurredAt: Date, data: ChronologyEventData): ChronologyEvent {
  return ev('risk-assessment', occurredAt, data, MOTHER);
}

function assess(
  events: ChronologyEvent[],
  options: { child?: Partial<RiskSubject>; adults?: HouseholdAdult[]; config?: RiskRulesConfig } = {},
): CumulativeRiskResult {
  return assessCumulativeRisk(
    { child: { id: CHILD, ...options.child }, adults: options.adults ?? ADULTS, events, asOf: AS_OF },
    options.config,
  );
}

function finding(result: CumulativeRiskResult, ruleId: string) {
  return result.findings.find((f) => f.ruleId === ruleId);
}

/** Check a rule fires with its last event exactly at, or one day inside, the window start — and not one day outside. */
function windowEdgeTests(
  ruleId: string,
  months: number,
  build: (edgeDate: Date) => { events: ChronologyEvent[]; options?: Parameters<typeof assess>[1] },
) {
  const { atBoundary, oneDayInside, oneDayOutside } = edges(months);
  it(`${ruleId}: fires with an event exactly at the ${months}-month window start`, () => {
    const { events, options } = build(atBoundary);
    const f = finding(assess(events, options), ruleId);
    assert.ok(f, 'expected the rule to fire');
    assert.ok(f.eventIds.includes(events.at(-1)!.id));
  });
  it(`${ruleId}: fires with the event one day inside the window`, () => {
    const { events, options } = build(oneDayInside);
    assert.ok(finding(assess(events, options), ruleId));
  });
  it(`${ruleId}: does not fire with the event one day outside the window`, () => {
    const { events, options } = build(oneDayOutside);
    assert.equal(finding(assess(events, options), ruleId), undefined);
  });
}

describe('window arithmetic', () => {
  it('counts months on the London calendar (6 months before 13:00 BST is 13:00 GMT)', () => {
    assert.deepEqual(edges(6).atBoundary, new Date('2024-12-15T13:00:00Z'));
    assert.deepEqual(edges(12).atBoundary, new Date('2024-06-15T12:00:00Z'));
  });
});

describe('repeat-domestic-abuse (potential escalation)', () => {
  windowEdgeTests('repeat-domestic-abuse', 12, (edge) => ({
    events: [ev('dan', monthsAgo(1), { riskGrade: 'standard' }), ev('dan', monthsAgo(3)), ev('dan', edge)],
  }));

  it('does not fire on two incidents', () => {
    assert.equal(
      finding(assess([ev('dan', monthsAgo(1)), ev('dan', monthsAgo(2))]), 'repeat-domestic-abuse'),
      undefined,
    );
  });

  it('raises the level to high and lists the incidents, oldest first', () => {
    const events = [ev('dan', monthsAgo(2)), ev('dan', monthsAgo(9)), ev('dan', monthsAgo(5))];
    const result = assess(events);
    assert.equal(result.level, 'high');
    assert.deepEqual(finding(result, 'repeat-domestic-abuse')?.eventIds, [
      events[1]!.id,
      events[2]!.id,
      events[0]!.id,
    ]);
  });

  it('uses a partnership window (Kent & Medway: 3 in 6 months)', () => {
    const config = createRiskRulesConfig({ repeatIncidents: { windowMonths: 6 } });
    const events = [ev('dan', monthsAgo(1)), ev('dan', monthsAgo(4)), ev('dan', monthsAgo(8))];
    assert.ok(finding(assess(events), 'repeat-domestic-abuse'));
    assert.equal(finding(assess(events, { config }), 'repeat-domestic-abuse'), undefined);
    assert.equal(config.repeatIncidents.count, 3);
  });

  it('counts one incident once when it is on several chronologies, and ignores duplicate DANs', () => {
    const events = [
      ev('dan', monthsAgo(1), { incidentRef: 'INC-1' }),
      ev('dan', monthsAgo(1), { incidentRef: 'INC-1' }, MOTHER),
      ev('duplicate-dan', monthsAgo(1), { incidentRef: 'INC-1' }),
      ev('dan', monthsAgo(2), { incidentRef: 'INC-2' }, MOTHER),
    ];
    assert.equal(finding(assess(events), 'repeat-domestic-abuse'), undefined);
    const result = assess([...events, ev('domestic-abuse-incident', monthsAgo(3), {}, MOTHER)]);
    assert.equal(finding(result, 'repeat-domestic-abuse')?.eventIds.length, 3);
    assert.ok(finding(result, 'repeat-domestic-abuse')?.eventIds.includes(events[0]!.id));
  });

  it('does not count the perpetrator’s incidents with someone outside the household', () => {
    const events = [
      ev('dan', monthsAgo(1)),
      ev('dan', monthsAgo(2)),
      ev('dan', monthsAgo(3), { role: 'perpetrator', victimIds: ['someone-else'] }, FATHER),
    ];
    assert.equal(finding(assess(events), 'repeat-domestic-abuse'), undefined);
  });

  it('ignores events after the assessment date and repeated ids', () => {
    const twice = ev('dan', monthsAgo(1));
    const events = [twice, twice, ev('dan', monthsAgo(2)), ev('dan', new Date(AS_OF.getTime() + 1))];
    assert.equal(finding(assess(events), 'repeat-domestic-abuse'), undefined);
  });

  it('can be switched off', () => {
    const config = createRiskRulesConfig({ repeatIncidents: { enabled: false } });
    const events = [ev('dan', monthsAgo(1)), ev('dan', monthsAgo(2)), ev('dan', monthsAgo(3))];
    assert.equal(finding(assess(events, { config }), 'repeat-domestic-abuse'), undefined);
  });
});

describe('accumulating-lower-grades (chronic risk)', () => {
  windowEdgeTests('accumulating-lower-grades', 24, (edge) => ({
    events: [
      ev('dan', monthsAgo(2), { riskGrade: 'standard' }),
      ev('dan', monthsAgo(14), { riskGrade: 'medium' }),
      ev('dan', monthsAgo(18), { riskGrade: 'standard' }),
      ev('dan', edge, { riskGrade: 'standard' }),
    ],
  }));

  it('does not count high-graded or ungraded incidents', () => {
    const events = [
      ev('dan', monthsAgo(2), { riskGrade: 'standard' }),
      ev('dan', monthsAgo(14), { riskGrade: 'medium' }),
      ev('dan', monthsAgo(18), { riskGrade: 'high' }),
      ev('dan', monthsAgo(20)),
    ];
    assert.equal(finding(assess(events), 'accumulating-lower-grades'), undefined);
  });

  it('supports medium on its own', () => {
    const events = [13, 16, 19, 22].map((m) => ev('dan', monthsAgo(m), { riskGrade: 'standard' }));
    const result = assess(events);
    assert.equal(finding(result, 'accumulating-lower-grades')?.impliedLevel, 'medium');
    assert.equal(result.level, 'medium');
  });
});

describe('child-reported-abuse', () => {
  windowEdgeTests('child-reported-abuse', 24, (edge) => ({
    events: [ev('dan', edge, { reportedBy: 'child' })],
  }));

  it('does not fire when someone else called', () => {
    assert.equal(
      finding(assess([ev('dan', monthsAgo(1), { reportedBy: 'neighbour' })]), 'child-reported-abuse'),
      undefined,
    );
  });
});

describe('repeat-contacts', () => {
  windowEdgeTests('repeat-contacts', 12, (edge) => ({
    events: [ev('contact', monthsAgo(1)), ev('referral', monthsAgo(4)), ev('contact', edge)],
  }));

  it('counts a DAN and a contact about the same incident once, and only the child’s own contacts', () => {
    const events = [
      ev('dan', monthsAgo(1), { incidentRef: 'INC-9' }),
      ev('contact', monthsAgo(1), { incidentRef: 'INC-9' }),
      ev('contact', monthsAgo(2)),
      ev('contact', monthsAgo(3), {}, MOTHER),
    ];
    assert.equal(finding(assess(events), 'repeat-contacts'), undefined);
  });
});

describe('re-referral after closure', () => {
  const closedAt = monthsAgo(14);
  const closure = DateTime.fromJSDate(closedAt, { zone: ZONE });

  it('fires for a contact exactly 12 months after closure', () => {
    const events = [ev('case-closure', closedAt), ev('contact', closure.plus({ months: 12 }).toJSDate())];
    assert.deepEqual(
      finding(assess(events), 're-referral')?.eventIds,
      events.map((e) => e.id),
    );
  });

  it('fires for a contact one day inside the 12 months', () => {
    const events = [
      ev('case-closure', closedAt),
      ev('contact', closure.plus({ months: 12, days: -1 }).toJSDate()),
    ];
    assert.ok(finding(assess(events), 're-referral'));
  });

  it('does not fire for a contact one day after the 12 months', () => {
    const events = [
      ev('case-closure', closedAt),
      ev('contact', closure.plus({ months: 12, days: 1 }).toJSDate()),
    ];
    assert.equal(finding(assess(events), 're-referral'), undefined);
  });

  it('does not fire for contacts before the closure', () => {
    const events = [ev('contact', monthsAgo(15)), ev('case-closure', closedAt)];
    assert.equal(finding(assess(events), 're-referral'), undefined);
  });
});

describe('perpetrator-other-victims', () => {
  it('fires on an incident, however old, in which the household perpetrator harmed someone else', () => {
    const other = ev(
      'dan',
      monthsAgo(60),
      { perpetratorIds: [FATHER], victimIds: ['former-partner'] },
      'former-partner',
    );
    const result = assess([other]);
    assert.deepEqual(finding(result, 'perpetrator-other-victims')?.eventIds, [other.id]);
  });

  it('fires on a recorded indicator such as a DASH answer', () => {
    const disclosed = mothersAssessment(monthsAgo(2), { indicators: ['other-victims'] });
    assert.ok(finding(assess([disclosed]), 'perpetrator-other-victims'));
  });

  it('does not fire for incidents within the household, or without a known perpetrator', () => {
    const inside = ev('dan', monthsAgo(2), { perpetratorIds: [FATHER], victimIds: [MOTHER] }, MOTHER);
    assert.equal(finding(assess([inside]), 'perpetrator-other-victims'), undefined);
    const other = ev(
      'dan',
      monthsAgo(2),
      { perpetratorIds: [FATHER], victimIds: ['former-partner'] },
      'former-partner',
    );
    assert.equal(
      finding(assess([other], { adults: [{ id: MOTHER, role: 'victim' }] }), 'perpetrator-other-victims'),
      undefined,
    );
  });

  const config = createRiskRulesConfig({ perpetratorOtherVictims: { windowMonths: 12 } });
  windowEdgeTests('perpetrator-other-victims', 12, (edge) => ({
    events: [ev('dan', edge, { role: 'perpetrator', victimIds: ['former-partner'] }, FATHER)],
    options: { config },
  }));
});

describe('adult indicators', () => {
  windowEdgeTests('adult-substance-misuse', 12, (edge) => ({
    events: [ev('adult-risk-indicator', edge, { indicators: ['substance-misuse'] }, FATHER)],
  }));

  windowEdgeTests('adult-mental-health', 12, (edge) => ({
    events: [ev('adult-risk-indicator', edge, { indicators: ['mental-health'] }, MOTHER)],
  }));

  windowEdgeTests('breach-of-bail-or-order', 12, (edge) => ({
    events: [ev('bail-or-order-breach', edge, {}, FATHER)],
  }));

  it('reads breaches recorded as indicators too, and each supports medium', () => {
    const result = assess([
      ev('probation-event', monthsAgo(3), { indicators: ['breach-of-bail-or-order'] }, FATHER),
    ]);
    assert.equal(finding(result, 'breach-of-bail-or-order')?.impliedLevel, 'medium');
    assert.equal(result.level, 'medium');
  });

  it('ignores a breach by someone outside the household', () => {
    assert.equal(
      finding(assess([ev('bail-or-order-breach', monthsAgo(1), {}, 'stranger')]), 'breach-of-bail-or-order'),
      undefined,
    );
  });
});

describe('child-under-one', () => {
  it('fires for a baby one day short of their first birthday', () => {
    const result = assess([], { child: { dateOfBirth: edges(12).oneDayInside } });
    assert.equal(finding(result, 'child-under-one')?.impliedLevel, 'medium');
  });

  it('does not fire on the first birthday itself, or after', () => {
    assert.equal(
      finding(assess([], { child: { dateOfBirth: edges(12).atBoundary } }), 'child-under-one'),
      undefined,
    );
    assert.equal(
      finding(assess([], { child: { dateOfBirth: edges(12).oneDayOutside } }), 'child-under-one'),
      undefined,
    );
  });

  it('fires for an unborn child', () => {
    const result = assess([], { child: { expectedDateOfBirth: new Date('2025-09-01T00:00:00Z') } });
    assert.equal(finding(result, 'child-under-one')?.title, 'Unborn baby');
  });

  it('does not fire when the age is unknown', () => {
    assert.equal(finding(assess([]), 'child-under-one'), undefined);
  });
});

describe('child-disability', () => {
  it('fires only for a child recorded as disabled', () => {
    assert.ok(finding(assess([], { child: { hasDisability: true } }), 'child-disability'));
    assert.equal(finding(assess([], { child: { hasDisability: false } }), 'child-disability'), undefined);
  });
});

describe('missed-health-appointments', () => {
  windowEdgeTests('missed-health-appointments', 6, (edge) => ({
    events: [ev('missed-health-appointment', monthsAgo(1)), ev('missed-health-appointment', edge)],
  }));

  it('does not fire on one missed appointment, or on an adult’s', () => {
    const events = [
      ev('missed-health-appointment', monthsAgo(1)),
      ev('missed-health-appointment', monthsAgo(2), {}, MOTHER),
    ];
    assert.equal(finding(assess(events), 'missed-health-appointments'), undefined);
  });
});

describe('custody-episodes', () => {
  windowEdgeTests('custody-episodes', 12, (edge) => ({
    events: [ev('custody-episode', edge)],
  }));

  it('says when the school was not told (F29)', () => {
    const events = [
      ev('custody-episode', monthsAgo(2), { schoolInformed: false }),
      ev('custody-episode', monthsAgo(1), { schoolInformed: true }),
    ];
    assert.match(finding(assess(events), 'custody-episodes')!.explanation, /school was not told about 1\b/);
    const untold = [ev('custody-episode', monthsAgo(2), { schoolInformed: false })];
    assert.match(finding(assess(untold), 'custody-episodes')!.explanation, /not told about any of them/);
  });
});

describe('school-absence-or-exclusion', () => {
  windowEdgeTests('school-absence-or-exclusion', 12, (edge) => ({
    events: [ev('school-exclusion', edge)],
  }));

  it('counts absence below the attendance threshold only', () => {
    assert.equal(
      finding(
        assess([ev('school-absence', monthsAgo(1), { attendancePercent: 95 })]),
        'school-absence-or-exclusion',
      ),
      undefined,
    );
    assert.equal(
      finding(
        assess([ev('school-absence', monthsAgo(1), { attendancePercent: 90 })]),
        'school-absence-or-exclusion',
      ),
      undefined,
    );
    assert.ok(
      finding(
        assess([ev('school-absence', monthsAgo(1), { attendancePercent: 89.9 })]),
        'school-absence-or-exclusion',
      ),
    );
    assert.ok(finding(assess([ev('school-absence', monthsAgo(1))]), 'school-absence-or-exclusion'));
  });
});

describe('recorded-level-below-score (F4)', () => {
  windowEdgeTests('recorded-level-below-score', 12, (edge) => ({
    events: [mothersAssessment(edge, { instrumentScore: 15, riskGrade: 'medium' })],
  }));

  it('fires when the level recorded on the assessment is below its score band, implying that band', () => {
    const assessment = mothersAssessment(monthsAgo(1), { instrumentScore: 15, riskGrade: 'medium' });
    const result = assess([assessment]);
    const f = finding(result, 'recorded-level-below-score');
    assert.equal(f?.impliedLevel, 'high');
    assert.deepEqual(f?.eventIds, [assessment.id]);
    assert.equal(result.level, 'high');
  });

  it('fires when a later DAN or decision records a lower level than the score supports', () => {
    const assessment = mothersAssessment(monthsAgo(2), { instrumentScore: 11, riskGrade: 'medium' });
    const decision = ev('decision', monthsAgo(1), { riskGrade: 'standard' });
    assert.deepEqual(finding(assess([assessment, decision]), 'recorded-level-below-score')?.eventIds, [
      assessment.id,
      decision.id,
    ]);
  });

  it('does not fire when the recorded level matches or exceeds the band', () => {
    const matches = mothersAssessment(monthsAgo(1), { instrumentScore: 15, riskGrade: 'high' });
    const raised = mothersAssessment(monthsAgo(1), { instrumentScore: 5, riskGrade: 'medium' });
    assert.equal(finding(assess([matches]), 'recorded-level-below-score'), undefined);
    assert.equal(finding(assess([raised]), 'recorded-level-below-score'), undefined);
  });

  it('uses the partnership bands', () => {
    const config = createRiskRulesConfig({ bands: { mediumFrom: 8, highFrom: 12 } });
    const assessment = mothersAssessment(monthsAgo(1), { instrumentScore: 12, riskGrade: 'medium' });
    assert.equal(finding(assess([assessment]), 'recorded-level-below-score'), undefined);
    assert.ok(finding(assess([assessment], { config }), 'recorded-level-below-score'));
  });
});

describe('no-safety-plan', () => {
  windowEdgeTests('no-safety-plan', 12, (edge) => ({
    events: [ev('dan', monthsAgo(1)), ev('dan', edge)],
  }));

  it('fires for a single incident graded medium or above', () => {
    assert.ok(finding(assess([ev('dan', monthsAgo(1), { riskGrade: 'medium' })]), 'no-safety-plan'));
    assert.equal(
      finding(assess([ev('dan', monthsAgo(1), { riskGrade: 'standard' })]), 'no-safety-plan'),
      undefined,
    );
  });

  it('is satisfied by a safety plan for the child or the adult victim within the window', () => {
    const incidents = [ev('dan', monthsAgo(1)), ev('dan', monthsAgo(2))];
    assert.equal(
      finding(assess([...incidents, ev('safety-plan', monthsAgo(11), {}, MOTHER)]), 'no-safety-plan'),
      undefined,
    );
    assert.ok(
      finding(assess([...incidents, ev('safety-plan', monthsAgo(13), {}, MOTHER)]), 'no-safety-plan'),
    );
  });

  it('is a practice gap that does not raise the level by itself', () => {
    const result = assess([
      ev('dan', monthsAgo(1), { riskGrade: 'standard' }),
      ev('dan', monthsAgo(2), { riskGrade: 'standard' }),
    ]);
    assert.equal(finding(result, 'no-safety-plan')?.kind, 'practice');
    assert.equal(result.level, 'standard');
  });
});

describe('social-worker-changes', () => {
  windowEdgeTests('social-worker-changes', 12, (edge) => ({
    events: [
      ev('social-worker-change', monthsAgo(1)),
      ev('social-worker-change', monthsAgo(5)),
      ev('social-worker-change', edge),
    ],
  }));

  it('is a practice gap that does not raise the level by itself', () => {
    const events = [1, 2, 3].map((m) => ev('social-worker-change', monthsAgo(m)));
    const result = assess(events);
    assert.equal(finding(result, 'social-worker-changes')?.impliedLevel, null);
    assert.equal(result.level, 'standard');
  });
});

describe('overall level', () => {
  it('is never below the latest recorded level', () => {
    const result = assess([ev('dan', monthsAgo(1), { riskGrade: 'high' })]);
    assert.equal(result.level, 'high');
    assert.equal(result.raisedAboveLatestRecorded, false);
    assert.equal(result.latestRecorded?.level, 'high');
  });

  it('takes the most recent recorded level, not the highest', () => {
    const result = assess([
      ev('dan', monthsAgo(3), { riskGrade: 'high' }),
      ev('decision', monthsAgo(1), { riskGrade: 'standard' }),
    ]);
    assert.equal(result.latestRecorded?.level, 'standard');
  });

  it('raises to high when four separate concerns each support medium, and says so', () => {
    const events = [
      ev('adult-risk-indicator', monthsAgo(1), { indicators: ['substance-misuse'] }, FATHER),
      ev('adult-risk-indicator', monthsAgo(1), { indicators: ['mental-health'] }, MOTHER),
      ev('custody-episode', monthsAgo(2)),
      ev('school-exclusion', monthsAgo(3)),
      ev('dan', monthsAgo(4), { riskGrade: 'standard' }),
    ];
    const result = assess(events);
    assert.equal(result.level, 'high');
    const together = finding(result, 'multiple-concerns');
    assert.ok(together);
    assert.equal(together.eventIds.length, 4);
    assert.ok(finding(result, 'recorded-level-below-history'));
    assert.equal(result.minimumResponse.code, 'strategy-discussion');
  });

  it('stays at medium with three such concerns', () => {
    const events = [
      ev('adult-risk-indicator', monthsAgo(1), { indicators: ['substance-misuse'] }, FATHER),
      ev('custody-episode', monthsAgo(2)),
      ev('school-exclusion', monthsAgo(3)),
    ];
    const result = assess(events);
    assert.equal(result.level, 'medium');
    assert.equal(finding(result, 'multiple-concerns'), undefined);
    assert.equal(result.minimumResponse.code, 'child-in-need-assessment');
    assert.equal(result.latestRecorded, undefined);
    assert.match(result.summary, /No risk level has been recorded yet/);
  });

  it('is standard with no findings for an empty chronology', () => {
    const result = assess([]);
    assert.equal(result.level, 'standard');
    assert.deepEqual(result.findings, []);
    assert.equal(result.minimumResponse.code, 'early-help');
    assert.equal(result.marac.meetsCriteria, false);
  });
});

describe('MARAC criteria', () => {
  const input = (events: ChronologyEvent[]) => ({
    child: { id: CHILD },
    adults: ADULTS,
    events,
    asOf: AS_OF,
  });
  const criterion = (events: ChronologyEvent[], id: string) =>
    checkMaracCriteria(input(events)).criteria.find((c) => c.id === id)!;
  /** Whether a criterion is met by one assessment of the mother, and nothing else on record. */
  const metByAssessment = (id: string, occurredAt: Date, data: ChronologyEventData) =>
    criterion([mothersAssessment(occurredAt, data)], id).met;

  it('visible high risk at a score of 14, not 13', () => {
    assert.equal(metByAssessment('visible-high-risk', monthsAgo(1), { instrumentScore: 14 }), true);
    assert.equal(metByAssessment('visible-high-risk', monthsAgo(1), { instrumentScore: 13 }), false);
  });

  it('visible high risk only from an assessment within the window', () => {
    const { atBoundary, oneDayOutside } = edges(12);
    assert.equal(metByAssessment('visible-high-risk', atBoundary, { instrumentScore: 16 }), true);
    assert.equal(metByAssessment('visible-high-risk', oneDayOutside, { instrumentScore: 16 }), false);
  });

  it('professional judgement when the assessor judged high above the score band', () => {
    assert.equal(
      metByAssessment('professional-judgement', monthsAgo(1), { instrumentScore: 9, riskGrade: 'high' }),
      true,
    );
    assert.equal(
      metByAssessment('professional-judgement', monthsAgo(1), { instrumentScore: 15, riskGrade: 'high' }),
      false,
    );
  });

  it('potential escalation on 3 incidents in 12 months', () => {
    const events = [ev('dan', monthsAgo(1)), ev('dan', monthsAgo(2)), ev('dan', edges(12).atBoundary)];
    assert.equal(criterion(events, 'potential-escalation').met, true);
    assert.equal(criterion(events.slice(0, 2), 'potential-escalation').met, false);
  });

  describe('repeat within 12 months of the last MARAC referral', () => {
    const referredAt = monthsAgo(13);
    const referral = DateTime.fromJSDate(referredAt, { zone: ZONE });
    const maracEvent = () =>
      ev('marac-referral', referredAt, { victimIds: [MOTHER], perpetratorIds: [FATHER] }, MOTHER);

    it('is met by an incident exactly 12 months after the referral', () => {
      const events = [
        maracEvent(),
        ev('dan', referral.plus({ months: 12 }).toJSDate(), { victimIds: [MOTHER] }, MOTHER),
      ];
      const c = criterion(events, 'repeat');
      assert.equal(c.met, true);
      assert.deepEqual(
        c.eventIds,
        events.map((e) => e.id),
      );
    });

    it('is met one day inside and not one day outside the 12 months', () => {
      assert.equal(
        criterion([maracEvent(), ev('dan', referral.plus({ months: 12, days: -1 }).toJSDate())], 'repeat')
          .met,
        true,
      );
      assert.equal(
        criterion([maracEvent(), ev('dan', referral.plus({ months: 12, days: 1 }).toJSDate())], 'repeat').met,
        false,
      );
    });

    it('is not met by an incident involving a different victim', () => {
      const events = [
        maracEvent(),
        ev('dan', referral.plus({ months: 2 }).toJSDate(), {
          victimIds: ['someone-else'],
          relatedPersonIds: [CHILD],
        }),
      ];
      assert.equal(criterion(events, 'repeat').met, false);
    });

    it('is not met without a previous referral', () => {
      assert.equal(criterion([ev('dan', monthsAgo(1))], 'repeat').met, false);
    });
  });

  it('is reported in the cumulative result and summary', () => {
    const result = assess([ev('dan', monthsAgo(1)), ev('dan', monthsAgo(2)), ev('dan', monthsAgo(3))]);
    assert.equal(result.marac.meetsCriteria, true);
    assert.match(result.summary, /MARAC criteria met: potential escalation/);
  });
});

describe('configuration', () => {
  it('merges overrides one rule deep and leaves the defaults alone', () => {
    const config = createRiskRulesConfig({ missedHealthAppointments: { count: 3 } });
    assert.equal(config.missedHealthAppointments.count, 3);
    assert.equal(config.missedHealthAppointments.windowMonths, 6);
    assert.equal(DEFAULT_RISK_RULES_CONFIG.missedHealthAppointments.count, 2);
    assert.ok(Object.isFrozen(DEFAULT_RISK_RULES_CONFIG.repeatIncidents));
  });

  it('rejects impossible thresholds', () => {
    assert.throws(() => createRiskRulesConfig({ repeatIncidents: { count: 0 } }), RangeError);
    assert.throws(() => createRiskRulesConfig({ custodyEpisodes: { windowMonths: 1.5 } }), RangeError);
    assert.throws(() => createRiskRulesConfig({ bands: { mediumFrom: 10, highFrom: 10 } }), RangeError);
  });

  it('lets a partnership make a practice gap raise the level', () => {
    const config = createRiskRulesConfig({ noSafetyPlan: { raisesTo: 'medium' } });
    const result = assess([ev('dan', monthsAgo(1), { riskGrade: 'standard' }), ev('dan', monthsAgo(2))], {
      config,
    });
    assert.equal(result.level, 'medium');
  });
});

describe('checkEventDate', () => {
  const now = AS_OF;
  const dateOfBirth = new Date('2020-01-01T00:00:00Z');

  it('rejects a future date and a date before birth unless pre-birth', () => {
    assert.equal(checkEventDate(new Date(now.getTime() + 1), { now })?.field, 'occurredAt');
    assert.equal(checkEventDate(new Date('2019-12-31T00:00:00Z'), { now, dateOfBirth })?.field, 'occurredAt');
    assert.equal(
      checkEventDate(new Date('2019-12-31T00:00:00Z'), { now, dateOfBirth, preBirth: true }),
      null,
    );
    assert.equal(checkEventDate(now, { now, dateOfBirth }), null);
    assert.equal(checkEventDate(new Date(Number.NaN), { now })?.field, 'occurredAt');
  });
});
