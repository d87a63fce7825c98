import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { queryRows, withConnection } from '../../src/io/duckdb.js';
import { quoteLiteral } from '../../src/io/sql.js';

/** Every file under a directory, recursively. */
export function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}

/** The text of every output file; Parquet files are decoded through DuckDB so their values are searchable. */
export async function outputTexts(dir: string): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const path of listFiles(dir)) {
    const name = relative(dir, path);
    if (path.endsWith('.parquet')) {
      const rows = await withConnection((c) =>
        queryRows(c, `SELECT * FROM read_parquet(${quoteLiteral(path)})`),
      );
      texts.set(name, JSON.stringify(rows));
    } else if (/\.(png|wasm|bin|ttf)$/.test(path)) {
      texts.set(name, readFileSync(path).toString('latin1'));
    } else {
      texts.set(name, readFileSync(path, 'utf8'));
    }
  }
  return texts;
}

/** Which of `ids` appear as whole tokens in which output files. */
export function findIds(
  texts: Map<string, string>,
  ids: readonly string[],
): Array<{ file: string; id: string }> {
  const hits: Array<{ file: string; id: string }> = [];
  const wanted = new Set(ids);
  for (const [file, text] of texts) {
    for (const token of text.split(/[^A-Za-z0-9_\-@.]+/)) {
      if (wanted.has(token)) hits.push({ file, id: token });
    }
  }
  return hits;
}
