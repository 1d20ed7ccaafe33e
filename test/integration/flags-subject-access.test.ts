import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildServices } from '../../src/services.ts';
import { latestAuditDetails } from '../helpers/audit-events.ts';
import { raiseFlag } from '../helpers/flags-api.ts';
import { app, appPerFile, deps } from '../helpers/per-file.ts';
import { api, apiKeyFor, household, principalFor } from './risk-helpers.ts';

appPerFile();

describe('flags in a subject access export', () => {
  it('lists every flag held about the person, ended ones too, with the owning agency, contact and who raised and ended it', async () => {
    const csc = api(app, await apiKeyFor(deps, 'northbridge-csc'));
    const family = await household(deps, 'northbridge', 2);
    await raiseFlag(csc, family.childId, { type: 'child-protection-plan', start: '2026-01-05' });
    const cin = await raiseFlag(csc, family.childId, { type: 'child-in-need', start: '2025-06-01' });
    const ended = await csc.post(`/api/v1/people/${family.childId}/flags/${cin}/end`, {
      end: '2026-01-04',
      reason: 'Stepped up to a child-protection plan',
    });
    assert.ok([200, 204].includes(ended.statusCode), ended.body);
    const dpo = await principalFor(deps, 'dpo@harbour.example');
    const exported = await buildServices(deps).subjectAccess.exportPerson(
      { principal: dpo },
      { personId: family.childId, reason: 'SAR-2026-031' },
    );
    const byType = new Map(exported.flags.map((f) => [f.type, f]));
    assert.deepEqual([...byType.keys()].sort(), ['child-in-need', 'child-protection-plan']);
    const cp = byType.get('child-protection-plan')!;
    assert.equal(cp.start, '2026-01-05');
    assert.equal(cp.end, null);
    assert.equal(cp.contact, 'Northbridge MASH duty line 01632 960000');
    assert.ok(cp.provenance.agency, 'the owning agency is named');
    const stepped = byType.get('child-in-need')!;
    assert.equal(stepped.end, '2026-01-04');
    assert.equal(stepped.endReason, 'Stepped up to a child-protection plan');
    assert.ok(stepped.ended?.at);
    const details = await latestAuditDetails(deps.db, 'person.subject-access-export');
    assert.equal(details.flags, 2);
  });
});
