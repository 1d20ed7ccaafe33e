import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addYears,
  childRecordDueOn,
  contactDueOn,
  isDue,
  latestDueBirthDate,
  type RetentionRules,
} from '../../src/domain/retention.ts';

const RULES: RetentionRules = {
  childRecordUntilAge: 25,
  longRetentionYears: 75,
  longRetentionEventTypes: ['child-protection-plan'],
  noFurtherActionContactYears: 6,
};

describe('retention rules', () => {
  it('adds whole years, moving 29 February to 28 February in a year without one', () => {
    assert.equal(addYears('2000-06-01', 25), '2025-06-01');
    assert.equal(addYears('2004-02-29', 1), '2005-02-28');
    assert.equal(addYears('2004-02-29', 4), '2008-02-29');
    assert.equal(addYears('2026-12-31', -6), '2020-12-31');
    assert.equal(addYears('2026-01-01', 0), '2026-01-01');
  });

  it('keeps a child’s record to the 25th birthday, or 75 years under the long rule', () => {
    assert.equal(childRecordDueOn('2001-12-02', false, RULES), '2026-12-02');
    assert.equal(childRecordDueOn('2001-12-02', true, RULES), '2076-12-02');
    assert.equal(childRecordDueOn('2001-12-02', false, { ...RULES, childRecordUntilAge: 21 }), '2022-12-02');
  });

  it('keeps a no-further-action contact the configured years after it closed', () => {
    assert.equal(contactDueOn('2020-12-02', RULES), '2026-12-02');
    assert.equal(contactDueOn('2020-12-02', { ...RULES, noFurtherActionContactYears: 0 }), '2020-12-02');
  });

  it('is due on its day and after, never the day before', () => {
    assert.equal(isDue('2026-12-02', '2026-12-01'), false);
    assert.equal(isDue('2026-12-02', '2026-12-02'), true);
    assert.equal(isDue('2026-12-02', '2027-01-01'), true);
  });

  it('bounds the candidate query by the shorter of the two child periods', () => {
    assert.equal(latestDueBirthDate('2026-12-02', RULES), '2001-12-02');
    assert.equal(latestDueBirthDate('2026-12-02', { ...RULES, longRetentionYears: 20 }), '2006-12-02');
    // A child born on the bound is due today; one born a day later is not.
    assert.equal(isDue(childRecordDueOn('2001-12-02', false, RULES), '2026-12-02'), true);
    assert.equal(isDue(childRecordDueOn('2001-12-03', false, RULES), '2026-12-02'), false);
  });
});
