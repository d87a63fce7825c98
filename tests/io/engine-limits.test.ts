import { spawn } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/core/log.js';
import { exec, machineMemoryBytes, openEngine, queryRows, quoteLiteral, withConnection } from '../../src/io/duckdb.js';
import { engineOptions } from '../../src/io/engine-settings.js';
import { validateData } from '../../src/runner/validate.js';
import { tempDir } from '../helpers/data-dir.js';
import { thrownBy } from '../helpers/errors.js';

const ROWS = 500_000;
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A decompression bomb: a Parquet file of a few hundred KB holding ROWS orders, each with a 600-character
 * note (≈ 300 MB once read). Generated here rather than committed.
 */
async function writeBomb(note = "repeat('x', 600)"): Promise<{ data: string; bytes: number }> {
  const data = tempDir('personae-bomb-');
  const file = join(data, 'orders.parquet');
  await withConnection((c) =>
    c.run(
      `COPY (SELECT i AS order_id, 'c-' || (i % 1000) AS customer_id, TIMESTAMP '2025-01-01 10:00:00' AS ordered_at,
              10.0 AS amount, ${note} AS note FROM range(${ROWS}) t(i))
       TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`,
    ),
  );
  return { data, bytes: statSync(file).size };
}

function megabytes(n: number | bigint): number {
  return Number(n) / 2 ** 20;
}

describe('engine memory limit and temp directory', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('a Parquet bomb is validated under a 96 MB memory limit, spilling only to the configured temp directory', async () => {
    const { data, bytes } = await writeBomb();
    expect(bytes).toBeLessThan(2_000_000);
    const temp = join(tempDir('personae-spill-'), 'spill');
    const config = parseConfig({ engine: { memory_limit: '96MB', temp_directory: temp, threads: 1 } });
    const engine = await openEngine(engineOptions(config.engine, process.cwd()));
    try {
      const outcome = await validateData(engine, {
        dataDir: data,
        config,
        asOf: new Date('2025-06-01T00:00:00Z'),
        outDir: tempDir(),
        log: createLogger({ quiet: true }),
        strictConsent: false,
      });
      expect(outcome.ingest.tables.orders?.rowsRead).toBe(ROWS);
      expect(outcome.ingest.tables.orders?.accepted).toBe(ROWS);
      const [state] = await queryRows<{ limit: string; used: bigint; where: string | null }>(
        engine.connection,
        `SELECT current_setting('memory_limit') AS limit, (SELECT sum(memory_usage_bytes) FROM duckdb_memory()) AS used,
                (SELECT min(path) FROM duckdb_temporary_files()) AS where`,
      );
      expect(state?.limit).toMatch(/^9[0-6]\.\d MiB$/);
      // The ≈ 300 MB of notes were read in one pass, never held: memory stayed under the limit, and what
      // had to spill (the duplicate-id ranking carries each row) went to the folder the config named.
      expect(state?.where === null || state?.where.startsWith(temp)).toBe(true);
      expect(megabytes(state?.used ?? 0)).toBeLessThanOrEqual(96);
    } finally {
      engine.close();
    }
  }, 240_000);

  it('a bomb that fits neither in memory nor in the temp directory stops with a message naming the settings', async () => {
    // Notes of their own per row: the same 'x' in every row would be compressed in the run's database file to
    // a few MB, and fit.
    const { data } = await writeBomb('repeat(md5(i::VARCHAR), 19)');
    const dir = tempDir('personae-bomb-config-');
    const configPath = join(dir, 'personae.yaml');
    writeFileSync(
      configPath,
      'engine:\n  memory_limit: 32MB\n  max_temp_directory_size: 8MB\n  temp_directory: spill\n  threads: 1\n',
    );
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    const code = await main(['validate', '--data', data, '--out', tempDir(), '--config', configPath, '--as-of', '2025-06-01']);
    const text = stderr.join('');
    expect(code).toBe(2);
    // Which of memory or the temp cap runs out first depends on what DuckDB is holding at that moment.
    expect(text).toMatch(/^error: the data does not fit in engine\.memory_limit \(32MB\)/m);
    expect(text).toContain('how to fix: Check that the input files are the ones you meant');
    expect(text).not.toMatch(/internal error|\n\s+at /);
  }, 240_000);

  it('defaults to half the machine (or control group) memory and a private temp folder; a share is of the same', async () => {
    const settingMiB = async (options: Parameters<typeof openEngine>[0]) => {
      const engine = await openEngine(options);
      try {
        const [row] = await queryRows<{ limit: string; temp: string }>(
          engine.connection,
          "SELECT current_setting('memory_limit') AS limit, current_setting('temp_directory') AS temp",
        );
        const [value, unit] = (row?.limit ?? '').split(' ');
        return { mib: Number(value) * (unit === 'GiB' ? 1024 : 1), temp: row?.temp ?? '' };
      } finally {
        engine.close();
      }
    };
    const machineMiB = machineMemoryBytes() / 2 ** 20;
    const byDefault = await settingMiB({});
    expect(byDefault.mib / machineMiB).toBeCloseTo(0.5, 1);
    expect(byDefault.temp).toMatch(/personae-duckdb-\d+-[0-9a-f]{12}$/);
    expect(byDefault.temp).not.toBe((await settingMiB({})).temp);
    expect((await settingMiB({ memoryLimit: '25%' })).mib / machineMiB).toBeCloseTo(0.25, 1);
    expect((await settingMiB({ memoryLimit: '300MB' })).mib).toBeCloseTo(286, 0);
  });

  it('gives each engine a spill folder of its own inside temp_directory, so two runs sharing it do not overwrite each other', async () => {
    // DuckDB names its spill files the same in every process (duckdb_temp_storage_DEFAULT-0.tmp, …).
    const temp = join(tempDir('personae-shared-spill-'), 'not', 'yet', 'made');
    const engines = await Promise.all([1, 2].map(() => openEngine({ memoryLimit: '64MB', tempDirectory: temp, threads: 1 })));
    try {
      const [a, b] = engines.map((e) => e.settings.tempDirectory);
      expect(dirname(a ?? '')).toBe(temp);
      expect(dirname(b ?? '')).toBe(temp);
      expect(a).not.toBe(b);
      const spilled = await Promise.all(
        engines.map(async (e, i) => {
          await exec(e.connection, `CREATE TABLE t AS SELECT range AS x, md5((range + ${i})::VARCHAR) AS y FROM range(3000000) ORDER BY y`);
          const [row] = await queryRows<{ files: bigint; rows: bigint; total: bigint }>(
            e.connection,
            'SELECT (SELECT count(*) FROM duckdb_temporary_files()) AS files, count(*) AS rows, sum(x) AS total FROM t',
          );
          return { folder: readdirSync(e.settings.tempDirectory), rows: Number(row?.rows), total: Number(row?.total), files: Number(row?.files) };
        }),
      );
      for (const s of spilled) {
        expect(s.files).toBeGreaterThan(0);
        expect(s.folder.some((f) => f.startsWith('duckdb_temp_storage'))).toBe(true);
        expect(s.rows).toBe(3_000_000);
        expect(s.total).toBe((3_000_000 * 2_999_999) / 2);
      }
    } finally {
      for (const e of engines) e.close();
    }
    expect(readdirSync(temp)).toEqual([]);
  }, 240_000);

  it("keeps a run's tables compressed in a database file of its own inside temp_directory, deleted on close, also after a failure", async () => {
    const temp = tempDir('personae-tables-on-disk-');
    // Two million rows of few distinct values: in memory DuckDB holds them as they are, in a file compressed.
    const table = `CREATE TABLE t AS SELECT range AS x, 'c-' || (range % 1000) AS y, (range % 37) * 1.5 AS z FROM range(2000000)`;
    const tableBytes = async (options: Parameters<typeof openEngine>[0]): Promise<{ bytes: number; folders: string[][] }> => {
      const engine = await openEngine({ memoryLimit: '1GB', threads: 1, ...options });
      try {
        await exec(engine.connection, table);
        const [row] = await queryRows<{ bytes: bigint }>(engine.connection, 'SELECT sum(memory_usage_bytes) AS bytes FROM duckdb_memory()');
        const folders = readdirSync(temp).map((f) => readdirSync(join(temp, f)));
        await expect(exec(engine.connection, 'SELECT * FROM no_such_table')).rejects.toThrow(/no_such_table/);
        return { bytes: Number(row?.bytes), folders };
      } finally {
        engine.close();
      }
    };
    const inMemory = await tableBytes({});
    const onDisk = await tableBytes({ tablesOnDisk: true, tempDirectory: temp });
    expect(onDisk.folders).toHaveLength(1);
    expect(onDisk.folders[0]).toContain('tables.duckdb');
    expect(inMemory.bytes).toBeGreaterThan(40 * 2 ** 20);
    expect(onDisk.bytes).toBeLessThan(inMemory.bytes / 3);
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);

  it('deletes the database file of an engine whose process is stopped by SIGTERM before it closes it', async () => {
    const temp = tempDir('personae-tables-killed-');
    const source = `
      import { openEngine, exec } from ${JSON.stringify(join(REPO, 'src/io/duckdb.ts'))};
      const engine = await openEngine({ tablesOnDisk: true, tempDirectory: ${JSON.stringify(temp)}, threads: 1 });
      await exec(engine.connection, 'CREATE TABLE t AS SELECT range AS x FROM range(1000000)');
      process.stdout.write('ready\\n');
      setInterval(() => undefined, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += String(chunk)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => String(chunk).includes('ready') && resolve());
      child.on('exit', () => reject(new Error(`the child stopped before it was ready: ${stderr}`)));
    });
    const [folder] = readdirSync(temp);
    expect(readdirSync(join(temp, folder ?? ''))).toContain('tables.duckdb');
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      child.on('exit', (_code, s) => resolve(s));
      child.kill('SIGTERM');
    });
    expect(signal).toBe('SIGTERM');
    expect(readdirSync(temp)).toEqual([]);
  }, 120_000);

  it('gives every run an engine with its tables on disk', () => {
    expect(engineOptions(parseConfig({}).engine, process.cwd()).tablesOnDisk).toBe(true);
  });

  it('refuses a memory limit that is not a size or a share, naming the setting', () => {
    const error = thrownBy(() => parseConfig({ engine: { memory_limit: 'lots' } }));
    expect(error.message).toContain('engine.memory_limit');
    expect(error.message).toContain("'4GB'");
    expect(() => parseConfig({ engine: { threads: 0 } })).toThrow(/engine\.threads/);
    expect(() => parseConfig({ engine: { swap: true } })).toThrow(/swap/);
  });
});
