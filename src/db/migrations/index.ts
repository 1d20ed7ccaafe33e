import type { Migration } from 'kysely/migration';
import * as m0000 from './0000-extensions.ts';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-people.ts';
import * as m0003 from './0003-chronology.ts';
import * as m0004 from './0004-person-matching.ts';
import * as m0005 from './0005-front-door.ts';
import * as m0006 from './0006-risk.ts';
import * as m0007 from './0007-merged-person-index.ts';
import * as m0008 from './0008-access-relationships.ts';
import * as m0009 from './0009-audit-sealer.ts';
import * as m0010 from './0010-request-limits.ts';
import * as m0011 from './0011-sign-in.ts';
import * as m0014 from './0014-search-and-block-sizes.ts';
import * as m0015 from './0015-record-change.ts';
import * as m0017 from './0017-retention.ts';
import * as m0018 from './0018-matching-model.ts';
import * as m0019 from './0019-outbox.ts';
import * as m0020 from './0020-encompass.ts';
import * as m0021 from './0021-person-flags.ts';
import * as m0022 from './0022-health-sharing.ts';
import * as m0023 from './0023-multi-agency-meetings.ts';
import * as m0024 from './0024-marac.ts';
import * as m0025 from './0025-marac-action-reviews.ts';
import * as m0026 from './0026-gin-without-pending-lists.ts';
import * as m0027 from './0027-import-reconciliation.ts';
import * as m0028 from './0028-early-help-inbox.ts';
import * as m0029 from './0029-early-help-lead.ts';
import * as m0030 from './0030-covering-search-and-match-indexes.ts';

/** Every migration, in order. Names are permanent once released. */
export const migrations: Record<string, Migration> = {
  '0000-extensions': m0000,
  '0001-foundation': m0001,
  '0002-people': m0002,
  '0003-chronology': m0003,
  '0004-person-matching': m0004,
  '0005-front-door': m0005,
  '0006-risk': m0006,
  '0007-merged-person-index': m0007,
  '0008-access-relationships': m0008,
  '0009-audit-sealer': m0009,
  '0010-request-limits': m0010,
  '0011-sign-in': m0011,
  '0014-search-and-block-sizes': m0014,
  '0015-record-change': m0015,
  '0017-retention': m0017,
  '0018-matching-model': m0018,
  '0019-outbox': m0019,
  '0020-encompass': m0020,
  '0021-person-flags': m0021,
  '0022-health-sharing': m0022,
  '0023-multi-agency-meetings': m0023,
  '0024-marac': m0024,
  '0025-marac-action-reviews': m0025,
  '0026-gin-without-pending-lists': m0026,
  '0027-import-reconciliation': m0027,
  '0028-early-help-inbox': m0028,
  '0029-early-help-lead': m0029,
  '0030-covering-search-and-match-indexes': m0030,
};
