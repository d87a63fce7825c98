/**
 * The data contract as data: tables, their canonical columns, types and allowed values.
 * Validation, the synthetic generator and the docs are all driven from this one declaration.
 */
export type ColumnType = 'id' | 'text' | 'timestamp' | 'number' | 'integer' | 'enum';

export interface ColumnSpec {
  readonly type: ColumnType;
  readonly required?: boolean;
  readonly values?: readonly string[];
  /** Personally identifying: only ever used in channel exports, never in features, personas or reports. */
  readonly pii?: boolean;
  readonly description: string;
}

export interface TableSpec {
  readonly required: boolean;
  readonly origin: 'first-party' | 'zero-party' | 'customer' | 'governance';
  readonly description: string;
  readonly columns: Readonly<Record<string, ColumnSpec>>;
  /** The column that must be unique, if any. */
  readonly uniqueKey?: string;
  /** The column holding the row's date, checked against the as-of date. */
  readonly dateColumn?: string;
}

export const ORDER_STATUSES = ['completed', 'cancelled', 'refunded', 'returned'] as const;
export const ORDER_CHANNELS = ['web', 'app', 'store', 'marketplace'] as const;
export const EVENT_TYPES = [
  'session_start',
  'page_view',
  'product_view',
  'add_to_cart',
  'checkout_start',
  'email_sent',
  'email_open',
  'email_click',
  'sms_sent',
  'sms_click',
  'unsubscribe',
  'email_bounce',
  'sms_bounce',
] as const;
export const CAMPAIGN_CHANNELS = ['email', 'sms'] as const;
export const CONSENT_PURPOSES = ['profiling', 'email', 'sms'] as const;
export const CONSENT_STATUSES = ['granted', 'withdrawn'] as const;
export const DEVICES = ['desktop', 'mobile', 'tablet'] as const;
export const ZERO_PARTY_QUESTIONS = [
  'interests',
  'price_sensitivity',
  'style',
  'shopping_goal',
  'preferred_channel',
  'birth_year',
  'gender',
] as const;

export type TableName =
  | 'orders'
  | 'customers'
  | 'events'
  | 'zero_party'
  | 'consent'
  | 'erasure'
  | 'campaigns';
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const CONTRACT: Readonly<Record<TableName, TableSpec>> = {
  orders: {
    required: true,
    origin: 'first-party',
    description: 'One row per order.',
    uniqueKey: 'order_id',
    dateColumn: 'ordered_at',
    columns: {
      order_id: { type: 'id', required: true, description: 'Unique order identifier.' },
      customer_id: { type: 'id', required: true, description: 'Who placed the order.' },
      ordered_at: { type: 'timestamp', required: true, description: 'When the order was placed (ISO 8601).' },
      amount: { type: 'number', required: true, description: 'Order total; negative for a return.' },
      status: { type: 'enum', values: ORDER_STATUSES, description: 'Defaults to completed.' },
      currency: { type: 'text', description: 'ISO 4217 code; one currency per data set.' },
      channel: { type: 'enum', values: ORDER_CHANNELS, description: 'Where the order was placed.' },
      discount_amount: { type: 'number', description: 'Discount granted on the order.' },
      items: { type: 'integer', description: 'Number of items.' },
      category: { type: 'text', description: 'Main product category.' },
      brand: { type: 'text', description: 'Main brand.' },
    },
  },
  customers: {
    required: false,
    origin: 'customer',
    description: 'One row per customer.',
    uniqueKey: 'customer_id',
    dateColumn: 'created_at',
    columns: {
      customer_id: { type: 'id', required: true, description: 'Unique customer identifier.' },
      created_at: { type: 'timestamp', description: 'Signup date.' },
      email: { type: 'text', pii: true, description: 'Email address (exports only).' },
      phone: { type: 'text', pii: true, description: 'Phone number in E.164 (exports only).' },
      first_name: { type: 'text', pii: true, description: 'First name (exports only).' },
      country: { type: 'text', description: 'ISO 3166 country code.' },
      region: { type: 'text', description: 'Region or state.' },
      city: { type: 'text', pii: true, description: 'City (too identifying for reports).' },
      acquisition_channel: { type: 'text', description: 'How the customer was acquired.' },
      device: { type: 'enum', values: DEVICES, description: 'Main device.' },
    },
  },
  events: {
    required: false,
    origin: 'first-party',
    description: 'Site, app, email and SMS events.',
    dateColumn: 'occurred_at',
    columns: {
      customer_id: { type: 'id', required: true, description: 'Who.' },
      occurred_at: { type: 'timestamp', required: true, description: 'When.' },
      type: { type: 'enum', required: true, values: EVENT_TYPES, description: 'What happened.' },
      category: { type: 'text', description: 'Product category, when relevant.' },
      value: { type: 'number', description: 'Cart or product value, when relevant.' },
      device: { type: 'enum', values: DEVICES, description: 'Device used.' },
      campaign_id: {
        type: 'id',
        description: 'The campaign an email or SMS event belongs to (see the campaigns table).',
      },
    },
  },
  zero_party: {
    required: false,
    origin: 'zero-party',
    description: 'What customers declared: one row per answer.',
    dateColumn: 'answered_at',
    columns: {
      customer_id: { type: 'id', required: true, description: 'Who answered.' },
      answered_at: { type: 'timestamp', required: true, description: 'When.' },
      question: { type: 'text', required: true, description: 'Question key, e.g. interests, birth_year.' },
      answer: { type: 'text', required: true, description: 'The answer (several interests separated by |).' },
    },
  },
  consent: {
    required: false,
    origin: 'governance',
    description: 'Consent history: the latest record per customer and purpose at the as-of date wins.',
    dateColumn: 'recorded_at',
    columns: {
      customer_id: { type: 'id', required: true, description: 'Who.' },
      purpose: {
        type: 'enum',
        required: true,
        values: CONSENT_PURPOSES,
        description: 'profiling, email or sms.',
      },
      status: {
        type: 'enum',
        required: true,
        values: CONSENT_STATUSES,
        description: 'granted or withdrawn.',
      },
      recorded_at: { type: 'timestamp', required: true, description: 'When it was recorded.' },
    },
  },
  erasure: {
    required: false,
    origin: 'governance',
    description: 'Right-to-erasure requests: these customers vanish from every output.',
    columns: {
      customer_id: { type: 'id', required: true, description: 'Who asked to be erased.' },
      requested_at: { type: 'timestamp', description: 'When.' },
    },
  },
  campaigns: {
    required: false,
    origin: 'first-party',
    description: 'Email and SMS campaigns: one row per send, referenced by the campaign_id of events.',
    uniqueKey: 'campaign_id',
    dateColumn: 'sent_at',
    columns: {
      campaign_id: { type: 'id', required: true, description: 'Unique campaign identifier.' },
      channel: { type: 'enum', required: true, values: CAMPAIGN_CHANNELS, description: 'email or sms.' },
      sent_at: { type: 'timestamp', required: true, description: 'When the campaign was sent.' },
      name: { type: 'text', description: 'Campaign name as marketers know it.' },
      audience: { type: 'text', description: 'Name of the audience list it was sent to.' },
    },
  },
};

export const TABLE_NAMES = Object.keys(CONTRACT) as TableName[];
