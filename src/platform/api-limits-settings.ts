import Type from 'typebox';

/**
 * The `api` section of the partnership settings: how hard one partner system or one address may
 * call the JSON API (decision 10). Counted in the database, so the limits hold across instances.
 */
const Seconds = Type.Integer({ minimum: 1, maximum: 24 * 60 * 60 });

export const ApiLimitsSettingsSchema = Type.Object(
  {
    /** Requests one API key may make in a window; the next ones get 429 until the window ends. */
    perKey: Type.Object(
      {
        requests: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 600 }),
        windowSeconds: { ...Seconds, default: 60 },
      },
      { additionalProperties: false, default: {} },
    ),
    /**
     * Requests without a valid key (none, unknown or revoked) one address may make in a window.
     * Past it, every API request from that address gets 429 without touching the database, and the
     * window is also the one failed keys are audited in: one event when the first arrives, one
     * with the count when the window closes.
     */
    perAddress: Type.Object(
      {
        failedRequests: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 30 }),
        windowSeconds: { ...Seconds, default: 300 },
      },
      { additionalProperties: false, default: {} },
    ),
  },
  { additionalProperties: false, default: {} },
);
