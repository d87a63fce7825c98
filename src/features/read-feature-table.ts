import { DuckDBTypeId, JSDuckDBValueConverter, type DuckDBConnection } from '@duckdb/node-api';
import { normaliseValue } from '../io/duckdb.js';
import type { FeatureValues } from './preprocessing.js';
import type { FeatureSpec } from './types.js';

/** The features table in JavaScript: one compact column per feature, on the table's rows. */
export interface FeatureTableColumns {
  readonly customerIds: string[];
  /**
   * Column name → values, customer_id included. A numeric feature is a Float64Array (NaN where the value is
   * missing): 8 bytes a customer, outside the JavaScript heap. Every other column holds JavaScript values (null
   * when missing); a categorical feature's values are one string per level, shared by every row that has it.
   */
  readonly columns: Record<string, FeatureValues>;
}

/** DuckDB types whose values JavaScript reads as numbers (BIGINT when safe, DECIMAL as the nearest double). */
const NUMBER_TYPES: ReadonlySet<DuckDBTypeId> = new Set([
  DuckDBTypeId.TINYINT,
  DuckDBTypeId.SMALLINT,
  DuckDBTypeId.INTEGER,
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UTINYINT,
  DuckDBTypeId.USMALLINT,
  DuckDBTypeId.UINTEGER,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.FLOAT,
  DuckDBTypeId.DOUBLE,
  DuckDBTypeId.DECIMAL,
]);

interface ColumnSink {
  add(values: readonly unknown[], at: number): void;
  done(rows: number): FeatureValues;
}

/**
 * Reads `sql` (a select of a features table, `rowCount` rows) chunk by chunk as the result streams out of DuckDB:
 * neither DuckDB nor JavaScript holds the whole result beside the columns. Each value is the one queryColumns
 * would give (same converter), so what the stages compute from it is unchanged; only how it is held differs:
 * numbers unboxed in Float64Arrays, and repeated category strings shared.
 */
export async function readFeatureTable(
  connection: DuckDBConnection,
  sql: string,
  catalogue: readonly FeatureSpec[],
  rowCount: number,
): Promise<FeatureTableColumns> {
  const kinds = new Map(catalogue.map((f) => [f.name, f.kind]));
  const result = await connection.stream(sql);
  const names = result.columnNames();
  const sinks = names.map((name, j): ColumnSink => {
    const kind = kinds.get(name);
    if (kind === 'numeric' && NUMBER_TYPES.has(result.columnTypeId(j))) return numberSink(rowCount);
    if (kind === 'categorical') return sharedStringSink();
    return valueSink();
  });
  let at = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    sinks.forEach((sink, j) => sink.add(chunk.convertColumnValues(j, JSDuckDBValueConverter), at));
    at += chunk.rowCount;
  }
  if (at !== rowCount) throw new Error(`features: ${rowCount} rows expected, ${at} read`);
  const columns: Record<string, FeatureValues> = {};
  names.forEach((name, j) => (columns[name] = (sinks[j] as ColumnSink).done(at)));
  return { customerIds: (columns.customer_id ?? []) as string[], columns };
}

function numberSink(rows: number): ColumnSink {
  const out = new Float64Array(rows);
  return {
    add(values, at) {
      for (let i = 0; i < values.length; i++) {
        const v = normaliseValue(values[i]);
        out[at + i] = v === null || v === undefined ? Number.NaN : Number(v);
      }
    },
    done: () => out,
  };
}

/** Strings (null when missing), each distinct one held once. */
function sharedStringSink(): ColumnSink {
  const out: unknown[] = [];
  const shared = new Map<string, string>();
  return {
    add(values) {
      for (const v of values) {
        if (typeof v !== 'string') {
          out.push(normaliseValue(v));
          continue;
        }
        let s = shared.get(v);
        if (s === undefined) shared.set(v, (s = v));
        out.push(s);
      }
    },
    done: () => out,
  };
}

function valueSink(): ColumnSink {
  const out: unknown[] = [];
  return {
    add(values) {
      for (const v of values) out.push(normaliseValue(v));
    },
    done: () => out,
  };
}
