import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import type { Db, Trx } from '../../db/database.ts';
import type { ChronologyEvent } from '../../domain/chronology-event.ts';
import { type RiskLevel, riskLevelRank } from '../../domain/instruments/bands.ts';
import {
  assessCumulativeRisk,
  type CumulativeRiskResult,
  type HouseholdAdult,
  type HouseholdRole,
} from '../../domain/risk.ts';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import { canonicalJson } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { ChronologyService } from '../chronology/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import * as repo from './repository.ts';
import { riskRulesByArea } from './settings.ts';

type Conn = Db | Trx;

const ROLE_FROM_RELATIONSHIP: Record<string, HouseholdRole> = {
  parent: 'parent-carer',
  'step-parent': 'parent-carer',
  perpetrator: 'perpetrator',
  victim: 'victim',
};
const ROLE_RANK: Record<HouseholdRole, number> = {
  perpetrator: 3,
  victim: 2,
  'parent-carer': 1,
  'other-adult': 0,
};

function dateOf(value: string | null): Date | undefined {
  return value ? DateTime.fromISO(value, { zone: TIME_ZONE }).toJSDate() : undefined;
}

export interface CumulativeAssessment {
  child: Awaited<ReturnType<PeopleService['peopleByIds']>>[number];
  adults: HouseholdAdult[];
  events: ChronologyEvent[];
  result: CumulativeRiskResult;
}

/** What the worker was shown, reduced to what matters, so the same picture always hashes the same. */
export function summaryHash(childId: string, result: CumulativeRiskResult): string {
  const shown = {
    childId,
    level: result.level,
    latestRecorded: result.latestRecorded
      ? { level: result.latestRecorded.level, eventId: result.latestRecorded.eventId }
      : null,
    findings: result.findings.map((f) => ({
      ruleId: f.ruleId,
      impliedLevel: f.impliedLevel,
      explanation: f.explanation,
      eventIds: f.eventIds,
    })),
    marac: result.marac.criteria.filter((c) => c.met).map((c) => c.id),
    minimumResponse: result.minimumResponse.code,
  };
  return createHash('sha256').update(canonicalJson(shown)).digest('hex');
}

export function cumulativeRisk(
  deps: Deps,
  {
    people,
    chronology,
    directory,
  }: { people: PeopleService; chronology: ChronologyService; directory: DirectoryService },
) {
  const rules = riskRulesByArea(
    (deps.config.partnership as { risk?: Parameters<typeof riskRulesByArea>[0] }).risk,
  );
  const areaCodes = new Map<string, string | null>();

  async function configFor(db: Conn, areaId: string) {
    if (!areaCodes.has(areaId)) areaCodes.set(areaId, await directory.areaCode(areaId, db));
    return rules.forArea(areaCodes.get(areaId));
  }

  /** Runs the engine over the child's chronology and the linked adults'. Not access-checked. */
  async function assess(db: Conn, childId: string, asOf: Date): Promise<CumulativeAssessment> {
    const [child] = await people.peopleByIds([childId], db);
    if (!child) throw new NotFoundError('The person');
    const relationships = await people.linkedAdults(childId, db);
    const roles = new Map<string, HouseholdRole>();
    const assign = (id: string, role: HouseholdRole) => {
      const current = roles.get(id);
      if (current === undefined || ROLE_RANK[role] > ROLE_RANK[current]) roles.set(id, role);
    };
    for (const r of relationships) assign(r.id, ROLE_FROM_RELATIONSHIP[r.kind] ?? 'other-adult');
    const childEvents = await chronology.eventsForRisk([childId], asOf, db);
    // Incidents on the child's record name who harmed whom; those roles outrank "parent".
    for (const event of childEvents) {
      for (const id of event.data.perpetratorIds ?? []) if (id !== childId) assign(id, 'perpetrator');
      for (const id of event.data.victimIds ?? []) if (id !== childId) assign(id, 'victim');
    }
    const adultIds = [...roles.keys()];
    const known = new Set((await people.peopleByIds(adultIds, db)).map((p) => p.id));
    const adults = adultIds.filter((id) => known.has(id)).map((id) => ({ id, role: roles.get(id)! }));
    const adultEvents = await chronology.eventsForRisk(
      adults.map((a) => a.id),
      asOf,
      db,
    );
    const events = [...childEvents, ...adultEvents];
    const dateOfBirth = dateOf(child.date_of_birth);
    const expected = dateOf(child.expected_date);
    const result = assessCumulativeRisk(
      {
        child: {
          id: childId,
          ...(dateOfBirth ? { dateOfBirth } : {}),
          ...(child.kind === 'unborn' && expected ? { expectedDateOfBirth: expected } : {}),
          hasDisability: Boolean(child.disability?.trim()),
        },
        adults,
        events,
        asOf,
      },
      await configFor(db, child.area_id),
    );
    return { child, adults, events, result };
  }

  /** Stores what was computed (for "which summary did the worker see") and the child's marker state. */
  async function snapshot(db: Conn, assessment: CumulativeAssessment) {
    const { child, result } = assessment;
    const hash = summaryHash(child.id, result);
    const summaryId = await repo.saveSummary(db, {
      area_id: child.area_id,
      child_person_id: child.id,
      hash,
      level: result.level,
      result,
    });
    await repo.saveChildState(db, {
      child_person_id: child.id,
      area_id: child.area_id,
      level: result.level,
      latest_recorded_level: result.latestRecorded?.level ?? null,
      raised_above_recorded: result.raisedAboveLatestRecorded,
      summary_id: summaryId,
      computed_at: result.asOf,
    });
    return { summaryId, hash };
  }

  /** The latest front-door decision about the child that recorded a level. */
  function lastDecision(assessment: CumulativeAssessment) {
    let latest: ChronologyEvent | undefined;
    for (const e of assessment.events) {
      if (e.type !== 'decision' || e.personId !== assessment.child.id || !e.data.riskGrade) continue;
      if (!latest || e.occurredAt.getTime() >= latest.occurredAt.getTime()) latest = e;
    }
    return latest;
  }

  return { assess, snapshot, lastDecision, configFor };
}

export function levelAbove(a: RiskLevel, b: RiskLevel): boolean {
  return riskLevelRank(a) > riskLevelRank(b);
}
