// A tiny hand-made data set in canonical form; the expected feature values in features.test.ts are
// computed by hand from these rows (as of 2024-06-30). Rows dated after the as-of date are included on
// purpose: they must change nothing.
import { exec, type DuckDBConnection } from '../../src/io/duckdb.js';

export const AS_OF = new Date(Date.UTC(2024, 5, 30));

export const CREATE_TABLES = {
  orders: `CREATE TABLE orders (order_id VARCHAR, customer_id VARCHAR, ordered_at TIMESTAMP, amount DOUBLE, status VARCHAR,
    currency VARCHAR, channel VARCHAR, discount_amount DOUBLE, items INTEGER, category VARCHAR, brand VARCHAR)`,
  customers: `CREATE TABLE customers (customer_id VARCHAR, created_at TIMESTAMP, email VARCHAR, phone VARCHAR, first_name VARCHAR,
    country VARCHAR, region VARCHAR, city VARCHAR, acquisition_channel VARCHAR, device VARCHAR)`,
  events: `CREATE TABLE events (customer_id VARCHAR, occurred_at TIMESTAMP, type VARCHAR, category VARCHAR, value DOUBLE, device VARCHAR)`,
  zero_party: `CREATE TABLE zero_party (customer_id VARCHAR, answered_at TIMESTAMP, question VARCHAR, answer VARCHAR)`,
  eligible: `CREATE TABLE eligible (customer_id VARCHAR)`,
} as const;

export const ORDERS = `INSERT INTO orders VALUES
  ('a1', 'A', '2024-01-10 10:00', 100, 'completed', 'EUR', 'web', 0, 2, 'Shoes', 'Acme'),
  ('a2', 'A', '2024-03-10 12:00', 50, 'completed', 'EUR', 'app', 10, 1, 'Bags', 'Zeta'),
  ('a3', 'A', '2024-03-10 18:00', 30, 'cancelled', 'EUR', 'web', 0, 1, 'Hats', 'Acme'),
  ('a4', 'A', '2024-05-09 09:00', 80, 'returned', 'EUR', 'store', 20, 3, 'Shoes', 'Acme'),
  ('a5', 'A', '2024-06-08 09:00', 40, 'completed', 'EUR', 'web', 0, 1, 'Hats', 'Acme'),
  ('a6', 'A', '2024-07-05 09:00', 500, 'completed', 'EUR', 'web', 0, 9, 'Gloves', 'Omega'),
  ('b1', 'B', '2024-06-30 23:00', 200, 'completed', 'EUR', 'web', 0, 4, 'Shoes', 'Zeta'),
  ('b2', 'B', '2024-06-30 10:00', -50, 'completed', 'EUR', 'web', 0, 1, 'Shoes', 'Zeta'),
  ('c1', 'C', '2023-12-01 08:00', 60, 'refunded', 'EUR', 'marketplace', 0, 1, 'Bags', 'Zeta'),
  ('e1', 'E', '2024-06-01 08:00', 1000, 'completed', 'EUR', 'web', 0, 1, 'Gloves', 'Omega')`;

export const CUSTOMERS = `INSERT INTO customers VALUES
  ('A', '2023-06-30 12:00', 'a@x.fr', '+33100000000', 'Alice', 'fr', 'IDF', 'Paris', 'search', 'mobile'),
  ('B', '2024-06-01 12:00', 'b@x.fr', NULL, 'Bob', 'FR', NULL, 'Lyon', NULL, NULL),
  ('C', '2025-01-01 12:00', NULL, NULL, NULL, 'DE', 'BE', 'Berlin', NULL, 'tablet'),
  ('D', '2024-01-01 00:00', NULL, NULL, NULL, 'US', 'CA', 'LA', NULL, 'desktop'),
  ('E', '2024-01-01 00:00', NULL, NULL, NULL, 'GB', NULL, 'Leeds', NULL, 'mobile')`;

export const EVENTS = `INSERT INTO events VALUES
  ('B', '2024-06-29 10:00', 'session_start', NULL, NULL, 'mobile'),
  ('B', '2024-06-25 10:00', 'session_start', NULL, NULL, 'mobile'),
  ('B', '2024-06-10 10:00', 'product_view', 'Shoes', 90, NULL),
  ('B', '2024-06-30 20:00', 'add_to_cart', 'Shoes', 120, 'tablet'),
  ('B', '2024-06-20 10:00', 'add_to_cart', 'Shoes', 30, NULL),
  ('B', '2024-03-01 10:00', 'add_to_cart', 'Bags', 99, NULL),
  ('B', '2024-06-01 10:00', 'email_sent', NULL, NULL, NULL),
  ('B', '2024-06-15 10:00', 'email_sent', NULL, NULL, NULL),
  ('B', '2024-06-16 10:00', 'email_open', NULL, NULL, NULL),
  ('B', '2024-06-16 10:01', 'email_click', NULL, NULL, NULL),
  ('B', '2024-05-01 10:00', 'sms_sent', NULL, NULL, NULL),
  ('B', '2024-06-20 11:00', 'unsubscribe', NULL, NULL, NULL),
  ('B', '2024-07-02 10:00', 'session_start', NULL, NULL, 'desktop'),
  ('B', '2024-07-01 10:00', 'add_to_cart', 'Shoes', 1000, 'desktop'),
  ('A', '2024-04-15 10:00', 'email_sent', NULL, NULL, NULL),
  ('A', '2024-06-07 10:00', 'add_to_cart', 'Hats', 45, NULL)`;

export const ZERO_PARTY = `INSERT INTO zero_party VALUES
  ('A', '2024-01-01 10:00', 'interests', 'Running | yoga'),
  ('A', '2024-05-01 10:00', 'interests', 'running|Cycling'),
  ('A', '2024-08-01 10:00', 'interests', 'chess'),
  ('A', '2024-01-01 10:00', 'birth_year', '1990'),
  ('A', '2024-01-01 10:00', 'gender', 'F'),
  ('A', '2024-01-01 10:00', 'style', 'Casual'),
  ('B', '2024-02-01 10:00', 'interests', 'yoga'),
  ('B', '2024-03-01 10:00', 'price_sensitivity', 'High'),
  ('B', '2024-07-15 10:00', 'price_sensitivity', 'low'),
  ('B', '2024-03-01 10:00', 'birth_year', '2010'),
  ('C', '2024-03-01 10:00', 'birth_year', 'abc'),
  ('C', '2024-03-01 10:00', 'birth_date', '1985-06-15')`;

export const ELIGIBLE = `INSERT INTO eligible VALUES ('A'), ('B'), ('C'), ('D')`;

export type FixtureTable = keyof typeof CREATE_TABLES;

const INSERTS: Record<FixtureTable, string> = {
  orders: ORDERS,
  customers: CUSTOMERS,
  events: EVENTS,
  zero_party: ZERO_PARTY,
  eligible: ELIGIBLE,
};

/** Loads the tiny fixture (all tables, or only those listed) into the connection. */
export async function loadTinyFixture(
  connection: DuckDBConnection,
  tables: readonly FixtureTable[] = ['orders', 'customers', 'events', 'zero_party', 'eligible'],
): Promise<void> {
  for (const t of tables) {
    await exec(connection, CREATE_TABLES[t]);
    await exec(connection, INSERTS[t]);
  }
}
