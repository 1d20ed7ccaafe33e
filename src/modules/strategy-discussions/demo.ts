import type { Deps } from '../../platform/deps.ts';
import { ACTION_CHASE_QUEUE } from '../actions/service.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import { OUTCOME_BREACH_QUEUE, type StrategyDiscussionService } from './service.ts';

const DAY = 86_400_000;

/**
 * A strategy discussion for the demo partnership, made through the service as the people who
 * would make it: the child's school asks, the MASH manager schedules and records it with actions
 * for police, health and the school, and shares the outcome. The actions stay open. Synthetic:
 * the child is one of the generated people on a demo school's roll.
 */
export async function seedStrategyDiscussionDemo(services: {
  deps: Deps;
  directory: DirectoryService;
  people: PeopleService;
  strategyDiscussions: StrategyDiscussionService;
}): Promise<string | null> {
  const { deps, directory, people, strategyDiscussions: sd } = services;
  const as = async (email: string) => {
    const user = await directory.findUserByEmail(email);
    return user ? directory.principalForUser(user.id) : null;
  };
  const dsl = await as('school.dsl@harbour.example');
  const manager = await as('mash.manager@harbour.example');
  if (!dsl?.agencyId || !manager) return null;
  if (deps.jobs)
    for (const queue of [ACTION_CHASE_QUEUE, OUTCOME_BREACH_QUEUE]) await deps.jobs.define(queue);
  const area = await directory.findAreaByCode('northbridge');
  if (!area) return null;
  const children = (await people.residentsWithAddresses(area.id)).filter((p) => p.kind === 'child');
  let childId: string | null = null;
  for (const child of children) {
    const { resource } = await people.accessFacts(child.id);
    if (resource.relationships.some((r) => r.basis === 'school-on-roll' && r.agencyId === dsl.agencyId)) {
      childId = child.id;
      break;
    }
  }
  if (!childId) return null;
  const now = deps.now();
  const { id } = await sd.request(
    { principal: dsl },
    {
      childPersonIds: [childId],
      reason:
        'The child told her teacher that her father hurt her mother last night and she is scared to go home.',
      knownInformation: 'Attendance has fallen this term; she has arrived late and hungry several times.',
    },
  );
  await sd.schedule({ principal: manager }, id, {
    scheduledFor: new Date(now.getTime() - 2 * 3_600_000),
    joiningDetail: 'Conference call: 0300 000 0000, code 4411',
  });
  const agencies = await directory.agenciesByCode(['police', 'community-health']);
  const byCode = new Map(agencies.map((a) => [a.code, a.id]));
  const attendees = [byCode.get('police'), byCode.get('community-health'), dsl.agencyId].filter(
    (a): a is string => Boolean(a),
  );
  const owner = (code: string) => byCode.get(code) ?? dsl.agencyId!;
  await sd.recordOutcome({ principal: manager }, id, {
    attendeeAgencyIds: [...attendees, ...(manager.agencyId ? [manager.agencyId] : [])],
    informationShared:
      'Police: two domestic abuse call-outs this month. Health: the health visitor saw bruising on the mother. School: the disclosure and falling attendance.',
    section47: true,
    conference: true,
    levelOfNeed: 'Child protection',
    rationale:
      'Reasonable cause to suspect the child is suffering significant harm from domestic abuse at home.',
    actions: [
      {
        ownerAgencyId: owner('police'),
        description: 'Check the father’s bail conditions and share them with the school.',
        dueBy: new Date(now.getTime() + 2 * DAY),
      },
      {
        ownerAgencyId: owner('community-health'),
        description: 'Health visitor to visit the mother within two days.',
        dueBy: new Date(now.getTime() + 2 * DAY),
      },
      {
        ownerAgencyId: dsl.agencyId,
        description: 'Daily check-in with the child by the designated safeguarding lead.',
        dueBy: new Date(now.getTime() + 5 * DAY),
      },
    ],
  });
  await sd.shareOutcome({ principal: manager }, id);
  return id;
}
