// Ingest + validation against a bare read of the same files, side by side in one run. Each measurement runs
// in a child process of its own (fresh DuckDB, its own peak RSS); the two are interleaved and repeated,
// and medians are reported with the load average.
//   npm run bench ingest                                   (50,000 generated customers, CSV)
//   PERSONAE_BENCH_CUSTOMERS=100000 PERSONAE_BENCH_FORMAT=parquet npm run bench ingest
//   PERSONAE_BENCH_DATA=dir npm run bench ingest           (an existing data directory)
//   PERSONAE_BENCH_REPEATS=5                                (default 3)
//   PERSONAE_BENCH_THREADS=1                                (DuckDB threads in both; default: DuckDB's own)
// On a loaded machine, one thread gives steadier CPU times: idle worker threads cost CPU time too.
// The reference loads each file into a table with DuckDB's defaults (`read_csv`/`read_parquet`, types
// detected); ingest reads the same files, validates every row and builds the typed tables and quarantine.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '../../src/config/load.js';
import { parseIsoDate } from '../../src/core/time.js';
import { exec, openEngine } from '../../src/io/duckdb.js';
import { findSources } from '../../src/io/find-sources.js';
import { ingest } from '../../src/io/ingest.js';
import { writeDataset } from '../../src/io/write-tables.js';

interface Measure {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly rows: number;
}

const config = parseConfig({});

async function child(kind: string, dataDir: string, asOf: string): Promise<void> {
  const threads = process.env.PERSONAE_BENCH_THREADS;
  const engine = await openEngine(threads ? { threads: Number(threads) } : {});
  const started = performance.now();
  const cpu = process.cpuUsage();
  let rows = 0;
  if (kind === 'bare') {
    for (const source of Object.values(findSources(dataDir, config))) {
      const reader = source.format === 'parquet' ? 'read_parquet' : 'read_csv';
      await exec(engine.connection, `CREATE TABLE "${source.table}" AS SELECT * FROM ${reader}('${source.path}')`);
      const reading = await engine.connection.runAndReadAll(`SELECT count(*) FROM "${source.table}"`);
      rows += Number(reading.getRows()[0]?.[0]);
    }
  } else {
    const result = await ingest(engine.connection, { dataDir, config, asOf: parseIsoDate(asOf) as Date });
    rows = Object.values(result.tables).reduce((sum, t) => sum + (t?.rowsRead ?? 0), 0);
  }
  const used = process.cpuUsage(cpu);
  const measure: Measure = {
    seconds: (performance.now() - started) / 1000,
    cpuSeconds: (used.user + used.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    rows,
  };
  engine.close();
  console.log(JSON.stringify(measure));
}

function measure(kind: string, dataDir: string, asOf: string): Measure {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', kind, dataDir, asOf],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) throw new Error(`${kind} failed:\n${result.stderr}`);
  return JSON.parse(last) as Measure;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const customers = Number(process.env.PERSONAE_BENCH_CUSTOMERS ?? 50_000);
  const format = (process.env.PERSONAE_BENCH_FORMAT ?? 'csv') as 'csv' | 'parquet';
  const repeats = Number(process.env.PERSONAE_BENCH_REPEATS ?? 3);
  const given = process.env.PERSONAE_BENCH_DATA;
  const dir = given ?? mkdtempSync(join(tmpdir(), 'personae-bench-ingest-'));
  try {
    let asOf = '2025-12-31';
    if (!given) {
      const { summary } = await writeDataset({ customers, seed: 7, format }, dir);
      asOf = summary.endDate;
    }
    console.log(`data                 ${given ?? `${customers.toLocaleString('en')} generated customers (${format}, seed 7)`}`);
    console.log(`DuckDB threads       ${process.env.PERSONAE_BENCH_THREADS ?? 'default'}`);
    console.log(`load average before  ${load()}`);
    const runs: Record<'bare' | 'ingest', Measure[]> = { bare: [], ingest: [] };
    for (let i = 0; i < repeats; i++) {
      for (const kind of ['bare', 'ingest'] as const) {
        const m = measure(kind, dir, asOf);
        runs[kind].push(m);
        console.log(
          `  ${kind.padEnd(7)} run ${i + 1}: ${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU, peak RSS ${m.peakRssMb.toFixed(0)} MiB (load ${load()})`,
        );
      }
    }
    const med = (kind: 'bare' | 'ingest', key: keyof Measure): number => median(runs[kind].map((m) => m[key]));
    const rows = runs.ingest[0]?.rows ?? 0;
    console.log(`rows                 ${rows.toLocaleString('en')} in every table together`);
    for (const kind of ['bare', 'ingest'] as const) {
      console.log(
        `${(kind === 'bare' ? 'bare read (median)' : 'ingest+validation').padEnd(21)}${med(kind, 'seconds').toFixed(2)} s wall, ${med(kind, 'cpuSeconds').toFixed(2)} s CPU, peak RSS ${med(kind, 'peakRssMb').toFixed(0)} MiB`,
      );
    }
    const wall = med('ingest', 'seconds') / med('bare', 'seconds');
    const cpu = med('ingest', 'cpuSeconds') / med('bare', 'cpuSeconds');
    console.log(`ratio                ${wall.toFixed(2)}x wall, ${cpu.toFixed(2)}x CPU of the bare read (target <= 1.5x)`);
    console.log(`load average after   ${load()}`);
  } finally {
    if (!given) rmSync(dir, { recursive: true, force: true });
  }
}

const [flag, kind, dataDir, asOf] = process.argv.slice(2);
if (flag === '--child' && kind && dataDir && asOf) await child(kind, dataDir, asOf);
else await main();
