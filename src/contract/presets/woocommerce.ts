import { anyNumber, emailId, numberText } from './sql.js';
import type { Preset } from './types.js';

/** WooCommerce order statuses (with or without the `wc-` prefix the database stores). */
const status = `regexp_replace(lower(trim({status})), '^wc-', '')`;

/**
 * WooCommerce's orders and users exports as the "Import Export Suite for WooCommerce" documents them on
 * woocommerce.com: one row per order (order_total, order_currency, status, customer_email, …) and one row
 * per user (user_email, user_registered, billing_*). Customers are linked by email, as guests have no user.
 */
export const WOOCOMMERCE: Preset = {
  name: 'woocommerce',
  source: 'https://woocommerce.com/document/import-and-export-of-woocommerce-orders/, https://woocommerce.com/document/import-and-export-of-woocommerce-users/',
  tables: {
    orders: {
      files: [],
      columns: {
        order_id: '{order_id|order_number}',
        customer_id: emailId('woocommerce', '{customer_email|billing_email}'),
        ordered_at: '{order_date}',
        amount: numberText(anyNumber('{order_total}'), '{order_total}'),
        // Not paid (pending, failed) or called off: the order never happened; on-hold and processing did.
        status: `CASE WHEN ${status} IN ('cancelled', 'failed', 'pending', 'trash', 'checkout-draft') THEN 'cancelled'
          WHEN ${status} = 'refunded' THEN 'refunded' ELSE 'completed' END`,
        currency: '{order_currency}',
        discount_amount: numberText(anyNumber('{discount_total|cart_discount}'), '{discount_total|cart_discount}'),
        channel: `'web'`,
      },
    },
    customers: {
      files: ['users.csv'],
      columns: {
        customer_id: emailId('woocommerce', '{user_email|billing_email}'),
        created_at: '{user_registered}',
        email: '{user_email|billing_email}',
        phone: '{billing_phone}',
        first_name: '{first_name|billing_first_name}',
        country: '{billing_country}',
        region: '{billing_state}',
        city: '{billing_city}',
      },
    },
    erasure: { files: [], columns: { customer_id: emailId('woocommerce', '{user_email|email|customer_email}') } },
    consent: { files: [], columns: { customer_id: emailId('woocommerce', '{user_email|email|customer_email}') } },
  },
};
