import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type ImportEdge, moduleOf, type SqlUse, scanFile, sourceFiles } from '../helpers/source-graph.ts';

/**
 * Decision 0007 (module boundaries) and 0016 (where SQL may live), checked on every run, so
 * drift fails the suite instead of accumulating. The source is parsed, not type-checked: every
 * import, every Kysely query start and join, every raw `sql` template.
 */

const SRC = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

/** Who owns which table (decision 0007's table, in code). `platform` holds the cross-cutting tables. */
export const TABLE_OWNERS: Record<string, readonly string[]> = {
  people: [
    'person',
    'person_name',
    'person_identifier',
    'person_address',
    'person_contact_detail',
    'person_relationship',
    'access_relationship',
    'person_incident_role',
    'match_review',
    'person_merge',
    'blocking_key_size',
  ],
  directory: ['area', 'agency', 'agency_area', 'team', 'app_user', 'api_key'],
  chronology: ['chronology_event'],
  actions: ['multi_agency_action'],
  marac: ['marac_meeting', 'marac_case', 'marac_research', 'marac_transfer', 'marac_action_review'],
  'strategy-discussions': [
    'strategy_discussion',
    'strategy_discussion_participant',
    'strategy_discussion_contribution',
  ],
  risk: [
    'risk_assessment',
    'risk_summary',
    'risk_child_state',
    'risk_review_task',
    'dash_expectation',
    'dash_awaited_notice',
  ],
  'front-door': [
    'contact',
    'contact_person',
    'contact_history',
    'enquiry',
    'decision',
    'early_help_episode',
    'early_help_transition',
    'front_door_notification',
    'idempotency_record',
  ],
  flags: ['person_flag'],
  health: ['break_glass_access', 'health_event_receipt', 'safeguarding_check'],
  transfer: ['import_run', 'import_row', 'import_report_row'],
  notifications: [
    'outbox_message',
    'outbox_delivery',
    'notification_agency_setting',
    'notification_preference',
  ],
  encompass: ['encompass_school', 'encompass_calendar_day', 'encompass_notice', 'encompass_escalation'],
  platform: [
    'audit_event',
    'audit_anchor',
    'record_change',
    'http_session',
    'rate_limit_counter',
    'api_auth_failure',
    'sign_in_throttle',
    'user_mfa',
    'user_recovery_code',
  ],
};

const OWNER_OF = new Map(
  Object.entries(TABLE_OWNERS).flatMap(([owner, tables]) => tables.map((t) => [t, owner] as const)),
);

/**
 * Modules decision 0007 exempts: bulk loaders that write every table directly, for speed, and
 * operations, whose backup, restore and row counts work on the database as a whole (every table,
 * the catalog, the audit anchor a backup records and a restore checks).
 */
const BULK_LOADERS = new Set(['synthetic', 'demo', 'operations']);

/** A module's public face: what another module may import. */
const isPublicFace = (file: string) => /^modules\/[^/]+\/(service|index)\.ts$/.test(file);

/** Where SQL may be written (decision 0016). */
function mayHoldSql(file: string): boolean {
  return (
    file.startsWith('db/') ||
    /^modules\/[^/]+\/(.+-)?repository\.ts$/.test(file) ||
    PLATFORM_SQL_FILES.has(file) ||
    BULK_LOADERS.has(moduleOf(file) ?? '')
  );
}

/** Platform files that own the platform's own tables, each named for what it stores. */
const PLATFORM_SQL_FILES = new Set([
  'platform/audit.ts',
  'platform/audit-sealer.ts',
  'platform/audit-verify.ts',
  'platform/record-change.ts',
  'platform/auth/session-store.ts',
  'platform/auth/throttle.ts',
  'platform/auth/sign-in.ts',
  'platform/auth/mfa.ts',
  'platform/auth/external-accounts.ts',
  'platform/auth/failed-api-authentication.ts',
  'platform/http/request-counter.ts',
  // The job queue's own schema (pg-boss), looked up before the queue starts.
  'platform/jobs.ts',
]);

/**
 * SQL still outside a repository. A shrinking list: each entry is work left, not a permission;
 * remove an entry when its file's statements move into a repository.
 */
const SQL_OUTSIDE_REPOSITORIES = new Set([
  // People: the statements of creating and linking a person (DAN intake's path, being cut down
  // statement by statement), the relationship store, review decisions and the block-size job.
  'modules/people/service.ts',
  'modules/people/resolution.ts',
  'modules/people/relationships.ts',
  'modules/people/review.ts',
  'modules/people/block-sizes.ts',
  // Directory writes (users, API keys) and risk's task and expectation writes: to their repositories.
  'modules/directory/service.ts',
  'modules/risk/service.ts',
  'modules/risk/assessments.ts',
  // Data protection's retention listing writes its own tables (retention_run, retention_item)
  // from the service: to a repository.
  'modules/data-protection/retention.ts',
  // The operator command reads the schema it migrated (current_schema()).
  'cli.ts',
]);

/** Read-only joins on another module's table that decision 0007 lists, as file and table. */
const LISTED_JOINS = new Set([
  'modules/chronology/repository.ts person',
  'modules/chronology/repository.ts agency',
  'modules/risk/repository.ts person',
  'modules/risk/repository.ts app_user',
  'modules/front-door/repository.ts area',
  'modules/front-door/repository.ts agency',
  'modules/front-door/repository.ts person',
  'modules/front-door/repository.ts access_relationship',
  'modules/front-door/early-help/early-help-repository.ts person',
  'modules/front-door/early-help/early-help-repository.ts agency',
  'modules/people/repository.ts agency',
  'modules/people/relationships.ts agency',
  // decision 0007's exception: a disabled user's sessions end with the user.
  'modules/directory/service.ts http_session',
  // The person's access log is read from the audit log, by person.
  'modules/people/repository.ts audit_event',
  // Known exception, to move behind the directory's service: single sign-on provisions and
  // links accounts (decision 0011) in the directory's tables.
  'platform/auth/external-accounts.ts agency',
  'platform/auth/external-accounts.ts app_user',
]);

/** Packages and platform parts a pure rule may not import: anything that reaches I/O. */
const IO =
  /^(node:|fs$|net$|http|kysely|pg$|pg-|@electric-sql|fastify|@fastify|pg-boss|nodemailer|openid-client)/;

const files = sourceFiles(SRC);
const scanned = files.map((file) => ({ file, ...scanFile(SRC, file) }));
const imports: ImportEdge[] = scanned.flatMap((s) => s.imports);
const sqlUses: SqlUse[] = scanned.flatMap((s) => s.sql);

export function moduleImportViolations(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((e) => {
      const from = moduleOf(e.from);
      const to = moduleOf(e.to);
      if (!from || !to || from === to || BULK_LOADERS.has(from)) return false;
      return !isPublicFace(e.to);
    })
    .map((e) => `${e.from} imports ${e.to}`);
}

export function domainViolations(edges: readonly ImportEdge[]): string[] {
  return edges
    .filter((e) => e.from.startsWith('domain/'))
    .filter((e) => IO.test(e.to) || (!e.to.startsWith('domain/') && e.to.includes('/') && !isPackage(e.to)))
    .map((e) => `${e.from} imports ${e.to}`);
}

const isPackage = (to: string) => !/^(db|platform|modules|domain)\//.test(to) && !to.endsWith('.ts');

export function sqlPlacementViolations(uses: readonly SqlUse[]): string[] {
  return [
    ...new Set(
      uses.filter((u) => !mayHoldSql(u.file) && !SQL_OUTSIDE_REPOSITORIES.has(u.file)).map((u) => u.file),
    ),
  ].map((f) => `${f} holds SQL`);
}

export function tableOwnershipViolations(uses: readonly SqlUse[]): string[] {
  const out = new Set<string>();
  for (const use of uses) {
    const owner = use.file.startsWith('platform/') ? 'platform' : moduleOf(use.file);
    if (!owner || BULK_LOADERS.has(owner)) continue;
    for (const table of use.tables) {
      const tableOwner = OWNER_OF.get(table);
      if (tableOwner === undefined || tableOwner === owner) continue;
      if (LISTED_JOINS.has(`${use.file} ${table}`)) continue;
      out.add(`${use.file}:${use.line} ${use.call}('${table}') belongs to ${tableOwner}`);
    }
  }
  return [...out];
}

describe('architecture (decisions 0007 and 0016)', () => {
  it('reads the source: imports and SQL are found', () => {
    // Guards the scanner itself: if it found nothing, every rule below would pass vacuously.
    assert.ok(imports.some((e) => e.from === 'services.ts' && e.to === 'modules/people/service.ts'));
    assert.ok(sqlUses.some((u) => u.file === 'modules/people/repository.ts' && u.tables.includes('person')));
    assert.ok(sqlUses.some((u) => u.call === 'sql'));
  });

  it('a module imports another module only through its service (or index)', () => {
    assert.deepEqual(moduleImportViolations(imports), []);
  });

  it('domain/ imports nothing that reaches I/O: no database, platform, modules, node or network', () => {
    assert.deepEqual(domainViolations(imports), []);
  });

  it('SQL lives only in repositories, src/db/ and the platform files that own platform tables', () => {
    assert.deepEqual(sqlPlacementViolations(sqlUses), []);
  });

  it('a module queries only the tables it owns, apart from the read-only joins decision 0007 lists', () => {
    assert.deepEqual(tableOwnershipViolations(sqlUses), []);
  });

  it('the partnership’s time zone is named once (domain/time-zone.ts)', () => {
    const allowed = new Set(['domain/time-zone.ts']);
    const naming = files.filter((file) => !allowed.has(file) && /'Europe\/London'/.test(readSource(file)));
    assert.deepEqual(naming, []);
  });

  it('no module builds another module’s service: only the composition root calls the factories', () => {
    const factories = /\b(peopleService|directoryService|chronologyService|riskService|frontDoorService)\(/;
    const builders = scanned
      .filter(({ file }) => file !== 'services.ts')
      .filter(({ file }) => {
        const own = moduleOf(file);
        const text = readSource(file);
        return [...text.matchAll(new RegExp(factories, 'g'))].some(
          (m) => FACTORY_OWNER[m[1]!] !== own && !/^export function/.test(lineAt(text, m.index!)),
        );
      })
      .map(({ file }) => file);
    assert.deepEqual(builders, []);
  });

  it('fails on a deliberate break: each rule names the offending file', () => {
    const planted: ImportEdge[] = [
      { from: 'modules/chronology/service.ts', to: 'modules/people/repository.ts', typeOnly: false },
      { from: 'domain/risk.ts', to: 'db/database.ts', typeOnly: false },
      { from: 'domain/risk.ts', to: 'node:fs', typeOnly: false },
    ];
    assert.deepEqual(moduleImportViolations(planted), [
      'modules/chronology/service.ts imports modules/people/repository.ts',
    ]);
    assert.deepEqual(domainViolations(planted), [
      'domain/risk.ts imports db/database.ts',
      'domain/risk.ts imports node:fs',
    ]);
    const sql: SqlUse[] = [
      { file: 'modules/risk/routes.ts', line: 1, call: 'selectFrom', tables: ['risk_summary'] },
      { file: 'modules/risk/repository.ts', line: 2, call: 'selectFrom', tables: ['contact'] },
    ];
    assert.deepEqual(sqlPlacementViolations(sql), ['modules/risk/routes.ts holds SQL']);
    assert.deepEqual(tableOwnershipViolations(sql), [
      "modules/risk/repository.ts:2 selectFrom('contact') belongs to front-door",
    ]);
  });
});

const FACTORY_OWNER: Record<string, string> = {
  peopleService: 'people',
  directoryService: 'directory',
  chronologyService: 'chronology',
  riskService: 'risk',
  frontDoorService: 'front-door',
};

function readSource(file: string): string {
  return readFileSync(path.join(SRC, file), 'utf8');
}

function lineAt(text: string, index: number): string {
  const start = text.lastIndexOf('\n', index) + 1;
  return text.slice(start, text.indexOf('\n', index)).trim();
}
