import Type, { type Static } from 'typebox';

/** Every channel a delivery can go by (the outbox_delivery.channel check lists the same). */
export const CHANNELS = {
  'in-app': 'Harbour inbox',
  email: 'Email',
  'notify-email': 'Email by GOV.UK Notify',
  'notify-sms': 'Text message by GOV.UK Notify',
  webhook: 'Webhook to the agency’s system',
} as const;
export type Channel = keyof typeof CHANNELS;
export const CHANNEL_NAMES = Object.keys(CHANNELS) as Channel[];
/** What a person may choose for themself: their inbox and their own email address. */
export const USER_CHANNELS: readonly Channel[] = ['in-app', 'email', 'notify-email'];

/** The messages Harbour sends today, named for the preference pages; any other type uses the defaults. */
export const MESSAGE_TYPES: Readonly<Record<string, string>> = {
  'action.assigned': 'An action is assigned to your agency',
  'action.overdue': 'An action of your agency is overdue',
  'front-door.enquiry': 'Information is requested from your agency about a contact',
  'front-door.breach': 'A deadline was missed',
  'front-door.decision-breach': 'A contact passed its decision deadline',
  'front-door.screening-breach': 'A contact was not screened in time',
  'front-door.enquiry-breach': 'An agency’s enquiry answer is overdue (MASH managers)',
  'front-door.enquiry-overdue': 'Your agency’s enquiry answer is overdue',
  'risk.dash-awaited.reminder': 'A DASH risk assessment is overdue',
  'risk.dash-awaited.escalation': 'An overdue DASH risk assessment is escalated',
  'strategy-discussion.invitation': 'An invitation to a strategy discussion',
  'strategy-discussion.outcome': 'A strategy discussion’s outcome',
  'strategy-discussion.contribution': 'A contribution to a strategy discussion',
  'marac.research-request': 'A MARAC research request',
  'encompass.notice': 'An Operation Encompass notice',
  'encompass.escalation': 'An Operation Encompass notice is not yet acknowledged',
  'health.ed-attendance': 'A child or adult known to your agency attended the emergency department',
  'health.ask-holder': 'Unscheduled care asks your agency about a plan it holds',
  'safeguarding-check.escalated': 'A probation safeguarding check is late',
};

const ChannelSchema = Type.Union(CHANNEL_NAMES.map((c) => Type.Literal(c)));

/**
 * The outbox and its channels (docs/notifications.md). Defaults keep every message in Harbour's
 * inbox only; an agency or a person adds channels on the preference pages. Secrets (the Notify
 * API key, the SMTP password, webhook secrets) come from the environment (applyNotificationEnvironment).
 */
export const NotificationSettingsSchema = Type.Object(
  {
    /** Attempts per delivery, the first included, before it is dead-lettered. */
    maxAttempts: Type.Integer({ minimum: 1, maximum: 50, default: 8 }),
    /** The wait after the first failure; it doubles after each one, up to backoffMaxSeconds. */
    backoffBaseSeconds: Type.Integer({ minimum: 1, maximum: 86_400, default: 30 }),
    backoffMaxSeconds: Type.Integer({ minimum: 1, maximum: 604_800, default: 3600 }),
    /** Channels an agency receives a message type on when it has chosen none. */
    defaultChannels: Type.Array(ChannelSchema, { default: ['in-app'], maxItems: 5 }),
    /** Per message type, channels that replace defaultChannels (an agency's own choice wins). */
    typeChannels: Type.Record(Type.String(), Type.Array(ChannelSchema, { maxItems: 5 }), { default: {} }),
    /** Mail domains secure for every agency (e.g. 'pnn.police.uk', 'nhs.net'); agencies add their own. */
    secureEmailDomains: Type.Array(Type.String({ minLength: 1, maxLength: 253 }), {
      default: [],
      maxItems: 50,
    }),
    /** Message types that never carry their personal detail outside Harbour, even on a secure channel. */
    neverSensitiveTypes: Type.Array(Type.String(), { default: [], maxItems: 50 }),
    smtp: Type.Object(
      {
        host: Type.String({ minLength: 1, default: '127.0.0.1' }),
        port: Type.Integer({ minimum: 1, maximum: 65_535, default: 1025 }),
        /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
        secure: Type.Boolean({ default: false }),
        from: Type.String({ minLength: 3, default: 'Harbour <no-reply@harbour.example>' }),
        /** Sign-in to the relay; empty for none. Set HARBOUR_SMTP_USER and HARBOUR_SMTP_PASSWORD rather than the file. */
        user: Type.String({ default: '' }),
        password: Type.String({ default: '' }),
      },
      { additionalProperties: false, default: {} },
    ),
    notify: Type.Object(
      {
        /** The Notify API; a stand-in's address in tests and the demo (the real one is unreachable here). */
        baseUrl: Type.String({ pattern: '^https?://', default: 'https://api.notifications.service.gov.uk' }),
        /** The service's API key ('name-serviceId-secret'); empty turns the Notify channels off. */
        apiKey: Type.String({ default: '' }),
        /** Template ids per message type; 'default' for any type not listed. */
        templates: Type.Record(
          Type.String(),
          Type.Object(
            { email: Type.Optional(Type.String()), sms: Type.Optional(Type.String()) },
            { additionalProperties: false },
          ),
          { default: {} },
        ),
      },
      { additionalProperties: false, default: {} },
    ),
    webhook: Type.Object(
      {
        /** A receiver should refuse a timestamp further than this from its clock. */
        toleranceSeconds: Type.Integer({ minimum: 30, maximum: 3600, default: 300 }),
        timeoutMilliseconds: Type.Integer({ minimum: 100, maximum: 60_000, default: 10_000 }),
        /**
         * Signing secrets by agency code that replace the one Harbour made for that agency; filled from
         * HARBOUR_WEBHOOK_SECRET_<CODE> (not meant for the partnership file).
         */
        secrets: Type.Record(Type.String(), Type.String({ minLength: 16 }), { default: {} }),
      },
      { additionalProperties: false, default: {} },
    ),
    /** Rows a page of the inbox and the delivery report shows. */
    pageSize: Type.Integer({ minimum: 5, maximum: 200, default: 25 }),
  },
  { additionalProperties: false, default: {} },
);

export type NotificationSettings = Static<typeof NotificationSettingsSchema>;

const WEBHOOK_SECRET_PREFIX = 'HARBOUR_WEBHOOK_SECRET_';

/** The environment variable holding an agency's webhook signing secret: its code, upper case, `_` for the rest. */
export function webhookSecretVariable(agencyCode: string): string {
  return `${WEBHOOK_SECRET_PREFIX}${agencyCode.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/**
 * Secrets and endpoints from the environment (docs/configuration.md), which win over the
 * partnership file, so no key need be written in it. Returns problems naming the variable.
 */
export function applyNotificationEnvironment(
  settings: NotificationSettings,
  env: Record<string, string | undefined>,
): string[] {
  const problems: string[] = [];
  const set = (name: string, apply: (value: string) => void) => {
    const value = env[name];
    if (value !== undefined && value !== '') apply(value);
  };
  set('HARBOUR_SMTP_HOST', (v) => {
    settings.smtp.host = v;
  });
  set('HARBOUR_SMTP_PORT', (v) => {
    const port = Number(v);
    if (/^\d+$/.test(v) && port >= 1 && port <= 65_535) settings.smtp.port = port;
    else problems.push(`HARBOUR_SMTP_PORT must be a port number (1–65535), not "${v}"`);
  });
  set('HARBOUR_SMTP_USER', (v) => {
    settings.smtp.user = v;
  });
  set('HARBOUR_SMTP_PASSWORD', (v) => {
    settings.smtp.password = v;
  });
  set('HARBOUR_NOTIFY_BASE_URL', (v) => {
    if (/^https?:\/\//.test(v)) settings.notify.baseUrl = v;
    else problems.push(`HARBOUR_NOTIFY_BASE_URL must start http:// or https://, not "${v}"`);
  });
  set('HARBOUR_NOTIFY_API_KEY', (v) => {
    settings.notify.apiKey = v;
  });
  if (settings.smtp.password && !settings.smtp.user)
    problems.push('HARBOUR_SMTP_USER must be set when an SMTP password is');
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(WEBHOOK_SECRET_PREFIX) || !value) continue;
    const code = name.slice(WEBHOOK_SECRET_PREFIX.length);
    if (value.length < 16) problems.push(`${name} must be at least 16 characters (got (hidden))`);
    else settings.webhook.secrets[code] = value;
  }
  return problems;
}

/** The webhook secret an environment variable sets for an agency, if any. */
export function webhookSecretFromEnvironment(settings: NotificationSettings, agencyCode: string) {
  return settings.webhook.secrets[webhookSecretVariable(agencyCode).slice(WEBHOOK_SECRET_PREFIX.length)];
}
