/**
 * A fixed sequence in (0, 1) from `seed` (the Park–Miller generator), for the synthetic NHS
 * numbers and UPNs a test makes: the same values on every run, so a failure can be replayed.
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}
