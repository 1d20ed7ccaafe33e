import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSchoolDate, nextSchoolDayStart } from '../../src/domain/calendar.ts';
import {
  areaSchoolCalendar,
  escalationStage,
  isSchoolAge,
  noticeAddressee,
  phaseFromName,
  releaseDeadline,
  type SchoolAgeRule,
  schoolFromGiasRow,
} from '../../src/domain/encompass.ts';

/** Operation Encompass's pure rules: who is of school age, who is told, and by when. */

describe('school age: reception to 17', () => {
  /** A child born on one day, a day, and whether they are of school age then (by the rule given, else the default). */
  type SchoolAgeCase = [born: string, on: string, schoolAge: boolean, rule?: SchoolAgeRule];
  const assertSchoolAge = (cases: SchoolAgeCase[]) => {
    for (const [born, on, schoolAge, rule] of cases)
      assert.equal(isSchoolAge(born, on, rule), schoolAge, `born ${born}, on ${on}`);
  };

  it('starts in the school year after the fourth birthday (31 August cut-off)', () => {
    assertSchoolAge([
      // Born 31 August 2022: 4 on 31 August 2026, so in reception from September 2026.
      ['2022-08-31', '2026-09-10', true],
      // Born 1 September 2022: not 4 until the new school year has begun, so not until September 2027.
      ['2022-09-01', '2026-09-10', false],
      ['2022-09-01', '2027-09-06', true],
      // Before September the same child born in August 2022 is still in nursery.
      ['2022-08-31', '2026-08-30', false],
    ]);
  });

  it('ends at 17: an 18th birthday ends it', () => {
    assertSchoolAge([
      ['2009-03-01', '2027-02-28', true],
      ['2009-03-01', '2027-03-01', false],
    ]);
  });

  it('a baby, or a child not yet born, is never of school age; the rule is configurable', () => {
    assertSchoolAge([
      ['2026-06-01', '2027-02-12', false],
      ['2028-01-01', '2027-02-12', false],
      ['2023-06-01', '2027-02-12', true, { receptionAgeOnAugust31: 3, maximumAge: 17 }],
      ['2008-06-01', '2027-02-12', true, { receptionAgeOnAugust31: 4, maximumAge: 18 }],
    ]);
    assert.throws(() => isSchoolAge('12/03/2017', '2027-02-12'), RangeError);
  });
});

describe('who is told', () => {
  const on = '2027-02-12';
  it('the school the notification names, else the school on the child’s record', () => {
    assert.deepEqual(
      noticeAddressee(
        { dateOfBirth: '2017-01-01', namedSchoolAgencyId: 's1', schoolOnRollAgencyIds: ['s2'] },
        on,
      ),
      {
        kind: 'school',
        schoolAgencyId: 's1',
        source: 'notification',
      },
    );
    assert.deepEqual(noticeAddressee({ dateOfBirth: '2017-01-01', schoolOnRollAgencyIds: ['s2'] }, on), {
      kind: 'school',
      schoolAgencyId: 's2',
      source: 'record',
    });
  });

  it('the local authority for a home-educated child, one with no school, or a school outside the partnership', () => {
    assert.deepEqual(
      noticeAddressee({ dateOfBirth: '2017-01-01', homeEducated: true, schoolOnRollAgencyIds: ['s2'] }, on),
      {
        kind: 'local-authority',
        reason: 'home-educated',
      },
    );
    assert.deepEqual(noticeAddressee({ dateOfBirth: '2017-01-01' }, on), {
      kind: 'local-authority',
      reason: 'no-school',
    });
    assert.deepEqual(
      noticeAddressee({ dateOfBirth: '2017-01-01', namedSchoolOutsidePartnership: true }, on),
      {
        kind: 'local-authority',
        reason: 'school-outside-partnership',
      },
    );
  });

  it('nobody for a child too young or too old, an unborn child, or one with nothing to say they are of school age', () => {
    assert.equal(noticeAddressee({ dateOfBirth: '2025-01-01', namedSchoolAgencyId: 's1' }, on), null);
    assert.equal(noticeAddressee({ dateOfBirth: '2008-01-01', namedSchoolAgencyId: 's1' }, on), null);
    assert.equal(noticeAddressee({ unborn: true, dateOfBirth: null, namedSchoolAgencyId: 's1' }, on), null);
    assert.equal(noticeAddressee({ dateOfBirth: null }, on), null);
    // No date of birth, but a school is named: the school says the child attends.
    assert.equal(noticeAddressee({ dateOfBirth: null, namedSchoolAgencyId: 's1' }, on)?.kind, 'school');
  });
});

describe('the school-day calendar: before the start of the next school day', () => {
  const spring = areaSchoolCalendar({
    dayStarts: '08:30',
    schoolDays: [1, 2, 3, 4, 5],
    terms: [
      { start: '2027-02-22', end: '2027-03-26' },
      { start: '2027-01-05', end: '2027-02-12' },
    ],
    insetDays: ['2027-03-01'],
    closures: [],
  });

  it('a Friday night before half term is due before the first day back', () => {
    assert.equal(
      nextSchoolDayStart(new Date('2027-02-12T23:30:00Z'), spring).toISOString(),
      '2027-02-22T08:30:00.000Z',
    );
    for (const day of ['2027-02-15', '2027-02-19', '2027-02-20'])
      assert.equal(isSchoolDate(day, spring), false, day);
  });

  it('a weekday evening is due the next morning; an early-morning incident the same morning', () => {
    assert.equal(
      nextSchoolDayStart(new Date('2027-02-09T19:00:00Z'), spring).toISOString(),
      '2027-02-10T08:30:00.000Z',
    );
    assert.equal(
      nextSchoolDayStart(new Date('2027-02-10T06:00:00Z'), spring).toISOString(),
      '2027-02-10T08:30:00.000Z',
    );
    assert.equal(
      nextSchoolDayStart(new Date('2027-02-10T08:30:00Z'), spring).toISOString(),
      '2027-02-11T08:30:00.000Z',
    );
  });

  it('an INSET day and a weekend are skipped; so is a bank holiday in term', () => {
    // Friday 26 February 2027, evening: Saturday, Sunday, then Monday 1 March is an INSET day.
    assert.equal(
      nextSchoolDayStart(new Date('2027-02-26T18:00:00Z'), spring).toISOString(),
      '2027-03-02T08:30:00.000Z',
    );
    const summer = areaSchoolCalendar({
      dayStarts: '08:45',
      schoolDays: [1, 2, 3, 4, 5],
      terms: [{ start: '2027-04-12', end: '2027-05-28' }],
      insetDays: [],
      closures: [],
    });
    // The early May bank holiday (Monday 3 May 2027); 08:45 BST is 07:45 UTC.
    assert.equal(
      nextSchoolDayStart(new Date('2027-04-30T20:00:00Z'), summer).toISOString(),
      '2027-05-04T07:45:00.000Z',
    );
  });
});

describe('review and escalation times', () => {
  const due = new Date('2027-02-22T08:30:00Z');
  it('a held notice is released before it is due', () => {
    assert.equal(releaseDeadline(due, 60).toISOString(), '2027-02-22T07:30:00.000Z');
  });
  it('escalates to the deputy, then the local authority, counting from the due time', () => {
    const rule = { deputyAfterMinutes: 30, localAuthorityAfterMinutes: 120 };
    assert.equal(escalationStage(due, new Date('2027-02-22T08:59:00Z'), rule), null);
    assert.equal(escalationStage(due, new Date('2027-02-22T09:00:00Z'), rule), 'deputy');
    assert.equal(escalationStage(due, new Date('2027-02-22T10:30:00Z'), rule), 'local-authority');
  });
});

describe('the DfE “Get Information about Schools” row', () => {
  const row = {
    URN: '100000',
    EstablishmentName: 'Lantern Lane Nursery School',
    'PhaseOfEducation (name)': 'Nursery',
    StatutoryLowAge: '2',
    StatutoryHighAge: '5',
    Postcode: 'nb3 2pl',
  };
  it('reads a valid row, nurseries and colleges included', () => {
    assert.deepEqual(schoolFromGiasRow(row), {
      urn: '100000',
      name: 'Lantern Lane Nursery School',
      phase: 'nursery',
      statutoryLowAge: 2,
      statutoryHighAge: 5,
      postcode: 'NB3 2PL',
    });
    assert.equal(phaseFromName('16 plus'), '16-plus');
    assert.equal(phaseFromName('all-through'), 'all-through');
  });
  it('names every problem of a bad row', () => {
    const problems = schoolFromGiasRow({
      ...row,
      URN: '12',
      'PhaseOfEducation (name)': 'Kindergarten',
      StatutoryHighAge: '1',
      Postcode: 'nowhere',
    });
    assert.ok(Array.isArray(problems));
    assert.equal(problems.length, 4, problems.join('; '));
  });
});
