import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';

/** The MASH duty line: the contact most flags raised as a test's set-up give. */
export const MASH_DUTY_LINE = 'Northbridge MASH duty line 01632 960000';

/**
 * Raises a flag on a person through the API with an owner's client, as a set-up step: the flag
 * must be accepted (201). Returns the new flag's id.
 */
export async function raiseFlag(
  owner: { post(url: string, body: unknown): Promise<LightMyRequestResponse> },
  personId: string,
  flag: { type: string; start: string; contact?: string },
): Promise<string> {
  const response = await owner.post(`/api/v1/people/${personId}/flags`, { contact: MASH_DUTY_LINE, ...flag });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().id;
}
