import type { Insertable, Selectable } from 'kysely';
import type { ActionTables } from './schema/actions.ts';
import type { ChronologyTables } from './schema/chronology.ts';
import type { DateString } from './schema/common.ts';
import type { EncompassTables } from './schema/encompass.ts';
import type { FlagTables } from './schema/flags.ts';
import type {
  AgencyTable,
  AppUserTable,
  AreaTable,
  AuditEventTable,
  FoundationTables,
} from './schema/foundation.ts';
import type { FrontDoorTables } from './schema/front-door.ts';
import type { HealthTables } from './schema/health.ts';
import type { MaracTables } from './schema/marac.ts';
import type { MatchingTables } from './schema/matching.ts';
import type { NotificationTables } from './schema/notifications.ts';
import type { PeopleTables } from './schema/people.ts';
import type { RequestLimitTables } from './schema/request-limits.ts';
import type { RetentionTables } from './schema/retention.ts';
import type { RiskTables } from './schema/risk.ts';
import type { SignInTables } from './schema/sign-in.ts';
import type { StrategyDiscussionTables } from './schema/strategy-discussions.ts';

/**
 * Every table Kysely knows, assembled from one file per capability in schema/.
 * A capability adds its tables there and one line here.
 */
export interface DB
  extends FoundationTables,
    PeopleTables,
    ChronologyTables,
    RiskTables,
    FrontDoorTables,
    SignInTables,
    RequestLimitTables,
    RetentionTables,
    MatchingTables,
    MaracTables,
    ActionTables,
    StrategyDiscussionTables,
    FlagTables,
    HealthTables,
    NotificationTables,
    EncompassTables {}

export type AgencyRow = Selectable<AgencyTable>;
export type AreaRow = Selectable<AreaTable>;
export type AppUserRow = Selectable<AppUserTable>;
export type NewAuditEvent = Insertable<AuditEventTable>;
export type DateOnly = DateString;
