import type { ColumnType, Generated } from 'kysely';
import type { DefaultedTimestamp, Timestamp } from './common.ts';

export type DeliveryChannel = 'in-app' | 'email' | 'notify-email' | 'notify-sms' | 'webhook';
export type DeliveryStatus = 'pending' | 'retrying' | 'sent' | 'dead-letter';

export interface OutboxMessageTable {
  id: Generated<string>;
  area_id: string;
  type: string;
  recipient_agency_id: string;
  recipient_user_id: string | null;
  reference: string;
  subject: string;
  link: string;
  detail: string | null;
  sensitive_detail: string | null;
  person_ids: ColumnType<string[], string[] | undefined, string[]>;
  due_by: Timestamp | null;
  sender_agency_id: string | null;
  sender_name: string;
  created_at: DefaultedTimestamp;
}

export interface OutboxDeliveryTable {
  id: Generated<string>;
  message_id: string;
  area_id: string;
  channel: DeliveryChannel;
  recipient_user_id: string | null;
  address: string;
  includes_sensitive: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<DeliveryStatus, DeliveryStatus | undefined, DeliveryStatus>;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Timestamp | null;
  last_error: string | null;
  sent_at: Timestamp | null;
  read_at: Timestamp | null;
  read_by_name: string | null;
  created_at: DefaultedTimestamp;
  updated_at: DefaultedTimestamp;
}

export interface NotificationAgencySettingTable {
  agency_id: string;
  email: string | null;
  phone: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  webhook_secure: ColumnType<boolean, boolean | undefined, boolean>;
  secure_email_domains: ColumnType<string[], string[] | undefined, string[]>;
  updated_at: DefaultedTimestamp;
}

export interface NotificationPreferenceTable {
  id: Generated<string>;
  agency_id: string;
  user_id: string | null;
  message_type: string;
  channels: ColumnType<string[], string[], string[]>;
  updated_at: DefaultedTimestamp;
}

export interface NotificationTables {
  outbox_message: OutboxMessageTable;
  outbox_delivery: OutboxDeliveryTable;
  notification_agency_setting: NotificationAgencySettingTable;
  notification_preference: NotificationPreferenceTable;
}
