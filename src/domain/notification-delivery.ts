/**
 * Pure rules of outbound delivery (docs/notifications.md): when to try again, when to give up,
 * and what a message may carry on a channel that is not secure.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the delivery is dead-lettered. */
  maxAttempts: number;
  backoffBaseSeconds: number;
  backoffMaxSeconds: number;
}

/** Seconds to wait after the given failed attempt (1-based): base × 2^(attempt−1), capped. */
export function backoffSeconds(failedAttempt: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, failedAttempt - 1);
  return Math.min(policy.backoffMaxSeconds, policy.backoffBaseSeconds * 2 ** exponent);
}

export type AfterFailure = { state: 'retrying'; nextAttemptAt: Date } | { state: 'dead-letter' };

/** What follows a failed attempt: another try after the backoff, or the dead-letter state. */
export function afterFailure(failedAttempt: number, policy: RetryPolicy, now: Date): AfterFailure {
  if (failedAttempt >= policy.maxAttempts) return { state: 'dead-letter' };
  return {
    state: 'retrying',
    nextAttemptAt: new Date(now.getTime() + backoffSeconds(failedAttempt, policy) * 1000),
  };
}

/** The domain of an email address, lower-cased; '' when it has none. */
export function emailDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at === -1
    ? ''
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase();
}

/**
 * Whether an address is in a secure domain: the domain itself or a subdomain of one listed
 * (a listed 'pnn.police.uk' covers 'met.pnn.police.uk').
 */
export function isSecureEmail(address: string, secureDomains: readonly string[]): boolean {
  const domain = emailDomain(address);
  if (!domain) return false;
  return secureDomains.some((d) => {
    const listed = d.trim().toLowerCase().replace(/^\./, '');
    return listed !== '' && (domain === listed || domain.endsWith(`.${listed}`));
  });
}

export interface MessageContent {
  type: string;
  reference: string;
  subject: string;
  link: string;
  detail: string | null;
  sensitiveDetail: string | null;
  dueBy: Date | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  /** Personalisation fields for a GOV.UK Notify template. */
  fields: Record<string, string>;
}

/**
 * The text of a message for an outside channel. Unless the channel is secure it carries only the
 * subject (written without personal data), the reference, the due time and the link: `detail`
 * (free text a worker typed, which may name someone) and `sensitiveDetail` are left out.
 */
export function renderMessage(
  message: MessageContent,
  options: { secure: boolean; publicUrl: string; formatTime: (d: Date) => string },
): RenderedMessage {
  const url = message.link.startsWith('http') ? message.link : `${options.publicUrl}${message.link}`;
  const due = message.dueBy ? options.formatTime(message.dueBy) : '';
  const detail = options.secure ? [message.detail, message.sensitiveDetail].filter(Boolean).join('\n\n') : '';
  const lines = [
    message.subject,
    '',
    `Reference: ${message.reference}`,
    ...(due ? [`Due by: ${due}`] : []),
    ...(detail ? ['', detail] : []),
    '',
    `Sign in to Harbour to see it: ${url}`,
  ];
  return {
    subject: `${message.subject} (${message.reference})`,
    text: lines.join('\n'),
    fields: {
      subject: message.subject,
      reference: message.reference,
      link: url,
      due_by: due,
      detail,
    },
  };
}
