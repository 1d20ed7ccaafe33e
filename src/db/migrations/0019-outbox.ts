import { scriptMigration } from '../sql-script.ts';
import { CASE_ROW_KEY, CREATED_AND_UPDATED } from './table-parts.ts';

/**
 * The notifications outbox (docs/notifications.md, decision 0018). outbox_message is what a
 * capability sent, written in the transaction of the event; outbox_delivery is one row per
 * (message, channel, recipient) with its own state: pending → sent, or retrying → dead-letter
 * after the configured number of attempts. A delivery is never deleted, so a message that could
 * not be delivered stays visible. The in-app delivery is the inbox entry (read_at, read_by_name).
 *
 * Preferences are per agency (its addresses, its secure mail domains and whether its webhook
 * is a secure channel) and per agency or user and message type (the channels chosen).
 */
export const { up, down } = scriptMigration({
  up: `
    create table outbox_message (
      ${CASE_ROW_KEY},
      type text not null,
      recipient_agency_id uuid not null references agency(id),
      recipient_user_id uuid references app_user(id),
      reference text not null,
      subject text not null,
      link text not null,
      detail text,
      sensitive_detail text,
      person_ids uuid[] not null default '{}',
      due_by timestamptz,
      sender_agency_id uuid references agency(id),
      sender_name text not null,
      created_at timestamptz not null default now()
    );
    create index outbox_message_recipient on outbox_message(recipient_agency_id, created_at desc);
    create index outbox_message_sender on outbox_message(sender_agency_id);

    create table outbox_delivery (
      id uuid primary key default gen_random_uuid(),
      message_id uuid not null references outbox_message(id),
      area_id uuid not null references area(id),
      channel text not null check (channel in ('in-app', 'email', 'notify-email', 'notify-sms', 'webhook')),
      recipient_user_id uuid references app_user(id),
      address text not null,
      includes_sensitive boolean not null default false,
      status text not null default 'pending' check (status in ('pending', 'retrying', 'sent', 'dead-letter')),
      attempts integer not null default 0,
      next_attempt_at timestamptz,
      last_error text,
      sent_at timestamptz,
      read_at timestamptz,
      read_by_name text,
      ${CREATED_AND_UPDATED}
    );
    create index outbox_delivery_message on outbox_delivery(message_id);
    create index outbox_delivery_status on outbox_delivery(status, created_at desc);

    create table notification_agency_setting (
      agency_id uuid primary key references agency(id),
      email text,
      phone text,
      webhook_url text,
      webhook_secret text,
      webhook_secure boolean not null default false,
      secure_email_domains text[] not null default '{}',
      updated_at timestamptz not null default now()
    );

    create table notification_preference (
      id uuid primary key default gen_random_uuid(),
      agency_id uuid not null references agency(id),
      user_id uuid references app_user(id),
      message_type text not null,
      channels text[] not null,
      updated_at timestamptz not null default now()
    );
    create unique index notification_preference_one
      on notification_preference(agency_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid), message_type);
    `,
  down: `
    drop table notification_preference;
    drop table notification_agency_setting;
    drop table outbox_delivery;
    drop table outbox_message;
    `,
});
