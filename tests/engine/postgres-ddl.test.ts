import { describe, expect, it } from 'vitest';
import { postgresType, shardedTableSql, shardRowsSql } from '../../src/engine/postgres-ddl.js';
import { thrownBy } from '../helpers/errors.js';

describe('postgresType', () => {
  it('maps each DuckDB type a validated table holds to the PostgreSQL type that reads its CSV text exactly', () => {
    const types = {
      VARCHAR: 'text',
      DOUBLE: 'double precision',
      BIGINT: 'bigint',
      INTEGER: 'integer',
      BOOLEAN: 'boolean',
      DATE: 'date',
      TIMESTAMP: 'timestamp',
      'TIMESTAMP WITH TIME ZONE': 'timestamptz',
      'DECIMAL(18,3)': 'numeric(18,3)',
      HUGEINT: 'numeric(39)',
      "ENUM('web', 'app')": 'text',
    };
    for (const [duck, pg] of Object.entries(types))
      expect(postgresType('orders', { name: 'c', type: duck })).toBe(pg);
  });

  it('refuses a type it cannot copy, naming the table, the column and the fix', () => {
    const error = thrownBy(() => postgresType('events', { name: 'tags', type: 'VARCHAR[]' }));
    expect(error.message).toBe(
      'events.tags has DuckDB type VARCHAR[], which Personae does not copy to PostgreSQL',
    );
    expect(error.hint).toMatch(/cast the column/);
  });
});

describe('sharded tables', () => {
  const columns = [
    { name: 'order_id', type: 'VARCHAR' },
    { name: 'customer_id', type: 'VARCHAR' },
  ];
  it('partitions by hash of the key, one foreign partition per shard on the table of the same name there', () => {
    const sql = shardedTableSql(
      'shop',
      'orders',
      columns,
      'customer_id',
      [{ server: 's1' }, { server: 's2' }],
      500,
    );
    expect(sql).toContain(
      'CREATE TABLE "shop"."orders" ("order_id" text, "customer_id" text) PARTITION BY HASH ("customer_id")',
    );
    expect(sql).toContain(
      `CREATE FOREIGN TABLE "shop"."orders_shard2" PARTITION OF "shop"."orders"
  FOR VALUES WITH (MODULUS 2, REMAINDER 1)
  SERVER "s2" OPTIONS (schema_name 'shop', table_name 'orders', batch_size '500', use_remote_estimate 'true')`,
    );
  });

  it("selects a shard's rows by PostgreSQL's own partition check", () => {
    expect(shardRowsSql('shop', 'orders', 'pg_temp."load"', columns, 'customer_id', 2, 1)).toBe(
      `SELECT "order_id", "customer_id" FROM pg_temp."load"
  WHERE satisfies_hash_partition('"shop"."orders"'::regclass, 2, 1, "customer_id")`,
    );
  });
});
