import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_WORKING_CALENDAR } from '../../src/domain/calendar.ts';
import { checkStatus, workingDaysBefore } from '../../src/domain/safeguarding-check.ts';

describe('a safeguarding check’s deadline', () => {
  it('counts working days back from the court date, skipping a weekend', () => {
    // Friday 13 March 2026 → five working days before is Friday 6 March.
    assert.equal(workingDaysBefore('2026-03-13', 5, DEFAULT_WORKING_CALENDAR), '2026-03-06');
  });
  it('skips a bank holiday (Easter Monday 6 April 2026 and Good Friday 3 April 2026)', () => {
    // Wednesday 8 April 2026: back 3 working days = Tue 7, Thu 2, Wed 1 April.
    assert.equal(workingDaysBefore('2026-04-08', 3, DEFAULT_WORKING_CALENDAR), '2026-04-01');
  });
  it('says whether an answer was late, and whether an open check is overdue', () => {
    assert.equal(checkStatus({ dueBy: '2026-03-06', answeredOn: '2026-03-06' }, '2026-03-09'), 'answered');
    assert.equal(
      checkStatus({ dueBy: '2026-03-06', answeredOn: '2026-03-09' }, '2026-03-09'),
      'answered-late',
    );
    assert.equal(checkStatus({ dueBy: '2026-03-06', answeredOn: null }, '2026-03-06'), 'open');
    assert.equal(checkStatus({ dueBy: '2026-03-06', answeredOn: null }, '2026-03-07'), 'overdue');
  });
});
