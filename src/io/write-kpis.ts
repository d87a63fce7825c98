import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { exec, quoteIdent as q, quoteLiteral as lit, type DuckDBConnection } from './duckdb.js';

type Cell = string | number | boolean | null;

function literal(value: Cell): string {
  if (value === null) return 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  return lit(value);
}

/**
 * Writes `dir/<name>.parquet` from flat rows with the declared columns (through a temporary table of the
 * run's engine, written to a temporary name and renamed, so a reader never sees half a file).
 */
export async function writeParquetRows(
  connection: DuckDBConnection,
  dir: string,
  name: string,
  columns: readonly { name: string; type: string }[],
  rows: readonly Record<string, Cell>[],
): Promise<string> {
  const table = `out_${name}`;
  await exec(
    connection,
    `CREATE OR REPLACE TEMP TABLE ${q(table)} (${columns.map((c) => `${q(c.name)} ${c.type}`).join(', ')})`,
  );
  for (let i = 0; i < rows.length; i += 500) {
    const values = rows
      .slice(i, i + 500)
      .map((row) => `(${columns.map((c) => literal(row[c.name] ?? null)).join(', ')})`)
      .join(',\n');
    await exec(connection, `INSERT INTO ${q(table)} VALUES ${values}`);
  }
  const path = join(dir, `${name}.parquet`);
  await exec(
    connection,
    `COPY (SELECT * FROM ${q(table)} ORDER BY rowid) TO ${lit(`${path}.tmp`)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  await exec(connection, `DROP TABLE ${q(table)}`);
  await rename(`${path}.tmp`, path);
  return path;
}
