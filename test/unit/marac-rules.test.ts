import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agendaSlots, minutesState, orderAgenda } from '../../src/domain/marac/agenda.ts';
import { missingInformation, referralHistory } from '../../src/domain/marac/referral.ts';
import {
  isMinorityEthnic,
  quarterRange,
  type ReturnCase,
  safeLivesReturn,
} from '../../src/domain/marac/safelives.ts';

const at = (iso: string) => new Date(iso);

describe('referral history', () => {
  it('is a repeat within 12 calendar months of the last referral, whoever referred', () => {
    const earlier = [{ id: 'a', referredAt: at('2025-06-10T09:00:00Z'), open: false }];
    assert.equal(referralHistory(earlier, at('2026-06-10T08:00:00Z'), 12).repeatOf, 'a');
    assert.equal(referralHistory(earlier, at('2026-06-11T09:00:00Z'), 12).repeatOf, null);
  });
  it('names an open referral of the same victim as the one this duplicates', () => {
    const earlier = [
      { id: 'old', referredAt: at('2024-01-01T09:00:00Z'), open: false },
      { id: 'open', referredAt: at('2026-01-01T09:00:00Z'), open: true },
    ];
    assert.deepEqual(referralHistory(earlier, at('2026-02-01T09:00:00Z'), 12), {
      repeatOf: 'open',
      duplicateOf: 'open',
    });
  });
  it('lists what the coordinator must chase', () => {
    const facts = {
      forum: 'marac' as const,
      criterion: 'repeat',
      dashScore: null,
      hasAssessment: false,
      childCount: 1,
      perpetratorCount: 0,
      consent: 'not-given' as const,
      sharingReason: null,
    };
    assert.deepEqual(missingInformation(facts), [
      'DASH risk assessment',
      'perpetrator',
      'reason for sharing without consent',
    ]);
  });
});

describe('agenda', () => {
  const base = { level: null, dashScore: null, repeat: false, referredAt: at('2026-01-01T00:00:00Z') };
  it('puts repeats first, then the highest level and score, then the longest waiting', () => {
    const ordered = orderAgenda([
      { ...base, id: 'medium', level: 'medium' as const, dashScore: 12 },
      { ...base, id: 'high-16', level: 'high' as const, dashScore: 16 },
      { ...base, id: 'high-20', level: 'high' as const, dashScore: 20 },
      { ...base, id: 'repeat-medium', level: 'medium' as const, repeat: true },
      {
        ...base,
        id: 'high-20-older',
        level: 'high' as const,
        dashScore: 20,
        referredAt: at('2025-12-01T00:00:00Z'),
      },
    ]);
    assert.deepEqual(
      ordered.map((c) => c.id),
      ['repeat-medium', 'high-20-older', 'high-20', 'high-16', 'medium'],
    );
  });
  it('gives each case its slot at the configured minutes a case', () => {
    const slots = agendaSlots(['a', 'b', 'c'], at('2026-03-12T10:00:00Z'), 12);
    assert.deepEqual(
      slots.map((s) => [s.position, s.startsAt.toISOString()]),
      [
        [1, '2026-03-12T10:00:00.000Z'],
        [2, '2026-03-12T10:12:00.000Z'],
        [3, '2026-03-12T10:24:00.000Z'],
      ],
    );
  });
  it('says where the minutes stand against their deadline', () => {
    const due = at('2026-03-17T12:00:00Z');
    assert.equal(minutesState({ minutesDueAt: null, minutesPublishedAt: null }, due), 'not-due');
    assert.equal(
      minutesState({ minutesDueAt: due, minutesPublishedAt: null }, at('2026-03-16T12:00:00Z')),
      'due',
    );
    assert.equal(
      minutesState({ minutesDueAt: due, minutesPublishedAt: null }, at('2026-03-18T12:00:00Z')),
      'overdue',
    );
    assert.equal(
      minutesState({ minutesDueAt: due, minutesPublishedAt: at('2026-03-16T00:00:00Z') }, due),
      'published',
    );
    assert.equal(
      minutesState({ minutesDueAt: due, minutesPublishedAt: at('2026-03-18T00:00:00Z') }, due),
      'published-late',
    );
  });
});

describe('SafeLives return', () => {
  const c = (overrides: Partial<ReturnCase>): ReturnCase => ({
    repeat: false,
    childCount: 0,
    referringAgencyKind: 'police',
    victimSex: 'female',
    victimAge: 30,
    perpetratorAges: [35],
    bme: false,
    lgbt: false,
    disability: false,
    ...overrides,
  });
  it('counts minority ethnic victims from the person record’s ethnicity code', () => {
    for (const code of ['BAFR', 'APKN', 'MWBC', 'CHNE', 'WROM', 'WIRT'])
      assert.equal(isMinorityEthnic(code), true, code);
    for (const code of ['WBRI', 'WOTH', 'WIRI', 'REFU', 'NOBT', null])
      assert.equal(isMinorityEthnic(code), false, String(code));
  });
  it('matches the figures of a constructed set of eight cases', () => {
    const figures = safeLivesReturn([
      c({ repeat: true, childCount: 2 }),
      c({ childCount: 1, bme: true }),
      c({ referringAgencyKind: 'idva_service', repeat: true, lgbt: true }),
      c({ referringAgencyKind: 'idva_service', victimSex: 'male', childCount: 3 }),
      c({ referringAgencyKind: 'acute_trust', victimAge: 17, perpetratorAges: [17, 40] }),
      c({ referringAgencyKind: 'childrens_social_care', victimAge: 16, disability: true }),
      c({ victimAge: null, perpetratorAges: [null] }),
      c({ repeat: true, bme: true, disability: true, perpetratorAges: [16] }),
    ]);
    assert.deepEqual(figures, {
      cases: 8,
      repeats: 3,
      repeatPercent: 37.5,
      children: 6,
      policeReferrals: 4,
      nonPoliceReferrals: 4,
      referralsByAgencyKind: { acute_trust: 1, childrens_social_care: 1, idva_service: 2, police: 4 },
      bme: 2,
      lgbt: 1,
      disability: 2,
      maleVictims: 1,
      victimsAged16To17: 2,
      perpetratorsUnder18: 2,
    });
  });
  it('reports no cases as zero, not a division by zero', () => {
    assert.equal(safeLivesReturn([]).repeatPercent, 0);
  });
  it('turns a quarter into its dates', () => {
    assert.deepEqual(quarterRange('2026-Q4'), { from: '2026-10-01', to: '2027-01-01' });
    assert.deepEqual(quarterRange('2026-Q1'), { from: '2026-01-01', to: '2026-04-01' });
    assert.equal(quarterRange('2026-Q5'), null);
  });
});
