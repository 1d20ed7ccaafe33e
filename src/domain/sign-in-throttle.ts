/**
 * Growing waits after failed sign-ins (decision 0011). Nothing is ever locked: after `freeFailures`
 * the next attempt must wait `firstDelaySeconds`, each further failure doubles the wait, and no
 * wait is longer than `maxDelaySeconds`. A counter quiet for `forgetAfterSeconds` starts again.
 */
export interface ThrottleRule {
  freeFailures: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
}

export interface ThrottleState {
  failures: number;
  lastFailureAt: Date;
  blockedUntil: Date | null;
}

/** How long to wait after the failure that brought the count to `failures`. */
export function delayAfterFailures(rule: ThrottleRule, failures: number): number {
  if (failures < rule.freeFailures) return 0;
  const doublings = Math.min(failures - rule.freeFailures, 30);
  return Math.min(rule.firstDelaySeconds * 2 ** doublings, rule.maxDelaySeconds);
}

/** The count to build on: a counter nobody has failed against for a while is forgotten. */
export function currentFailures(rule: ThrottleRule, state: ThrottleState | null, now: Date): number {
  if (!state) return 0;
  return now.getTime() - state.lastFailureAt.getTime() >= rule.forgetAfterSeconds * 1000 ? 0 : state.failures;
}

export function isWaiting(state: ThrottleState | null, now: Date): boolean {
  return state?.blockedUntil != null && state.blockedUntil.getTime() > now.getTime();
}

/** The state after one more failure at `now`. */
export function afterFailure(rule: ThrottleRule, state: ThrottleState | null, now: Date): ThrottleState {
  const failures = currentFailures(rule, state, now) + 1;
  const delay = delayAfterFailures(rule, failures);
  return {
    failures,
    lastFailureAt: now,
    blockedUntil: delay > 0 ? new Date(now.getTime() + delay * 1000) : null,
  };
}
