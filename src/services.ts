import { registerActionJobs } from './modules/actions/jobs.ts';
import { actionsService } from './modules/actions/service.ts';
import { chronologyService } from './modules/chronology/service.ts';
import { retentionService } from './modules/data-protection/retention.ts';
import { scheduleRetention } from './modules/data-protection/retention-job.ts';
import { subjectAccessService } from './modules/data-protection/subject-access.ts';
import { directoryService } from './modules/directory/service.ts';
import { registerEncompassJobs } from './modules/encompass/jobs.ts';
import { encompassService } from './modules/encompass/service.ts';
import { flagsService } from './modules/flags/service.ts';
import { startFrontDoorJobs } from './modules/front-door/clock-jobs.ts';
import { contactAccessFacts } from './modules/front-door/contact-access.ts';
import { integrations } from './modules/front-door/integrations.ts';
import { frontDoorService } from './modules/front-door/service.ts';
import { frontDoorConfig } from './modules/front-door/settings.ts';
import { healthEventsService } from './modules/health/health-events.ts';
import {
  SAFEGUARDING_CHECK_ESCALATION_QUEUE,
  safeguardingCheckService,
} from './modules/health/safeguarding-checks.ts';
import { healthService } from './modules/health/service.ts';
import { maracService } from './modules/marac/service.ts';
import { registerNotificationJobs } from './modules/notifications/jobs.ts';
import { notificationsService } from './modules/notifications/service.ts';
import { startBlockSizeJob } from './modules/people/block-sizes.ts';
import { startTrainingJob } from './modules/people/matching-model.ts';
import { peopleService } from './modules/people/service.ts';
import { registerRiskJobs } from './modules/risk/jobs.ts';
import { riskPanel } from './modules/risk/person-panel.ts';
import { riskService } from './modules/risk/service.ts';
import { registerStrategyDiscussionJobs } from './modules/strategy-discussions/jobs.ts';
import { strategyDiscussionService } from './modules/strategy-discussions/service.ts';
import { transferService } from './modules/transfer/service.ts';
import type { Deps } from './platform/deps.ts';
import { SYSTEM_PRINCIPAL } from './platform/principal.ts';

/**
 * The composition root: every capability's service is built here, once, from the shared
 * dependencies and the services it uses, in the order the modules depend on each other
 * (directory, people, chronology, risk, front door). Route plugins, jobs, the CLI and the demo
 * seed receive the result; no module builds another module's service (decision 0016).
 */
export function buildServices(deps: Deps) {
  const directory = directoryService(deps);
  const people = peopleService(deps, { directory });
  const chronology = chronologyService(deps, { people, directory });
  /** The outbox every message Harbour sends goes through, and its channels (docs/notifications.md). */
  const notifications = notificationsService(deps, { directory });
  // The risk module checks an assessment's contact through the front door's view of it; the
  // front door's service uses the risk service, so the view is handed to risk as a function.
  const risk = riskService(deps, {
    people,
    chronology,
    directory,
    contactAccessFacts: (contactId, conn) => contactAccessFacts(deps, people, contactId, conn),
    outbox: notifications,
  });
  // Multi-agency actions, shared by every kind of meeting (strategy discussions, MARAC, panels).
  const actions = actionsService(deps, { outbox: notifications, directory });
  const strategyDiscussions = strategyDiscussionService(deps, {
    people,
    directory,
    chronology,
    actions,
    outbox: notifications,
    calendar: frontDoorConfig(deps).calendar,
    settings: deps.config.partnership.strategyDiscussions,
  });
  /** Operation Encompass (docs/encompass.md): the DAN intake makes its notices in its transaction. */
  const encompass = encompassService(deps, { directory, people, chronology, outbox: notifications });
  const frontDoor = frontDoorService(
    deps,
    integrations(deps, {
      directory,
      people,
      chronology,
      risk,
      openStrategyDiscussion: strategyDiscussions.open,
      createEncompassNotices: encompass.createForDan,
      outbox: notifications,
    }),
  );
  /** Flags as data (issue 15): raised and ended by the owning service; read by health by NHS number. */
  const flags = flagsService(deps, { people, chronology, directory });
  const marac = maracService(deps, {
    people,
    chronology,
    directory,
    risk,
    calendar: frontDoorConfig(deps).calendar,
    actions,
    flags,
    notifications,
  });
  /** Unscheduled care's lookup, break-glass, health events and probation checks (issue 15). */
  const health = healthService(deps, { people, chronology, directory, flags, outbox: notifications });
  const safeguardingChecks = safeguardingCheckService(deps, {
    people,
    chronology,
    directory,
    calendar: frontDoorConfig(deps).calendar,
    outbox: notifications,
  });
  return {
    /** MARAC and the below-MARAC panel (docs/marac.md). */
    marac,
    /** Data protection (decision 0012): subject access exports and retention, over the owners' services. */
    subjectAccess: subjectAccessService(deps, { people, directory, chronology, frontDoor, risk, flags }),
    retention: retentionService(deps, { people, chronology, frontDoor, risk, flags }),
    deps,
    /** The front door's settings with its working calendar, built from the partnership's file. */
    frontDoorConfig: frontDoorConfig(deps),
    directory,
    people,
    chronology,
    risk,
    frontDoor,
    flags,
    health,
    healthEvents: healthEventsService(deps, { people, chronology }),
    safeguardingChecks,
    /** Bulk transfer of another provider's records with a reconciliation report (F20). */
    transfer: transferService(deps, { people }),
    /** The chronology and risk panel on the person page, given what the page has already read. */
    riskPanel: riskPanel({ risk, chronology }),
    actions,
    strategyDiscussions,
    notifications,
    encompass,
  };
}

export type Services = ReturnType<typeof buildServices>;

/**
 * Declares every capability's queues and starts their workers, once, where the process is
 * assembled (the server, a test app), not as a side effect of registering routes.
 */
export async function registerJobs(services: Services): Promise<void> {
  const { deps } = services;
  if (!deps.jobs) return;
  await startBlockSizeJob(deps);
  await startFrontDoorJobs(deps, { outbox: services.notifications, directory: services.directory });
  await registerRiskJobs(deps.jobs, services.risk);
  await startTrainingJob(deps, { principal: SYSTEM_PRINCIPAL });
  await scheduleRetention(deps.jobs, services.retention);
  await registerActionJobs(deps.jobs, services.actions);
  await registerStrategyDiscussionJobs(deps.jobs, services.strategyDiscussions);
  await registerNotificationJobs(deps.jobs, services.notifications);
  await registerEncompassJobs(deps.jobs, services.encompass);
  await deps.jobs.define(SAFEGUARDING_CHECK_ESCALATION_QUEUE);
  await deps.jobs.work<{ checkId: string }>(SAFEGUARDING_CHECK_ESCALATION_QUEUE, async (data) => {
    await services.safeguardingChecks.escalate(data.checkId);
  });
}
