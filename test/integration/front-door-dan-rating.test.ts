import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RiskLevel } from '../../src/domain/instruments/bands.ts';
import { buildServices } from '../../src/services.ts';
import { contextOf } from '../helpers/deps.ts';
import { problemFields, signedIn } from '../helpers/http.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { rowById, rowsWhere } from '../helpers/rows.ts';
import { apiKeyFor, contactPeople, danBody, postDan } from './front-door-fixtures.ts';

// Issue 12, "misleading": a DAN's own DASH is a risk assessment for every rule, check and routing.
let policeKey: string;

appPerFile({ now: '2026-03-03T10:00:00Z' }, async () => {
  policeKey = await apiKeyFor(deps, 'police');
});

const submit = (body: unknown) => postDan(app, policeKey, body);

/** A DAN whose completed DASH scored `dashScore`, with the officer's own grade (and reason for it). */
const rated = (reference: string, dashScore: number, officerRiskGrade: RiskLevel, gradeReason?: string) =>
  submit(
    danBody(
      {
        risk: {
          dashStatus: 'completed',
          dashScore,
          officerRiskGrade,
          ...(gradeReason ? { gradeReason } : {}),
        },
      },
      reference,
    ),
  );

const childrenOf = (contactId: string) => contactPeople(deps, contactId, 'child');

describe('a DAN is rated on the higher of its DASH band and the officer’s grade', () => {
  it('refuses a grade below the score’s band without the officer’s reason, naming the field', async () => {
    const response = await rated('NB/26/RATE-0', 16, 'standard');
    assert.equal(response.statusCode, 400, response.body);
    assert.deepEqual(problemFields(response), ['risk.gradeReason']);
    const written = await rowsWhere(deps.db, 'contact', { incident_ref: 'NB/26/RATE-0' });
    assert.equal(written.length, 0, 'nothing written');
  });

  it('rates and routes a score of 16 graded standard as high, red, to the MASH; the MARAC check sees the DASH', async () => {
    const response = await rated(
      'NB/26/RATE-1',
      16,
      'standard',
      'Victim minimised; I judged it standard at the scene.',
    );
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.rag, 'red', 'rated on the band (high), not the standard grade');
    assert.equal(body.route, 'mash', 'a standard grade alone would go to early help triage');
    const contact = await rowById(deps.db, 'contact', body.contactId);
    assert.equal(contact.risk_grade, 'high');

    const services = buildServices(deps);
    const worker = await contextOf(services.directory, 'front.door@harbour.example');
    const [childId] = await childrenOf(body.contactId);
    const summary = await services.risk.summaryFor(worker, childId!);
    const visible = summary.result.marac.criteria.find((c) => c.id === 'visible-high-risk')!;
    assert.equal(visible.met, true, visible.explanation);
    assert.match(visible.explanation, /scored 16/);
  });

  it('shows the screener a grade below the band with the officer’s reason', async () => {
    const response = await rated('NB/26/RATE-2', 15, 'medium', 'Suspect has left the area for work.');
    assert.equal(response.statusCode, 201, response.body);
    const { contactId } = response.json();
    const agent = await signedIn(app, 'front.door@harbour.example');
    const page = await agent.get(`/front-door/contacts/${contactId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /graded the risk medium, below the DASH score’s band \(high\)/);
    assert.match(page.body, /Suspect has left the area for work\./);
  });

  it('a grade raised above the band stands (judgement may raise, never lower)', async () => {
    const response = await rated('NB/26/RATE-3', 4, 'high');
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().rag, 'red');
  });
});
