import { DateTime } from 'luxon';
import { TIME_ZONE } from '../../domain/time-zone.ts';
import type { Deps } from '../../platform/deps.ts';
import type { Principal } from '../../platform/principal.ts';
import type { DirectoryService } from '../directory/service.ts';
import type { PeopleService } from '../people/service.ts';
import type { Referral } from './schemas.ts';
import type { MaracService } from './service.ts';

/** Research of the demo's cases, unique per agency and case so a page shows whose it is. */
export const demoResearch = (agency: string, reference: string) =>
  `${agency} research for ${reference}: two call-outs in the last three months; the victim was seen at the emergency department once.`;

/**
 * MARAC for the demo partnership, made through the service as the people who would make it
 * (synthetic people of the generated households):
 * - last week's meeting, held, with minutes published and an action plan whose actions stay open
 *   (one overdue), so this week's review and each agency's inbox have something to show;
 * - a meeting next week with three cases on its agenda (two of them repeats), research requested from
 *   every participating agency and some of it returned (hidden from the others until it starts).
 * The past meeting is made with the service's clock set back to the days it happened.
 */
export async function seedMaracDemo(services: {
  deps: Deps;
  directory: DirectoryService;
  people: PeopleService;
  marac: MaracService;
}): Promise<{ pastMeetingId: string; nextMeetingId: string; caseIds: string[] } | null> {
  const { deps, directory, people, marac } = services;
  const as = async (email: string) => {
    const user = await directory.findUserByEmail(email);
    return user ? directory.principalForUser(user.id) : null;
  };
  const [coordinator, police, idva, nurse] = await Promise.all(
    [
      'marac@harbour.example',
      'police.officer@harbour.example',
      'idva@harbour.example',
      'ed.nurse@harbour.example',
    ].map(as),
  );
  if (!coordinator || !police?.agencyId || !idva?.agencyId || !nurse?.agencyId) return null;
  const area = await directory.findAreaByCode('northbridge');
  if (!area) return null;

  // Adults living with children: the victim (the mother where the record says so) and, in a
  // two-adult household, the perpetrator.
  const residents = await people.residentsWithAddresses(area.id);
  const sexOf = new Map(residents.map((r) => [r.id, r.sex]));
  const couples: { victimPersonId: string; perpetratorPersonIds: string[] }[] = [];
  const used = new Set<string>();
  for (const child of residents.filter((r) => r.kind === 'child')) {
    if (couples.length === 3) break;
    const adults = [...new Set((await people.linkedAdults(child.id)).map((a) => a.id))].slice(0, 2);
    if (adults.length === 0 || adults.some((a) => used.has(a))) continue;
    const victim = adults.find((a) => sexOf.get(a) === 'female') ?? adults[0]!;
    couples.push({ victimPersonId: victim, perpetratorPersonIds: adults.filter((a) => a !== victim) });
    for (const id of adults) used.add(id);
  }
  if (couples.length < 3) return null;

  const now = DateTime.fromJSDate(deps.now(), { zone: TIME_ZONE });
  const lastWeek = now
    .minus({ weeks: 1 })
    .set({ weekday: 4, hour: 10, minute: 0, second: 0, millisecond: 0 });
  const nextWeek = now.plus({ weeks: 1 }).set({ weekday: 4, hour: 10, minute: 0, second: 0, millisecond: 0 });
  let clock = lastWeek.minus({ days: 3 }).toJSDate();
  const past = marac.onClock(() => clock);
  const ctx = (principal: Principal) => ({ principal });

  // A referral of one of the couples, made through the service as it was then (past) or now.
  const refer = (
    service: Pick<MaracService, 'refer'>,
    by: Principal,
    couple: number,
    details: Omit<Referral, 'victimPersonId' | 'perpetratorPersonIds'>,
  ) => service.refer(ctx(by), { ...couples[couple]!, ...details });

  // --- last week's meeting ---------------------------------------------------------------
  const heardA = await refer(past, police, 0, {
    criterion: 'visible-high-risk',
    dashScore: 16,
    dashReference: 'DASH completed by the attending officer',
    consent: 'given',
  });
  const heardB = await refer(past, idva, 1, {
    criterion: 'professional-judgement',
    judgementReason: 'Threats to kill since the separation; the perpetrator has found her new address.',
    dashScore: 11,
    consent: 'not-given',
    sharingReason: 'Risk of serious harm to the victim and the children outweighs the wish not to share.',
  });
  const held = await past.scheduleMeeting(ctx(coordinator), {
    areaId: area.id,
    forum: 'marac',
    startsAt: lastWeek.toJSDate(),
  });
  for (const c of [heardA, heardB]) await past.listOnMeeting(ctx(coordinator), c.id, held.id);
  clock = lastWeek.minus({ days: 2 }).toJSDate();
  await past.returnResearch(ctx(police), heardA.id, demoResearch('Police', heardA.reference));
  await past.returnResearch(ctx(nurse), heardB.id, demoResearch('Hospital', heardB.reference));
  clock = lastWeek.toJSDate();
  await past.startMeeting(ctx(coordinator), held.id);
  // Each case is heard in turn: its discussion recorded, then the action agreed on it.
  const hear = async (
    heard: { id: string },
    minutesIn: number,
    notes: string,
    action: Parameters<MaracService['addAction']>[2],
  ) => {
    clock = lastWeek.plus({ minutes: minutesIn }).toJSDate();
    await past.recordDiscussion(ctx(coordinator), heard.id, notes);
    await past.addAction(ctx(coordinator), heard.id, action);
  };
  await hear(
    heardA,
    15,
    'Safety plan agreed with the victim through the IDVA; police to review bail conditions.',
    {
      ownerAgencyId: police.agencyId,
      description: 'Review the perpetrator’s bail conditions and tell the IDVA the outcome.',
      dueBy: lastWeek.plus({ days: 4 }).set({ hour: 17 }).toJSDate(),
    },
  );
  await hear(heardB, 30, 'Housing to consider a sanctuary scheme; IDVA to stay in weekly contact.', {
    ownerAgencyId: idva.agencyId,
    description: 'Weekly contact with the victim until the next review.',
    dueBy: nextWeek.plus({ days: 1 }).set({ hour: 17 }).toJSDate(),
  });
  clock = lastWeek.plus({ hours: 1 }).toJSDate();
  await past.finishMeeting(ctx(coordinator), held.id);
  clock = lastWeek.plus({ days: 1 }).toJSDate();
  await past.publishMinutes(
    ctx(coordinator),
    held.id,
    `Two cases heard (${heardA.reference}, ${heardB.reference}). Action plans agreed; both reviewed at the next meeting.`,
  );

  // --- next week's meeting, its agenda and research ----------------------------------------
  const repeat = await refer(marac, nurse, 0, {
    criterion: 'professional-judgement',
    judgementReason: 'Attended the emergency department with injuries she said were from a fall.',
    consent: 'given',
  });
  const high = await refer(marac, police, 2, {
    criterion: 'visible-high-risk',
    dashScore: 18,
    consent: 'given',
  });
  const escalating = await refer(marac, idva, 1, {
    criterion: 'potential-escalation',
    dashScore: 12,
    consent: 'given',
  });
  const next = await marac.scheduleMeeting(ctx(coordinator), {
    areaId: area.id,
    forum: 'marac',
    startsAt: nextWeek.toJSDate(),
  });
  for (const c of [escalating, high, repeat]) await marac.listOnMeeting(ctx(coordinator), c.id, next.id);
  await marac.returnResearch(ctx(police), high.id, demoResearch('Police', high.reference));
  await marac.returnResearch(ctx(nurse), repeat.id, demoResearch('Hospital', repeat.reference));
  return {
    pastMeetingId: held.id,
    nextMeetingId: next.id,
    caseIds: [heardA.id, heardB.id, repeat.id, high.id, escalating.id],
  };
}
