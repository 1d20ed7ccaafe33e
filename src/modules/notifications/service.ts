import { type Trx, transaction } from '../../db/database.ts';
import type { DeliveryChannel, DeliveryStatus } from '../../db/schema/notifications.ts';
import { afterFailure, isSecureEmail, renderMessage } from '../../domain/notification-delivery.ts';
import {
  decideDeliveryRetry,
  decideNotificationRead,
  decideUndeliveredView,
  ForbiddenError,
  grantedScopes,
} from '../../platform/access.ts';
import { type AuditContext, recordAudit } from '../../platform/audit.ts';
import type { Deps } from '../../platform/deps.ts';
import { type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { type Principal, SYSTEM_PRINCIPAL } from '../../platform/principal.ts';
import { formatDateTime } from '../../platform/views.ts';
import type { Outbox, OutboxMessage } from '../actions/index.ts';
import type { DirectoryService } from '../directory/service.ts';
import { PermanentDeliveryError, sendEmail, sendNotify, sendWebhook } from './channels.ts';
import * as repo from './repository.ts';
import {
  CHANNEL_NAMES,
  type Channel,
  type NotificationSettings,
  USER_CHANNELS,
  webhookSecretFromEnvironment,
} from './settings.ts';

export const DELIVER_QUEUE = 'notifications.deliver';
/** The preference row that applies to every message type without a row of its own. */
export const ANY_TYPE = '*';

export interface NotificationsCollaborators {
  directory: Pick<DirectoryService, 'areaIdsOfAgency' | 'userContacts' | 'agenciesByIds' | 'agencyChoices'>;
}

export interface AgencySettingInput {
  email: string;
  phone: string;
  webhookUrl: string;
  webhookSecure: boolean;
  secureEmailDomains: string;
  /** Regenerate the webhook secret (it is shown once, on the page that saved it). */
  newSecret: boolean;
  /** Channels per message type ('*' for every type without its own choice). */
  channels: Record<string, string[]>;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ]{10,15}$/;
const DOMAIN = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

function sanitiseChannels(list: readonly string[], allowed: readonly Channel[]): Channel[] {
  return [...new Set(list)].filter((c): c is Channel => (allowed as string[]).includes(c));
}

/**
 * The outbox (docs/notifications.md, decision 0018). `enqueue` writes the message and one
 * delivery per channel and recipient in the caller's transaction, with a job per outside
 * delivery; `deliver` makes one attempt and records it, scheduling the next with exponential
 * backoff or dead-lettering the delivery after the configured number of attempts. Nothing is
 * deleted, so a message that could not be delivered stays in the report and the sender's list.
 */
export function notificationsService(deps: Deps, { directory }: NotificationsCollaborators) {
  const { db } = deps;
  const settings = (): NotificationSettings => deps.config.partnership.notifications;

  /** The channels an agency (userId null) or a person chose for a type, else the partnership's defaults. */
  async function chosenChannels(
    conn: Trx,
    agencyId: string,
    userId: string | null,
    type: string,
  ): Promise<Channel[] | null> {
    const rows = await repo.preferences(conn, agencyId, { userId, types: [type, ANY_TYPE] });
    const row = rows.find((r) => r.message_type === type) ?? rows.find((r) => r.message_type === ANY_TYPE);
    return row ? sanitiseChannels(row.channels, CHANNEL_NAMES) : null;
  }

  async function plan(trx: Trx, message: OutboxMessage): Promise<repo.NewDeliveryRow[]> {
    const s = settings();
    const agencyId = message.to.agencyId;
    const userId = message.to.userId ?? null;
    const setting = await repo.agencySetting(trx, agencyId);
    const secureDomains = [...s.secureEmailDomains, ...(setting?.secure_email_domains ?? [])];
    const mayCarry = !s.neverSensitiveTypes.includes(message.type);
    const sensitive = Boolean(message.sensitiveDetail || message.detail);
    const now = deps.now();
    // The inbox always holds the message; other channels are in addition to it.
    const rows: repo.NewDeliveryRow[] = [
      {
        channel: 'in-app',
        recipient_user_id: userId,
        address: userId ? `user:${userId}` : `agency:${agencyId}`,
        includes_sensitive: sensitive,
        status: 'sent',
        sent_at: now,
      },
    ];
    const undeliverable = (channel: DeliveryChannel, why: string): repo.NewDeliveryRow => ({
      channel,
      recipient_user_id: userId,
      address: why,
      includes_sensitive: false,
      status: 'dead-letter',
      sent_at: null,
    });
    const pending = (
      channel: DeliveryChannel,
      address: string,
      includesSensitive: boolean,
      recipientUserId: string | null,
    ): repo.NewDeliveryRow => ({
      channel,
      recipient_user_id: recipientUserId,
      address,
      includes_sensitive: sensitive && mayCarry && includesSensitive,
      status: 'pending',
      sent_at: null,
    });

    if (userId === null) {
      const channels =
        (await chosenChannels(trx, agencyId, null, message.type)) ??
        sanitiseChannels(s.typeChannels[message.type] ?? s.defaultChannels, CHANNEL_NAMES);
      for (const channel of channels) {
        if (channel === 'in-app') continue;
        if (channel === 'email' || channel === 'notify-email') {
          if (setting?.email)
            rows.push(pending(channel, setting.email, isSecureEmail(setting.email, secureDomains), null));
          else rows.push(undeliverable(channel, 'the agency has no email address'));
        } else if (channel === 'notify-sms') {
          if (setting?.phone) rows.push(pending(channel, setting.phone, false, null));
          else rows.push(undeliverable(channel, 'the agency has no phone number'));
        } else if (channel === 'webhook') {
          if (setting?.webhook_url && setting.webhook_secret)
            rows.push(pending(channel, setting.webhook_url, setting.webhook_secure, null));
          else rows.push(undeliverable(channel, 'the agency has no webhook'));
        }
      }
    }
    // People who chose their own channels for this type: the addressee, or the agency's people.
    const people = userId
      ? [{ userId, channels: (await chosenChannels(trx, agencyId, userId, message.type)) ?? [] }]
      : (await repo.preferences(trx, agencyId, { types: [message.type, ANY_TYPE] }))
          .filter((r) => r.user_id !== null)
          .sort((a, b) => (a.message_type === ANY_TYPE ? 1 : 0) - (b.message_type === ANY_TYPE ? 1 : 0))
          .filter((r, i, all) => all.findIndex((o) => o.user_id === r.user_id) === i)
          .map((r) => ({
            userId: r.user_id as string,
            channels: sanitiseChannels(r.channels, USER_CHANNELS),
          }));
    const wanted = people.filter((p) => p.channels.some((c) => c !== 'in-app'));
    const contacts = await directory.userContacts(
      wanted.map((p) => p.userId),
      trx,
    );
    for (const person of wanted) {
      const contact = contacts.find((c) => c.id === person.userId && c.agency_id === agencyId);
      if (!contact) continue;
      for (const channel of person.channels)
        if (channel === 'email' || channel === 'notify-email')
          rows.push(pending(channel, contact.email, isSecureEmail(contact.email, secureDomains), contact.id));
    }
    return rows;
  }

  async function enqueue(trx: Trx, context: AuditContext, message: OutboxMessage): Promise<{ id: string }> {
    const areaId = message.areaId ?? (await directory.areaIdsOfAgency(message.to.agencyId, trx)).sort()[0];
    if (!areaId)
      throw new Error(`the recipient agency ${message.to.agencyId} serves no area and no area was given`);
    const personIds = [...new Set(message.personIds ?? [])];
    const id = await repo.insertMessage(trx, {
      area_id: areaId,
      type: message.type,
      recipient_agency_id: message.to.agencyId,
      recipient_user_id: message.to.userId ?? null,
      reference: message.reference,
      subject: message.subject,
      link: message.link,
      detail: message.detail ?? null,
      sensitive_detail: message.sensitiveDetail ?? null,
      person_ids: personIds,
      due_by: message.dueBy ?? null,
      sender_agency_id: context.principal.agencyId,
      sender_name: context.principal.name,
    });
    const rows = await plan(trx, message);
    const created = await repo.insertDeliveries(trx, id, areaId, rows, deps.now());
    for (const [i, delivery] of created.entries())
      if (rows[i]!.status === 'pending')
        await deps.jobs?.enqueue(
          trx,
          DELIVER_QUEUE,
          { deliveryId: delivery.id },
          { singletonKey: `${delivery.id}:1` },
        );
    await recordAudit(trx, context, {
      action: 'notification.send',
      subjectType: 'outbox_message',
      subjectId: id,
      personIds,
      areaId,
      details: { type: message.type, to: message.to, channels: rows.map((r) => r.channel) },
    });
    return { id };
  }

  /** An agency's settings as entered, checked: a ValidationError with every problem, else the clean values. */
  function validAgencySetting(input: AgencySettingInput) {
    const errors: FieldError[] = [];
    const email = input.email.trim().toLowerCase();
    const phone = input.phone.trim();
    const webhookUrl = input.webhookUrl.trim();
    const domains = input.secureEmailDomains
      .split(/[\s,]+/)
      .map((d) => d.trim().toLowerCase())
      .filter(Boolean);
    if (email && !EMAIL.test(email))
      errors.push({
        field: 'email',
        message: 'Enter an email address in the correct format, like name@example.org',
      });
    if (phone && !PHONE.test(phone))
      errors.push({ field: 'phone', message: 'Enter a phone number, like 07700 900 982' });
    if (webhookUrl && !/^https?:\/\/[^\s]+$/.test(webhookUrl))
      errors.push({ field: 'webhookUrl', message: 'Enter the webhook address, starting https://' });
    const badDomain = domains.find((d) => !DOMAIN.test(d));
    if (badDomain)
      errors.push({
        field: 'secureEmailDomains',
        message: `Enter mail domains like nhs.net; "${badDomain}" is not one`,
      });
    const channels = Object.entries(input.channels).map(([type, list]) => ({
      type,
      channels: sanitiseChannels(list, CHANNEL_NAMES),
    }));
    const needs = (c: Channel) => channels.some((p) => p.channels.includes(c));
    if ((needs('email') || needs('notify-email')) && !email)
      errors.push({
        field: 'email',
        message: 'Enter the agency’s email address, or choose no email channel',
      });
    if (needs('notify-sms') && !phone)
      errors.push({
        field: 'phone',
        message: 'Enter the agency’s phone number, or choose no text message channel',
      });
    if (needs('webhook') && !webhookUrl)
      errors.push({
        field: 'webhookUrl',
        message: 'Enter the webhook address, or choose no webhook channel',
      });
    if (errors.length) throw new ValidationError(errors);
    return { email, phone, webhookUrl, domains, channels };
  }

  async function writeAgencySetting(
    trx: Trx,
    context: AuditContext,
    agencyId: string,
    input: AgencySettingInput,
    { email, phone, webhookUrl, domains, channels }: ReturnType<typeof validAgencySetting>,
  ): Promise<{ webhookSecret: string | null }> {
    const existing = await repo.agencySetting(trx, agencyId);
    const secret =
      webhookUrl && (input.newSecret || !existing?.webhook_secret)
        ? crypto.getRandomValues(Buffer.alloc(32)).toString('base64url')
        : (existing?.webhook_secret ?? null);
    await repo.saveAgencySetting(trx, {
      agency_id: agencyId,
      email: email || null,
      phone: phone || null,
      webhook_url: webhookUrl || null,
      webhook_secret: webhookUrl ? secret : null,
      webhook_secure: webhookUrl ? input.webhookSecure : false,
      secure_email_domains: [...new Set(domains)],
      updated_at: deps.now(),
    });
    await repo.replacePreferences(
      trx,
      agencyId,
      null,
      channels.filter((c) => c.channels.length > 0),
      deps.now(),
    );
    await recordAudit(trx, context, {
      action: 'notification.agency-settings',
      subjectType: 'agency',
      subjectId: agencyId,
      details: {
        channels: Object.fromEntries(channels.map((c) => [c.type, c.channels])),
        newSecret: secret !== existing?.webhook_secret,
      },
    });
    return { webhookSecret: secret && secret !== existing?.webhook_secret ? secret : null };
  }

  async function send(row: repo.DeliveryRow, now: Date): Promise<void> {
    const s = settings();
    const content = renderMessage(
      {
        type: row.type,
        reference: row.reference,
        subject: row.subject,
        link: row.link,
        detail: row.detail,
        sensitiveDetail: row.sensitive_detail,
        dueBy: row.due_by,
      },
      { secure: row.includes_sensitive, publicUrl: deps.config.publicUrl, formatTime: formatDateTime },
    );
    if (row.channel === 'email') return sendEmail(s, row.address, content, row.id);
    if (row.channel === 'notify-email') return sendNotify(s, 'email', row.type, row.address, content, row.id);
    if (row.channel === 'notify-sms') return sendNotify(s, 'sms', row.type, row.address, content, row.id);
    if (row.channel === 'webhook') {
      const setting = await repo.agencySetting(db, row.recipient_agency_id);
      if (!setting?.webhook_url || !setting.webhook_secret)
        throw new PermanentDeliveryError('the agency has no webhook');
      // HARBOUR_WEBHOOK_SECRET_<CODE> replaces the secret Harbour made (docs/configuration.md).
      const [agency] = await directory.agenciesByIds([row.recipient_agency_id]);
      const secret = (agency && webhookSecretFromEnvironment(s, agency.code)) || setting.webhook_secret;
      const body = JSON.stringify({
        deliveryId: row.id,
        messageId: row.message_id,
        type: row.type,
        reference: row.reference,
        subject: row.subject,
        link: content.fields.link,
        dueBy: row.due_by?.toISOString() ?? null,
        ...(row.includes_sensitive ? { detail: row.detail, sensitiveDetail: row.sensitive_detail } : {}),
        sentAt: now.toISOString(),
      });
      return sendWebhook(s, { url: setting.webhook_url, secret }, body, row.id, now);
    }
  }

  /**
   * One attempt at one delivery (what the job runs; a test runs it directly, moving the clock).
   * Returns the delivery's state after it.
   */
  async function deliver(deliveryId: string): Promise<DeliveryStatus | null> {
    const row = await repo.findDelivery(db, deliveryId);
    if (!row) return null;
    if (row.status === 'sent' || row.status === 'dead-letter' || row.channel === 'in-app') return row.status;
    let error: unknown = null;
    try {
      await send(row, deps.now());
    } catch (caught) {
      error = caught;
    }
    return transaction(db, async (trx) => {
      const locked = await repo.lockDelivery(trx, deliveryId);
      if (!locked || locked.status === 'sent' || locked.status === 'dead-letter')
        return locked?.status ?? null;
      const now = deps.now();
      const attempts = locked.attempts + 1;
      if (error === null) {
        await repo.recordAttempt(trx, deliveryId, {
          status: 'sent',
          attempts,
          at: now,
          nextAttemptAt: null,
          error: null,
        });
        return 'sent' as const;
      }
      const message = (error as Error).message?.slice(0, 500) || 'delivery failed';
      const next =
        error instanceof PermanentDeliveryError
          ? ({ state: 'dead-letter' } as const)
          : afterFailure(attempts, settings(), now);
      if (next.state === 'retrying') {
        await repo.recordAttempt(trx, deliveryId, {
          status: 'retrying',
          attempts,
          at: now,
          nextAttemptAt: next.nextAttemptAt,
          error: message,
        });
        await deps.jobs?.enqueue(
          trx,
          DELIVER_QUEUE,
          { deliveryId },
          { startAfter: next.nextAttemptAt, singletonKey: `${deliveryId}:${attempts + 1}` },
        );
        return 'retrying' as const;
      }
      await repo.recordAttempt(trx, deliveryId, {
        status: 'dead-letter',
        attempts,
        at: now,
        nextAttemptAt: null,
        error: message,
      });
      await recordAudit(
        trx,
        { principal: { ...systemPrincipal } },
        {
          action: 'notification.dead-letter',
          outcome: 'failed',
          subjectType: 'outbox_delivery',
          subjectId: deliveryId,
          areaId: locked.area_id,
          reason: message,
          details: { channel: locked.channel, attempts },
        },
      );
      return 'dead-letter' as const;
    });
  }

  function inboxOwner(principal: Principal) {
    if (grantedScopes(principal, 'notification:inbox').length === 0 || principal.agencyId === null)
      throw new ForbiddenError('notification:inbox', 'no role held grants notification:inbox', {
        type: 'outbox_message',
      });
    return { agencyId: principal.agencyId, userId: principal.userId };
  }

  function present(row: repo.DeliveryRow) {
    return {
      id: row.id,
      messageId: row.message_id,
      type: row.type,
      reference: row.reference,
      subject: row.subject,
      link: row.link,
      dueBy: row.due_by,
      toYou: row.message_user_id !== null,
      read: row.read_at !== null,
      readAt: row.read_at,
      readBy: row.read_by_name,
      sentBy: row.sender_name,
      createdAt: row.created_at,
    };
  }

  return {
    enqueue,
    deliver,

    async inbox(context: AuditContext, query: { show: 'all' | 'unread'; page: number }) {
      const who = inboxOwner(context.principal);
      const pageSize = settings().pageSize;
      const { rows, total } = await repo.inboxPage(db, who, { ...query, pageSize });
      // The list names no one (subjects and references carry no personal data); reads of a message are audited with its people.
      await recordAudit(db, context, {
        action: 'notification.inbox',
        details: { show: query.show, page: query.page, results: total },
      });
      return { rows: rows.map(present), total, page: query.page, pageSize };
    },

    async unreadFor(principal: Principal): Promise<number> {
      if (grantedScopes(principal, 'notification:inbox').length === 0 || principal.agencyId === null)
        return 0;
      return repo.unreadCount(db, { agencyId: principal.agencyId, userId: principal.userId });
    },

    /** One message with its detail, marked read; the read is audited with the people it is about. */
    async open(context: AuditContext, deliveryId: string) {
      return transaction(db, async (trx) => {
        const row = await repo.findDelivery(trx, deliveryId);
        if (!row || row.channel !== 'in-app') throw new NotFoundError('The message');
        const decision = decideNotificationRead(context.principal, {
          recipientAgencyId: row.recipient_agency_id,
          recipientUserId: row.message_user_id,
        });
        if (!decision.allowed)
          throw new ForbiddenError('notification:inbox', decision.reason, {
            type: 'outbox_message',
            id: row.message_id,
            personIds: row.person_ids,
            areaId: row.area_id,
          });
        await repo.markRead(trx, deliveryId, deps.now(), context.principal.name);
        await recordAudit(trx, context, {
          action: 'notification.read',
          subjectType: 'outbox_message',
          subjectId: row.message_id,
          personIds: row.person_ids,
          areaId: row.area_id,
        });
        return { ...present(row), detail: row.detail, sensitiveDetail: row.sensitive_detail };
      });
    },

    /** Every delivery by state and channel (administrators); subjects and addresses only, no detail. */
    async report(
      context: AuditContext,
      query: { status: DeliveryStatus | 'any'; channel: DeliveryChannel | 'any'; page: number },
    ) {
      if (grantedScopes(context.principal, 'notification:report').length === 0)
        throw new ForbiddenError('notification:report', 'no role held grants notification:report', {
          type: 'outbox_delivery',
        });
      return reportRows(context, query, undefined);
    },

    /** The messages the principal's own agency sent that could not be delivered (its managers). */
    async undelivered(context: AuditContext, query: { page: number }) {
      const decision = decideUndeliveredView(context.principal, {
        senderAgencyId: context.principal.agencyId,
      });
      if (!decision.allowed || !context.principal.agencyId)
        throw new ForbiddenError('notification:view-undelivered', decision.reason, {
          type: 'outbox_delivery',
        });
      return reportRows(
        context,
        { status: 'dead-letter', channel: 'any', page: query.page },
        context.principal.agencyId,
      );
    },

    /**
     * "Try again": a dead-lettered delivery is made pending with a fresh schedule and its job
     * queued, in one audited transaction. Administrators for any; the sender's managers for theirs.
     */
    async retry(context: AuditContext, deliveryId: string) {
      return transaction(db, async (trx) => {
        const row = await repo.lockDelivery(trx, deliveryId);
        if (!row || row.channel === 'in-app') throw new NotFoundError('The delivery');
        const decision = decideDeliveryRetry(context.principal, { senderAgencyId: row.sender_agency_id });
        if (!decision.allowed)
          throw new ForbiddenError('notification:view-undelivered', decision.reason, {
            type: 'outbox_delivery',
            id: deliveryId,
            areaId: row.area_id,
          });
        if (row.status !== 'dead-letter')
          throw new ValidationError([
            { field: 'delivery', message: 'Only a delivery that could not be delivered can be tried again' },
          ]);
        const now = deps.now();
        await repo.requeueDelivery(trx, deliveryId, now);
        await deps.jobs?.enqueue(
          trx,
          DELIVER_QUEUE,
          { deliveryId },
          { singletonKey: `${deliveryId}:retry:${now.getTime()}` },
        );
        await recordAudit(trx, context, {
          action: 'notification.retry',
          subjectType: 'outbox_delivery',
          subjectId: deliveryId,
          areaId: row.area_id,
          details: { channel: row.channel, previousAttempts: row.attempts, lastError: row.last_error },
        });
        return { reference: row.reference };
      });
    },

    async undeliveredCount(principal: Principal): Promise<number> {
      if (
        !principal.agencyId ||
        !decideUndeliveredView(principal, { senderAgencyId: principal.agencyId }).allowed
      )
        return 0;
      return (await repo.statusCounts(db, principal.agencyId))['dead-letter'] ?? 0;
    },

    async agencyList(context: AuditContext) {
      assertConfigure(context.principal);
      return directory.agencyChoices();
    },

    async agencySettings(context: AuditContext, agencyId: string) {
      assertConfigure(context.principal);
      const [agency] = await directory.agenciesByIds([agencyId]);
      if (!agency) throw new NotFoundError('The agency');
      const setting = await repo.agencySetting(db, agencyId);
      const prefs = await repo.preferences(db, agencyId, { userId: null });
      return {
        agency,
        setting: setting ?? null,
        channels: Object.fromEntries(prefs.map((p) => [p.message_type, p.channels])) as Record<
          string,
          string[]
        >,
      };
    },

    /** Saves an agency's addresses, secure domains and channels; returns a new webhook secret once. */
    async saveAgencySettings(context: AuditContext, agencyId: string, input: AgencySettingInput) {
      assertConfigure(context.principal);
      const [agency] = await directory.agenciesByIds([agencyId]);
      if (!agency) throw new NotFoundError('The agency');
      const valid = validAgencySetting(input);
      return transaction(db, (trx) => writeAgencySetting(trx, context, agencyId, input, valid));
    },

    /**
     * The same as saveAgencySettings, in the caller's transaction and without an administrator's
     * check: for the system itself (the demo seed, acting as `harbour seed`), never for a request.
     */
    async configureAgency(trx: Trx, context: AuditContext, agencyId: string, input: AgencySettingInput) {
      return writeAgencySetting(trx, context, agencyId, input, validAgencySetting(input));
    },

    async myPreferences(context: AuditContext) {
      const who = inboxOwner(context.principal);
      const rows = await repo.preferences(db, who.agencyId, { userId: who.userId });
      return Object.fromEntries(rows.map((p) => [p.message_type, p.channels])) as Record<string, string[]>;
    },

    async saveMyPreferences(context: AuditContext, channels: Record<string, string[]>) {
      const who = inboxOwner(context.principal);
      if (!who.userId)
        throw new ForbiddenError('notification:inbox', 'only a person chooses their own channels');
      const userId = who.userId;
      const choices = Object.entries(channels)
        .map(([type, list]) => ({ type, channels: sanitiseChannels(list, USER_CHANNELS) }))
        .filter((c) => c.channels.length > 0);
      await transaction(db, async (trx) => {
        await repo.replacePreferences(trx, who.agencyId, userId, choices, deps.now());
        await recordAudit(trx, context, {
          action: 'notification.preferences',
          subjectType: 'app_user',
          subjectId: userId,
          details: { channels: Object.fromEntries(choices.map((c) => [c.type, c.channels])) },
        });
      });
    },
  };

  async function reportRows(
    context: AuditContext,
    query: { status: DeliveryStatus | 'any'; channel: DeliveryChannel | 'any'; page: number },
    senderAgencyId: string | undefined,
  ) {
    const pageSize = settings().pageSize;
    const { rows, total } = await repo.report(db, {
      ...query,
      pageSize,
      ...(senderAgencyId ? { senderAgencyId } : {}),
    });
    const counts = await repo.statusCounts(db, senderAgencyId);
    const agencyIds = [...new Set(rows.map((r) => r.recipient_agency_id))];
    const names = new Map((await directory.agenciesByIds(agencyIds)).map((a) => [a.id, a.name]));
    await recordAudit(db, context, {
      action: senderAgencyId ? 'notification.undelivered' : 'notification.report',
      details: { ...query, results: total },
    });
    return {
      rows: rows.map((r) => ({
        id: r.id,
        type: r.type,
        reference: r.reference,
        subject: r.subject,
        channel: r.channel,
        address: r.address,
        recipientAgency: names.get(r.recipient_agency_id) ?? 'Unknown agency',
        status: r.status,
        attempts: r.attempts,
        nextAttemptAt: r.next_attempt_at,
        lastError: r.last_error,
        sentBy: r.sender_name,
        createdAt: r.created_at,
        updatedAt: r.updated_at,
        includesSensitive: r.includes_sensitive,
        mayRetry:
          r.status === 'dead-letter' &&
          decideDeliveryRetry(context.principal, { senderAgencyId: r.sender_agency_id }).allowed,
      })),
      total,
      page: query.page,
      pageSize,
      counts,
    };
  }
}

function assertConfigure(principal: Principal) {
  if (grantedScopes(principal, 'notification:configure').length === 0)
    throw new ForbiddenError('notification:configure', 'no role held grants notification:configure', {
      type: 'agency',
    });
}

const systemPrincipal: Principal = { ...SYSTEM_PRINCIPAL, name: 'Harbour outbox' };

export type NotificationsService = ReturnType<typeof notificationsService> & Outbox;
