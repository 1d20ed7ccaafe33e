import { randomUUID } from 'node:crypto';
import type { Trx } from '../../db/database.ts';
import type { AuditContext } from '../../platform/audit.ts';
import { referenceFor } from '../actions/outbox-port.ts';
import type { NotificationsService } from '../notifications/service.ts';

const DAY = 86_400_000;

/** A generated child the demo's messages are about, with the agencies that know them. */
export interface DemoChild {
  id: string;
  name: string;
  areaId: string;
  schoolAgencyId: string | null;
  parentIds: readonly string[];
}

/**
 * The demo's outbox (docs/notifications.md), written in the seed's transaction through the
 * notifications service: channel settings for two agencies, and a few unread messages so the
 * inbox of the Northbridge MASH (Sam Social-Worker, Morgan Manager) and of Riverside Primary
 * School (Dana DSL) is not empty. Every outside channel stays off, so nothing leaves Harbour:
 * the police have an address in their secure mail domain but only the inbox chosen, and the
 * Northbridge MASH has a webhook address (its secret made by Harbour) that no message type uses
 * until an administrator ticks it. The children are generated people; the messages are fiction.
 */
export async function seedNotificationsDemo(
  trx: Trx,
  notifications: Pick<NotificationsService, 'enqueue' | 'configureAgency'>,
  context: AuditContext,
  input: {
    now: Date;
    agencyIds: ReadonlyMap<string, string>;
    socialWorkerId: string;
    children: readonly DemoChild[];
  },
): Promise<number> {
  const agency = (code: string) => {
    const id = input.agencyIds.get(code);
    if (!id) throw new Error(`the demo has no agency ${code}`);
    return id;
  };
  const police = agency('police');
  const mash = agency('northbridge-csc');
  const school = agency('school-riverside-primary-school');
  // Every message type to Harbour's inbox only; each agency adds the addresses it has.
  const inAppOnly = {
    email: '',
    phone: '',
    webhookUrl: '',
    webhookSecure: false,
    secureEmailDomains: '',
    channels: { '*': ['in-app'] },
  };
  await notifications.configureAgency(trx, context, police, {
    ...inAppOnly,
    email: 'central.referrals@police.harbour.example',
    secureEmailDomains: 'police.harbour.example',
    newSecret: false,
  });
  await notifications.configureAgency(trx, context, mash, {
    ...inAppOnly,
    email: 'mash@northbridge.harbour.example',
    webhookUrl: 'https://case-system.northbridge.harbour.example/harbour/messages',
    newSecret: true,
  });

  const pupil = input.children.find((c) => c.schoolAgencyId === school);
  const other = input.children.find((c) => c !== pupil && c.areaId === pupil?.areaId);
  if (!pupil || !other) return 0;
  const as = (agencyId: string, name: string): AuditContext => ({
    ...context,
    principal: { ...context.principal, agencyId, name },
  });
  const hours = (n: number) => new Date(input.now.getTime() + n * 3_600_000);
  /** What a message about a child carries: its area, the people it names, a reference and the child's page. */
  const about = (child: DemoChild, referencePrefix: string, personIds = [child.id]) => ({
    areaId: child.areaId,
    personIds,
    reference: referenceFor(referencePrefix, randomUUID()),
    link: `/people/${child.id}`,
  });
  type Message = [AuditContext, Parameters<NotificationsService['enqueue']>[2]];
  /** The MASH manager's action about the pupil, assigned to a person or to an agency's inbox. */
  const actionAssigned = (
    to: Message[1]['to'],
    text: { subject: string; detail: string; sensitiveDetail: string },
    dueBy: Date,
  ): Message => [
    as(mash, 'Morgan Manager'),
    { type: 'action.assigned', to, ...about(pupil, 'ACT'), ...text, dueBy },
  ];
  const messages: Message[] = [
    [
      as(mash, 'Max MARAC-Coordinator'),
      {
        type: 'marac.research-request',
        to: { agencyId: mash },
        ...about(other, 'MARAC', [other.id, ...other.parentIds]),
        subject: 'MARAC research request: a family listed for the next meeting',
        sensitiveDetail: `Please share what children’s services hold about ${other.name} and their parents before the meeting.`,
        dueBy: new Date(input.now.getTime() + 3 * DAY),
      },
    ],
    actionAssigned(
      { agencyId: mash, userId: input.socialWorkerId },
      {
        subject: 'An action is assigned to you: a home visit',
        detail: 'Visit the family with the health visitor and record what the child says.',
        sensitiveDetail: `Home visit for ${pupil.name}.`,
      },
      hours(48),
    ),
    actionAssigned(
      { agencyId: school },
      {
        subject: 'An action is assigned to your school: share attendance',
        detail: 'Share this term’s attendance and any concerns raised by staff.',
        sensitiveDetail: `Attendance for ${pupil.name}.`,
      },
      hours(72),
    ),
    [
      as(police, 'PC Alex Officer'),
      {
        type: 'encompass.notice',
        to: { agencyId: school },
        ...about(pupil, 'ENC'),
        subject: 'Operation Encompass: police attended a domestic abuse incident at a pupil’s home',
        sensitiveDetail: `Police attended ${pupil.name}’s home last night; the child was present. Please do not approach the parents about it.`,
        dueBy: hours(12),
      },
    ],
  ];
  for (const [sender, message] of messages) await notifications.enqueue(trx, sender, message);
  return messages.length;
}
