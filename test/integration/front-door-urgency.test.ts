import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createWorkingCalendar } from '../../src/domain/calendar.ts';
import { DEFAULT_FRONT_DOOR_TIMESCALES } from '../../src/domain/clock.ts';
import { ratingOrderProblems } from '../../src/domain/rating-order.ts';
import { signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { apiKeyFor, danBody, postDan } from './front-door-fixtures.ts';

// Issue 12, "misleading": red was due after green, and the queue put it below.
let policeKey: string;

appPerFile({}, async () => {
  policeKey = await apiKeyFor(deps, 'police');
});

const submit = (body: unknown) => postDan(app, policeKey, body);

describe('no rating is due later than a less urgent one received at the same moment', () => {
  it('at 22:00 on a Monday a red DAN is due before a green one, and the queue lists it first by default', async () => {
    deps.setNow(new Date('2026-03-09T22:00:00Z')); // Monday 22:00 in the UK (GMT)
    const green = await submit(
      danBody(
        { risk: { dashStatus: 'completed', dashScore: 2, officerRiskGrade: 'standard' } },
        'NB/26/URG-G',
      ),
    );
    assert.equal(green.statusCode, 201, green.body);
    assert.equal(green.json().rag, 'green');
    const red = await submit(
      danBody({ risk: { dashStatus: 'completed', dashScore: 18, officerRiskGrade: 'high' } }, 'NB/26/URG-R'),
    );
    assert.equal(red.statusCode, 201, red.body);
    assert.equal(red.json().rag, 'red');
    assert.ok(
      new Date(red.json().decisionDueAt).getTime() <= new Date(green.json().decisionDueAt).getTime(),
      `red due ${red.json().decisionDueAt}, green due ${green.json().decisionDueAt}`,
    );

    const worker = await signedIn(app, 'front.door@harbour.example');
    const queue = await worker.get('/front-door');
    assert.equal(queue.statusCode, 200);
    const redAt = queue.body.indexOf(`/front-door/contacts/${red.json().contactId}`);
    const greenAt = queue.body.indexOf(`/front-door/contacts/${green.json().contactId}`);
    assert.ok(redAt > 0 && greenAt > 0, 'both on the first page');
    assert.ok(redAt < greenAt, 'the red is listed above the green');
  });

  it('refuses, on load, a configuration whose red decision could fall due after green, saying why', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'harbour-partnership-'));
    const file = path.join(dir, 'partnership.json');
    writeFileSync(
      file,
      JSON.stringify({ frontDoor: { timescales: { decision: { red: { amount: 24, unit: 'hours' } } } } }),
    );
    assert.throws(
      () => loadConfig({ HARBOUR_PARTNERSHIP_FILE: file }, dir),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(
          String((error as Error).message),
          /frontDoor\/timescales\/decision: red \(24 hours\) would be due after amber/,
        );
        return true;
      },
    );
    const office = createWorkingCalendar();
    assert.deepEqual(
      ratingOrderProblems(DEFAULT_FRONT_DOOR_TIMESCALES, office),
      [],
      'the defaults keep the order',
    );
    writeFileSync(file, JSON.stringify({}));
    assert.doesNotThrow(
      () => loadConfig({ HARBOUR_PARTNERSHIP_FILE: file }, dir),
      'the defaults keep the order',
    );
  });
});
