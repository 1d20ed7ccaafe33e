import type { Timestamp } from './common.ts';

/** One row per rate-limit key (a namespace and an address or API key), for the current window. */
export interface RateLimitCounterTable {
  key: string;
  hits: number;
  expires_at: Timestamp;
}

/** Failed API authentications from one address for one reason in one window, audited as a count. */
export interface ApiAuthFailureTable {
  address: string;
  reason: string;
  window_started_at: Timestamp;
  window_ends_at: Timestamp;
  failures: number;
  first_request_id: string | null;
  last_path: string;
}

export interface RequestLimitTables {
  rate_limit_counter: RateLimitCounterTable;
  api_auth_failure: ApiAuthFailureTable;
}
