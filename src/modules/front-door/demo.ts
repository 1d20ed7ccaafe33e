import type { Deps } from '../../platform/deps.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import { defineFrontDoorQueues } from './clock-jobs.ts';
import type { FrontDoorService } from './service.ts';
import type { DanInput } from './types.ts';

/**
 * A few front-door contacts for the demo partnership, made through the service as a police
 * officer and a school would make them, about households the demo already holds (so identity
 * resolution links them). Synthetic: every name and address comes from the generated people.
 */
export async function seedFrontDoorDemo(
  {
    deps,
    directory,
    people,
    frontDoor: service,
  }: { deps: Deps; directory: DirectoryService; people: PeopleService; frontDoor: FrontDoorService },
  count: number,
): Promise<number> {
  if (count <= 0) return 0;
  const as = async (email: string) => {
    const user = await directory.findUserByEmail(email);
    return user ? directory.principalForUser(user.id) : null;
  };
  const officer = await as('police.officer@harbour.example');
  const worker = await as('front.door@harbour.example');
  if (!officer || !worker) return 0;
  await defineFrontDoorQueues(deps);
  const area = await directory.findAreaByCode('northbridge');
  if (!area) return 0;
  const residents = await people.residentsWithAddresses(area.id);
  const households = new Map<string, typeof residents>();
  for (const resident of residents) {
    const key = `${resident.postcode} ${resident.line1}`;
    households.set(key, [...(households.get(key) ?? []), resident]);
  }
  const usable = [...households.values()].filter(
    (h) => h.some((p) => p.kind === 'child') && h.some((p) => p.kind === 'adult' && p.sex === 'female'),
  );
  const grades: DanInput['risk'][] = [
    { dashStatus: 'completed', dashScore: 15, officerRiskGrade: 'high' },
    { dashStatus: 'completed', dashScore: 6, officerRiskGrade: 'standard' },
    { dashStatus: 'awaited', officerRiskGrade: 'medium' },
    { dashStatus: 'completed', dashScore: 11, officerRiskGrade: 'medium' },
  ];
  let made = 0;
  const received = deps.now();
  for (const [index, household] of usable.slice(0, count).entries()) {
    const members = household.filter((p) => p.kind === 'child');
    const victim = household.find((p) => p.kind === 'adult' && p.sex === 'female')!;
    const suspect = household.find((p) => p.kind === 'adult' && p.id !== victim.id);
    const first = members[0]!;
    const occurred = new Date(received.getTime() - (index + 2) * 3_600_000);
    const location = {
      line1: first.line1,
      ...(first.town ? { town: first.town } : {}),
      postcode: first.postcode,
    };
    const result = await service.submitDan(
      { principal: officer },
      {
        incident: {
          policeReference: `NB/DEMO/${String(1001 + index)}`,
          occurredAt: occurred.toISOString(),
          location,
          circumstances: 'Demonstration record: officers attended a verbal argument reported by a neighbour.',
          reportedBy: 'neighbour',
        },
        victim: {
          givenName: victim.given_name,
          familyName: victim.family_name,
          dateOfBirth: victim.date_of_birth!,
          sex: 'female',
        },
        suspects: suspect
          ? [
              {
                givenName: suspect.given_name,
                familyName: suspect.family_name,
                dateOfBirth: suspect.date_of_birth!,
                ...(suspect.sex ? { sex: suspect.sex } : {}),
              },
            ]
          : [],
        children: members.map((child, i) => ({
          givenName: child.given_name,
          familyName: child.family_name,
          dateOfBirth: child.date_of_birth!,
          ...(child.sex ? { sex: child.sex } : {}),
          livesAtAddress: true,
          present: i === 0,
          witnessed: i === 0,
          injured: false,
        })),
        risk: grades[index % grades.length]!,
        consent: {
          asked: true,
          given: index % 2 === 0,
          ...(index % 2 === 0 ? {} : { reasonSharingWithoutConsent: 'Children in the household' }),
        },
        earlyHelp: {
          offered: index % 2 === 1,
          ...(index % 2 === 1 ? { response: 'declined' as const } : {}),
        },
      },
      { idempotencyKey: `demo-dan-${index}` },
    );
    if (index === 0) {
      await service.screen({ principal: worker }, result.body.contactId, {
        rag: 'red',
        rationale: 'Demonstration: high-risk DASH with children in the household.',
      });
    }
    if (index === 1) {
      // A child stepped down to early help, waiting in the early help team's inbox (issue 12).
      await service.decide({ principal: worker }, result.body.contactId, {
        levelOfNeed: '2',
        outcome: 'early-help',
        rationale: 'Demonstration: a first incident, no injury; the family accept support.',
        feedback: 'Early help will contact the family.',
      });
      const lead = (await directory.earlyHelpLeadChoices(area.id)).find((choice) => choice.kind === 'team');
      if (lead)
        await service.earlyHelp.stepDown({ principal: worker }, result.body.contactId, {
          lead: lead.value,
          plan: 'Demonstration: weekly family support visits; parenting course; school attendance checks.',
          reason: 'Level 2: needs met by early help with the family’s agreement.',
          handover: 'Demonstration: mother engaged at the visit; the children were at school.',
        });
    }
    made++;
  }
  return made;
}
