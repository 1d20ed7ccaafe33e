import type { Generated } from 'kysely';
import type { Timestamp } from './common.ts';

export interface SignInThrottleTable {
  kind: 'account' | 'address';
  key: string;
  failures: number;
  first_failure_at: Timestamp;
  last_failure_at: Timestamp;
  last_attempt_at: Timestamp;
  blocked_until: Timestamp | null;
}

export interface UserMfaTable {
  user_id: string;
  totp_secret: string;
  last_time_step: string | number | null;
  enrolled_at: Timestamp;
}

export interface UserRecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  created_at: Timestamp;
  used_at: Timestamp | null;
}

export interface SignInTables {
  sign_in_throttle: SignInThrottleTable;
  user_mfa: UserMfaTable;
  user_recovery_code: UserRecoveryCodeTable;
}
