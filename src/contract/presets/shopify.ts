import { anyNumber, emailId, filled, firstLine, numberText } from './sql.js';
import type { Preset } from './types.js';

const ORDER = '{Name}';
const email = (): string => filled('{Email}', ORDER);
const financial = `lower(${filled('{Financial Status}', ORDER)})`;
const cancelledAt = filled('{Cancelled at}', ORDER);
/** The order's total net of a partial refund, on its first line; 0 on its other lines (they are summed). */
const orderAmount = `CASE WHEN ${firstLine(ORDER)} THEN ${numberText(
  `${anyNumber('{Total}')} - CASE WHEN ${financial} = 'partially_refunded' THEN coalesce(${anyNumber('{Refunded Amount}')}, 0) ELSE 0 END`,
  '{Total}',
)} ELSE '0' END`;

/**
 * Shopify's orders export (Orders → Export, "Plain CSV file"): one row per line item; the order's own
 * columns (Financial Status, Total, Created at, Currency, …) on its first line only. Customers are known by
 * email only: the customer id is a pseudonym of the address, the same in the customers export.
 */
export const SHOPIFY: Preset = {
  name: 'shopify',
  source: 'https://help.shopify.com/manual/orders/manage-orders/exporting-orders (order export CSV structure), https://help.shopify.com/manual/customers/import-export-customers (customer CSV)',
  tables: {
    orders: {
      files: ['orders_export.csv', 'orders_export_1.csv'],
      lineItems: true,
      columns: {
        order_id: ORDER,
        customer_id: emailId('shopify', email()),
        ordered_at: filled('{Created at}', ORDER),
        amount: orderAmount,
        status: `CASE WHEN ${cancelledAt} IS NOT NULL OR ${financial} IN ('voided', 'expired', 'pending') THEN 'cancelled'
          WHEN ${financial} = 'refunded' THEN 'refunded' ELSE 'completed' END`,
        currency: filled('{Currency}', ORDER),
        discount_amount: `CASE WHEN ${firstLine(ORDER)} THEN ${numberText(anyNumber('{Discount Amount}'), '{Discount Amount}')} ELSE '0' END`,
        items: numberText(anyNumber('{Lineitem quantity}'), '{Lineitem quantity}'),
        brand: 'nullif(trim({Vendor}), \'\')',
        channel: `CASE lower(${filled('{Source}', ORDER)}) WHEN 'web' THEN 'web' WHEN 'pos' THEN 'store'
          WHEN 'iphone' THEN 'app' WHEN 'android' THEN 'app' END`,
      },
    },
    customers: {
      files: ['customers_export.csv', 'customers_export_1.csv'],
      columns: {
        customer_id: emailId('shopify', '{Email}'),
        email: '{Email}',
        phone: '{Phone|Default Address Phone}',
        first_name: '{First Name}',
        country: '{Default Address Country Code|Country Code}',
        region: '{Default Address Province Code|Province Code}',
        city: '{Default Address City|City}',
      },
    },
    erasure: { files: [], columns: { customer_id: emailId('shopify', '{Email}') } },
    consent: { files: [], columns: { customer_id: emailId('shopify', '{Email}') } },
  },
};
