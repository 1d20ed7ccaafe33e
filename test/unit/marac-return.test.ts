import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvOfReturn } from '../../src/modules/marac/return-csv.ts';
import { returnPage } from '../../src/modules/marac/return-page.ts';

// Every figure different, so a measure reading the wrong figure shows.
const figures = {
  cases: 21,
  repeats: 7,
  repeatPercent: 33.3,
  children: 34,
  policeReferrals: 12,
  nonPoliceReferrals: 9,
  referralsByAgencyKind: { health: 4, idva_service: 5, police: 12 },
  bme: 3,
  lgbt: 2,
  disability: 5,
  maleVictims: 6,
  victimsAged16To17: 1,
  perpetratorsUnder18: 8,
  from: '2026-01-01',
  to: '2026-04-01',
};

describe('the SafeLives return as CSV and page', () => {
  it('writes the CSV with the referrals by agency between the case and the people measures', () => {
    assert.equal(
      csvOfReturn('2026-Q1', figures),
      [
        'measure,value',
        'quarter,2026-Q1',
        'cases,21',
        'repeat_cases,7',
        'repeat_percent,33.3',
        'children_in_households,34',
        'police_referrals,12',
        'non_police_referrals,9',
        'referrals_health,4',
        'referrals_idva_service,5',
        'referrals_police,12',
        'bme_victims,3',
        'lgbt_victims,2',
        'victims_with_disability,5',
        'male_victims,6',
        'victims_aged_16_17,1',
        'perpetrators_under_18,8',
        '',
      ].join('\n'),
    );
  });

  it('shows the page rows with the repeat percentage beside the repeat cases', () => {
    const page = returnPage('2026-Q1', 'area-1', figures);
    assert.deepEqual(
      page.rows.map((r) => [r.key.text, r.value.text]),
      [
        ['Cases', 21],
        ['Repeat cases', '7 (33.3%)'],
        ['Children in the households', 34],
        ['Police referrals', 12],
        ['Referrals from other agencies', 9],
        ['Black, Asian or minority ethnic victims', 3],
        ['LGBT victims', 2],
        ['Victims with a disability', 5],
        ['Male victims', 6],
        ['Victims aged 16 or 17', 1],
        ['Perpetrators under 18', 8],
      ],
    );
    assert.equal(page.title, 'SafeLives data return 2026-Q1');
    assert.deepEqual(page.byAgency, [
      ['health', 4],
      ['idva_service', 5],
      ['police', 12],
    ]);
  });
});
