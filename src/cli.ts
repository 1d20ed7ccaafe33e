import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirInUseError } from './db/data-dir-lock.ts';
import { grantAppRole } from './db/roles.ts';
import { EXPORT_USAGE, runExportCommand } from './modules/data-protection/export-command.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './modules/demo/partnership.ts';
import { seedDemo } from './modules/demo/seed.ts';
import { runSchoolImportCommand, SCHOOL_IMPORT_USAGE } from './modules/encompass/import-command.ts';
import {
  runNotifyStandInCommand,
  runWebhookReceiverCommand,
  STAND_IN_USAGE,
} from './modules/notifications/stand-in-commands.ts';
import { BackupError } from './modules/operations/backup.ts';
import { BACKUP_USAGE, runBackupCommand, runRestoreCommand } from './modules/operations/backup-commands.ts';
import { MEASURED_FROM, measureBlockSizes } from './modules/people/block-sizes.ts';
import { matchingModelService } from './modules/people/matching-model.ts';
import { runSyntheticSeed, SYNTHETIC_USAGE } from './modules/synthetic/command.ts';
import { IMPORT_USAGE, runImportCommand } from './modules/transfer/import-command.ts';
import { verifyAuditChain } from './platform/audit-verify.ts';
import { ValidationError } from './platform/errors.ts';
import { jobSchemaFor } from './platform/jobs.ts';
import { cliPrincipal } from './platform/principal.ts';
import { openRuntime } from './runtime.ts';
import { buildServices } from './services.ts';
import { redactSettings } from './settings-redaction.ts';

const USAGE = `Usage: harbour <command>

  migrate [--app-role NAME]                 Bring the database schema up to date; on PostgreSQL, run as
                                            the owner role and grant the app role its access
  seed --demo [--households N]              Seed the demo partnership into an empty database
${SYNTHETIC_USAGE}
  user create --email E --name N --agency CODE --roles r1,r2 [--password P]
                                            Add a user (password from --password or HARBOUR_NEW_USER_PASSWORD)
  user list                                 List users
  api-key create --agency CODE --label TEXT Create an API key; the key is the last line printed
  api-key list                              List API keys
  api-key revoke <id>                       Revoke an API key
  audit verify                              Check the audit log's hash chain, its anchor and that no
                                            committed event has waited too long to be sealed
  matching measure-blocks                   Recount the people behind large blocking keys (also nightly)
  matching rekey                            Recompute every person's blocking keys (after an upgrade that changes them)
  matching train [--sample N] [--queries N] Learn matching weights from the partnership's own people
                                            and store them as a new model version (also nightly)
${BACKUP_USAGE}
${EXPORT_USAGE}
${IMPORT_USAGE}
${SCHOOL_IMPORT_USAGE}
  settings                                  Print the partnership settings in force (defaults + HARBOUR_PARTNERSHIP_FILE)
${STAND_IN_USAGE}

The database is the one the server uses: DATABASE_URL, or the embedded one in HARBOUR_DATA_DIR.`;

class UsageError extends Error {}

function operator(): string {
  return process.env.USER || process.env.LOGNAME || 'operator';
}

export async function runCli(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      demo: { type: 'boolean' },
      households: { type: 'string' },
      synthetic: { type: 'boolean' },
      preset: { type: 'string' },
      people: { type: 'string' },
      years: { type: 'string' },
      seed: { type: 'string' },
      today: { type: 'string' },
      email: { type: 'string' },
      name: { type: 'string' },
      agency: { type: 'string' },
      roles: { type: 'string' },
      password: { type: 'string' },
      label: { type: 'string' },
      'app-role': { type: 'string' },
      sample: { type: 'string' },
      queries: { type: 'string' },
      to: { type: 'string' },
      id: { type: 'string' },
      reason: { type: 'string' },
      from: { type: 'string' },
      file: { type: 'string' },
      report: { type: 'string' },
      port: { type: 'string' },
      key: { type: 'string' },
      secret: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, sub, arg] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  const known = [
    'migrate',
    'seed',
    'user',
    'api-key',
    'audit',
    'settings',
    'matching',
    'backup',
    'restore',
    'export',
    'import',
    'notify-stand-in',
    'webhook-receiver',
  ];
  if (!known.includes(command)) throw new UsageError(`Unknown command "${command}".`);

  // Demonstration stand-ins for the outside channels: no configuration, no database.
  if (command === 'notify-stand-in') return runNotifyStandInCommand(values);
  if (command === 'webhook-receiver') return runWebhookReceiverCommand(values);
  const config = loadConfig();
  if (command === 'settings') {
    // Needs no database: it shows what a server started now would use.
    // Secrets (SMTP password, Notify key, webhook and sign-in client secrets) are shown as "[set]".
    console.log(JSON.stringify(redactSettings(config.partnership), null, 2));
    return 0;
  }
  // A restore opens its own, empty target: the runtime would create tables in it first.
  if (command === 'restore')
    return runRestoreCommand(config, { principal: cliPrincipal(operator()) }, values.from);
  // Verifying only reads: it must see unsealed rows as they are, not seal them first.
  const runtime = await openRuntime(config, { jobs: false, sealAudit: command !== 'audit' });
  const context = { principal: cliPrincipal(operator()) };
  try {
    // The same composition root as the server: every service built once, from the runtime.
    const services = buildServices(runtime);
    const { directory } = services;
    switch (command) {
      case 'migrate': {
        console.log(`Database (${runtime.database.kind}) is up to date.`);
        const appRole = values['app-role'];
        if (appRole) {
          if (runtime.database.kind !== 'postgres')
            throw new UsageError(
              '--app-role applies to PostgreSQL (DATABASE_URL): the embedded database has one role',
            );
          const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(
            runtime.db,
          );
          await grantAppRole(runtime.db, {
            role: appRole,
            schema: rows[0]!.schema,
            jobSchema: jobSchemaFor(runtime.database),
          });
          console.log(`Granted ${appRole} the app role's access (docs/database-roles.md).`);
        }
        return 0;
      }
      case 'seed': {
        if (values.synthetic) return await runSyntheticSeed(services, context, values);
        if (!values.demo) throw new UsageError('Say what to seed: harbour seed --demo or --synthetic');
        const households = values.households ? Number(values.households) : undefined;
        if (households !== undefined && (!Number.isInteger(households) || households < 1))
          throw new UsageError('--households must be a whole number above 0');
        const result = await seedDemo(services, context, households ? { householdsPerArea: households } : {});
        if (!result.seeded) {
          console.log('The database already holds a partnership; nothing was seeded.');
          return 0;
        }
        console.log(
          `Seeded the demo partnership: ${result.people} people, ${result.users} accounts (password ${DEMO_PASSWORD}).`,
        );
        for (const user of DEMO_USERS) console.log(`  ${user.email}`);
        return 0;
      }
      case 'user': {
        if (sub === 'list') {
          const { rows } = await directory.listUsers({
            page: 1,
            pageSize: 1000,
            sort: 'email',
            order: 'asc',
          });
          for (const u of rows)
            console.log(
              `${u.email}\t${u.display_name}\t${u.agency_name}\t${u.roles.join(',')}${u.disabled_at ? '\tdisabled' : ''}`,
            );
          return 0;
        }
        if (sub !== 'create') throw new UsageError('Use: harbour user create ... or harbour user list');
        const password = values.password ?? process.env.HARBOUR_NEW_USER_PASSWORD ?? '';
        const user = await directory.createUser(context, {
          email: values.email ?? '',
          displayName: values.name ?? '',
          agencyCode: values.agency ?? '',
          roles: (values.roles ?? '').split(',').map((r) => r.trim()),
          password,
        });
        console.log(`Created user ${user.email} (${user.id})`);
        return 0;
      }
      case 'api-key': {
        if (sub === 'list') {
          for (const k of await directory.listApiKeys()) {
            console.log(
              `${k.id}\t${k.agency_code}\t${k.key_prefix}…\t${k.label}\t${k.revoked_at ? 'revoked' : 'active'}`,
            );
          }
          return 0;
        }
        if (sub === 'revoke') {
          if (!arg) throw new UsageError('Use: harbour api-key revoke <id>');
          const revoked = await directory.revokeApiKey(context, arg);
          console.log(`Revoked ${revoked.id} (${revoked.label})`);
          return 0;
        }
        if (sub !== 'create') throw new UsageError('Use: harbour api-key create|list|revoke');
        const created = await directory.createApiKey(context, values.agency ?? '', values.label ?? '');
        console.log(
          `Created API key ${created.id} for ${created.agencyCode} (${created.label}). It is shown once; store it now:`,
        );
        console.log(created.key);
        return 0;
      }
      case 'import':
        if (sub === 'schools') return await runSchoolImportCommand(services.encompass, context, values);
        return await runImportCommand(services.transfer, directory, context, sub, values);
      case 'export':
        return await runExportCommand(services.subjectAccess, context, sub, values);
      case 'backup':
        return await runBackupCommand(runtime, context, values.to);
      case 'matching': {
        if (sub === 'train') {
          const sizes: { sample?: number; queries?: number } = {};
          for (const name of ['sample', 'queries'] as const) {
            const raw = values[name];
            if (raw === undefined) continue;
            const n = Number(raw);
            if (!Number.isInteger(n) || n < 10)
              throw new UsageError(`--${name} must be a whole number of at least 10`);
            sizes[name] = n;
          }
          const trained = await matchingModelService(runtime).train(context, sizes);
          const s = trained.model.sample;
          console.log(
            `Trained matching model version ${trained.version} on ${trained.recordCount} people (sample ${s.records}, ${s.randomPairs} random pairs, ${s.blockedPairs} blocked pairs; EM ${trained.model.converged ? 'converged' : 'stopped'} after ${trained.model.iterations} iterations) in ${trained.seconds.toFixed(1)} s.`,
          );
          return 0;
        }
        if (sub === 'rekey') {
          const { people, keyVersion } = await services.people.rekeyPeople(context);
          const measured = await measureBlockSizes(runtime.db);
          console.log(
            `Recomputed the blocking keys of ${people} people (key version ${keyVersion}); ${measured.keys} keys now have more than ${MEASURED_FROM} people.`,
          );
          return 0;
        }
        if (sub !== 'measure-blocks')
          throw new UsageError('Use: harbour matching measure-blocks | rekey | train');
        const measured = await measureBlockSizes(runtime.db);
        console.log(
          `Blocking keys with more than ${MEASURED_FROM} people: ${measured.keys} (largest ${measured.largest}). Keys over matching.maxBlockSize (${config.partnership.matching.maxBlockSize}) are left out of matching.`,
        );
        return 0;
      }
      case 'audit': {
        if (sub !== 'verify') throw new UsageError('Use: harbour audit verify');
        const result = await verifyAuditChain(runtime.db, {
          unsealedMaxAgeSeconds: config.auditUnsealedMaxAgeSeconds,
        });
        const unsealed = result.unsealed.count
          ? ` ${result.unsealed.count} newer events are not sealed yet.`
          : '';
        if (result.ok) {
          console.log(
            `Audit log intact: ${result.checked} events checked, matching the anchor.${unsealed} Head hash: ${result.headHash}`,
          );
          return 0;
        }
        const problem = result.problem!;
        const where = problem.seq !== undefined ? `event ${problem.seq} ` : '';
        console.error(
          `Audit log fault: ${where}${problem.message}. ${result.checked} sealed events before it are intact.`,
        );
        return 1;
      }
    }
    return 2;
  } finally {
    await runtime.close();
  }
}

const isMain =
  process.argv[1] &&
  (process.argv[1].endsWith('cli.ts') ||
    process.argv[1].endsWith('harbour.js') ||
    process.argv[1].endsWith('harbour'));
if (isMain) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) console.error(`${error.message}\n\n${USAGE}`);
      else if (error instanceof ValidationError)
        console.error(
          `Nothing was changed:\n${error.errors.map((e) => `  - ${e.field}: ${e.message}`).join('\n')}`,
        );
      else if (
        error instanceof ConfigError ||
        error instanceof DataDirInUseError ||
        error instanceof BackupError
      )
        console.error(error.message);
      else if (error instanceof Error && error.name === 'NotFoundError') console.error(error.message);
      else console.error(error);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
