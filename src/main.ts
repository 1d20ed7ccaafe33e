import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { DataDirInUseError } from './db/data-dir-lock.ts';
import { DEMO_PASSWORD, DEMO_USERS } from './modules/demo/partnership.ts';
import { isEmpty, seedDemo } from './modules/demo/seed.ts';
import { embeddedCapacityWarning } from './modules/synthetic/capacity.ts';
import { scheduleMaintenance } from './platform/maintenance.ts';
import { cliPrincipal } from './platform/principal.ts';
import { openRuntime } from './runtime.ts';
import { buildServices, registerJobs } from './services.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const runtime = await openRuntime(config, { jobs: true, port: config.port });
  if (runtime.jobs) await scheduleMaintenance(runtime, runtime.jobs);
  const services = buildServices(runtime);
  await registerJobs(services);
  if (config.demo && (await isEmpty(runtime))) {
    const result = await seedDemo(services, { principal: cliPrincipal('first start') });
    console.log(`Seeded the demo partnership: ${result.people} generated people, ${result.users} accounts.`);
  }
  const capacityWarning = await embeddedCapacityWarning(runtime);
  if (capacityWarning) console.warn(capacityWarning);
  const app = await buildApp(services);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // A stuck connection or job must not keep a stopped server alive: give up after a deadline.
    const deadline = setTimeout(() => {
      console.error('Shutdown did not finish within 10 seconds; exiting.');
      process.exit(1);
    }, 10_000);
    deadline.unref();
    try {
      await app.close();
      await runtime.close();
      process.exit(0);
    } catch (error) {
      console.error('Error while shutting down:', error);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '127.0.0.1' ? 'localhost' : config.host;
  console.log(
    `\nHarbour is running at http://${shownHost}:${config.port} (database: ${runtime.database.kind})`,
  );
  if (config.demo) {
    console.log(`\nDemo accounts (password for all: ${DEMO_PASSWORD}):`);
    for (const user of DEMO_USERS) console.log(`  ${user.email.padEnd(40)} ${user.roles.join(', ')}`);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirInUseError) {
    console.error(error.message);
  } else {
    console.error(error);
  }
  process.exit(1);
});
