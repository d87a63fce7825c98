// The campaigns stage alone (campaign KPIs per persona, lifecycle segment, rule segment and campaign) on the
// events, orders and campaigns of a generated data set, under engine.memory_limit, without running the stages
// before it: wall time, CPU time, peak RSS, DuckDB's peak memory and peak spill, next to a reference measured in
// the same run on the same tables: one bare GROUP BY per customer over the email and SMS events of the lookback
// window (the scan every way of measuring the sends must make).
//   npm run bench campaigns                                     (generates 20,000 customers, all tables, seed 7)
//   CAMPAIGNS_BENCH_DATA=/data/dir npm run bench campaigns      (a `personae generate` Parquet folder, read only)
//   CAMPAIGNS_BENCH_DIR=/big/disk                               (where the staged tables and spill go; the staged
//                                                                DuckDB file is kept there and reused; default tmp)
//   CAMPAIGNS_BENCH_MEMORY_LIMIT=2GB                            (engine.memory_limit; default 2GB)
//   CAMPAIGNS_BENCH_REPEAT=3                                    (runs of the stage; the median is printed)
// The input tables are staged once into a DuckDB file (typed as validation types them), and each measurement is a
// child process that attaches it read-only, so the figures are the stage's own. Members are synthetic: each
// customer's persona (8), lifecycle segment (8) and rule segments (0-2) from a hash of the id; the stage runs
// without clustering (no split suggestions). The load average is printed beside each figure.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { parseConfig } from '../../src/config/load.js';
import { createLogger } from '../../src/core/log.js';
import { quoteLiteral as lit } from '../../src/io/sql.js';
import type { Engine } from '../../src/io/duckdb.js';
import { campaignsStage } from '../../src/runner/stages/campaigns.js';
import type { ScoresOutput } from '../../src/runner/stages/scores.js';
import type { ScoreGroups } from '../../src/segments/scores.js';

const here = fileURLToPath(import.meta.url);
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');

interface Measure {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly duckdbPeakMb: number;
  readonly spillPeakMb: number;
  readonly kpisMd5?: string;
  readonly rowsMd5?: string;
  readonly available?: boolean;
  readonly reason?: string;
  readonly sends?: number;
}

/** An in-memory DuckDB as openEngine makes it, plus a second connection that watches its memory. */
async function engine(memoryLimit: string, spill: string): Promise<{ engine: Engine; watch: DuckDBConnection }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`SET temp_directory = ${lit(spill)}`);
  await connection.run(`SET memory_limit = ${lit(memoryLimit)}`);
  await connection.run("SET TimeZone = 'UTC'");
  const watch = await instance.connect();
  return {
    engine: {
      connection,
      settings: { memoryLimit, tempDirectory: spill, maxTempDirectorySize: undefined, threads: undefined },
      close() {
        watch.closeSync();
        connection.closeSync();
        instance.closeSync();
      },
    },
    watch,
  };
}

/** Polls DuckDB's memory in use and spill size every 100 ms; returns a function giving the peaks (MiB). */
function watchPeaks(watch: DuckDBConnection): () => Promise<{ duckdbPeakMb: number; spillPeakMb: number }> {
  let memory = 0;
  let spill = 0;
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void watch
      .runAndReadAll(
        `SELECT (SELECT sum(memory_usage_bytes) FROM duckdb_memory())::DOUBLE,
           (SELECT coalesce(sum(size), 0) FROM duckdb_temporary_files())::DOUBLE`,
      )
      .then((r) => {
        const [m, s] = r.getRows()[0] as [number, number];
        memory = Math.max(memory, m);
        spill = Math.max(spill, s);
      })
      .catch(() => undefined)
      .finally(() => {
        busy = false;
      });
  }, 100);
  return async () => {
    clearInterval(timer);
    return { duckdbPeakMb: memory / 2 ** 20, spillPeakMb: spill / 2 ** 20 };
  };
}

function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

const LIFECYCLES = ['prospect', 'new', 'active', 'due', 'at_risk', 'lapsed', 'win_back', 'reactivated'];

/** Synthetic members: persona, lifecycle segment and rule segments from a hash of each id. */
function scoreRows(ids: readonly string[]): ScoresOutput {
  function* groups(): Iterable<ScoreGroups> {
    for (const [row, id] of ids.entries()) {
      const h = hash32(id);
      const persona = h % 9; // one customer in nine has no persona
      yield {
        row,
        customer_id: id,
        persona_id: persona === 8 ? null : `persona-${persona + 1}`,
        persona_name: persona === 8 ? null : `Persona ${persona + 1}`,
        lifecycle: LIFECYCLES[(h >>> 12) % LIFECYCLES.length] as string,
        rule_segments: [h & 0x100 ? 'cart_abandoners' : '', h & 0x200 ? 'email_fans' : ''].filter((s) => s !== ''),
      };
    }
  }
  return { groups: { [Symbol.iterator]: () => groups()[Symbol.iterator]() }, count: ids.length } as unknown as ScoresOutput;
}

/** Stages events, orders, campaigns and customer ids of a Parquet folder into a DuckDB file, typed. */
async function stage(data: string, file: string): Promise<void> {
  const instance = await DuckDBInstance.create(file);
  const c = await instance.connect();
  const parquet = (t: string): string => `read_parquet(${lit(join(data, `${t}.parquet`))})`;
  await c.run("SET TimeZone = 'UTC'");
  await c.run(`CREATE TABLE events AS SELECT customer_id, occurred_at::TIMESTAMP AS occurred_at, type, category,
    value::DOUBLE AS value, device, campaign_id FROM ${parquet('events')}`);
  await c.run(`CREATE TABLE orders AS SELECT order_id, customer_id, ordered_at::TIMESTAMP AS ordered_at,
    amount::DOUBLE AS amount, status FROM ${parquet('orders')}`);
  await c.run(`CREATE TABLE campaigns AS SELECT campaign_id, channel, sent_at::TIMESTAMP AS sent_at, name, audience
    FROM ${parquet('campaigns')}`);
  await c.run(`CREATE TABLE customers AS SELECT customer_id FROM ${parquet('customers')} ORDER BY customer_id`);
  c.closeSync();
  instance.closeSync();
}

async function attach(e: Engine, file: string): Promise<void> {
  await e.connection.run(`ATTACH ${lit(file)} AS staged (READ_ONLY)`);
  for (const t of ['events', 'orders', 'campaigns']) await e.connection.run(`CREATE VIEW ${t} AS SELECT * FROM staged.${t}`);
}

function md5(data: Buffer | string): string {
  return createHash('md5').update(data).digest('hex');
}

/** Child: one measurement, printed as a JSON line. */
async function child(kind: 'stage' | 'reference', file: string, asOf: string, memoryLimit: string, dir: string): Promise<void> {
  const spill = mkdtempSync(join(dir, 'spill-'));
  const out = mkdtempSync(join(dir, 'out-'));
  const { engine: e, watch } = await engine(memoryLimit, spill);
  try {
    await attach(e, file);
    const ids =
      kind === 'stage'
        ? ((await (await e.connection.runAndReadAll('SELECT customer_id FROM staged.customers')).getColumns())[0] as string[])
        : [];
    const peaks = watchPeaks(watch);
    const cpu = process.cpuUsage();
    const start = performance.now();
    let extra: Partial<Measure> = {};
    if (kind === 'stage') {
      const ctx = {
        engine: e,
        config: parseConfig({ seed: 7 }),
        configPath: undefined,
        dataDir: '',
        asOf: new Date(`${asOf}T00:00:00Z`),
        outDir: out,
        log: createLogger({ quiet: true }),
        warnings: [],
      };
      const [kpis] = await campaignsStage(ctx, scoreRows(ids));
      extra = {
        available: kpis.available,
        reason: kpis.reason,
        sends: kpis.sends,
        rowsMd5: md5(JSON.stringify({ rows: kpis.rows, suggestions: kpis.suggestions })),
        kpisMd5: kpis.available ? md5(readFileSync(join(out, 'kpis.parquet'))) : undefined,
      };
    } else {
      await e.connection.run(`SELECT count(*), sum(n) FROM (
        SELECT customer_id, count(*) AS n FROM events
        WHERE type IN ('email_sent', 'sms_sent', 'email_bounce', 'email_open', 'email_click', 'sms_bounce', 'sms_click', 'unsubscribe')
          AND occurred_at > TIMESTAMP ${lit(`${asOf} 23:59:59.999999`)} - INTERVAL 365 DAY
          AND occurred_at <= TIMESTAMP ${lit(`${asOf} 23:59:59.999999`)}
        GROUP BY customer_id)`);
    }
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    const measure: Measure = {
      seconds,
      cpuSeconds: (used.user + used.system) / 1e6,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      ...(await peaks()),
      ...extra,
    };
    console.log(JSON.stringify(measure));
  } finally {
    e.close();
    rmSync(spill, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
}

function measured(kind: 'stage' | 'reference', file: string, asOf: string, memoryLimit: string, dir: string): Measure {
  const result = spawnSync(process.execPath, ['--import', 'tsx', here, '--child', kind, file, asOf, memoryLimit, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) throw new Error(`${kind} failed:\n${result.stderr}`);
  return JSON.parse(last) as Measure;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function line(label: string, m: Measure, reference?: Measure): string {
  const ratio = reference ? `  ${(m.cpuSeconds / reference.cpuSeconds).toFixed(1)}x reference CPU` : '';
  return (
    `${label.padEnd(12)}${m.seconds.toFixed(1).padStart(8)} s wall ${m.cpuSeconds.toFixed(1).padStart(8)} s CPU ` +
    `${m.peakRssMb.toFixed(0).padStart(6)} MiB peak RSS ${m.duckdbPeakMb.toFixed(0).padStart(6)} MiB DuckDB ` +
    `${m.spillPeakMb.toFixed(0).padStart(6)} MiB spill${ratio}  (load ${load()})`
  );
}

async function main(): Promise<void> {
  const memoryLimit = process.env.CAMPAIGNS_BENCH_MEMORY_LIMIT ?? '2GB';
  const repeat = Number(process.env.CAMPAIGNS_BENCH_REPEAT ?? 1);
  const given = process.env.CAMPAIGNS_BENCH_DATA;
  const keep = process.env.CAMPAIGNS_BENCH_DIR !== undefined;
  const dir = resolve(process.env.CAMPAIGNS_BENCH_DIR ?? mkdtempSync(join(tmpdir(), 'personae-campaigns-bench-')));
  mkdirSync(dir, { recursive: true });
  try {
    let data = given;
    if (data === undefined) {
      data = join(dir, 'data');
      const generated = spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/bin.ts', 'generate', '--customers', '20000', '--seed', '7', '--format', 'parquet', '--out', data, '--quiet'],
        { encoding: 'utf8' },
      );
      if (generated.status !== 0) throw new Error(`generate failed:\n${generated.stderr}`);
    }
    const asOf = (JSON.parse(readFileSync(join(data, 'generator.json'), 'utf8')) as { endDate: string }).endDate;
    const file = join(dir, `staged-${basename(resolve(data))}-${md5(resolve(data)).slice(0, 8)}.duckdb`);
    if (!existsSync(file)) {
      const start = performance.now();
      await stage(data, file);
      console.log(`staged ${data} into ${file} in ${((performance.now() - start) / 1000).toFixed(1)} s (load ${load()})`);
    }
    console.log(`campaigns stage on ${data}, as of ${asOf}, memory_limit ${memoryLimit}, ${repeat} run(s), load ${load()}`);
    const reference = measured('reference', file, asOf, memoryLimit, dir);
    console.log(line('reference', reference));
    const runs: Measure[] = [];
    for (let i = 0; i < repeat; i++) {
      const m = measured('stage', file, asOf, memoryLimit, dir);
      runs.push(m);
      console.log(line(`stage #${i + 1}`, m, reference));
      if (!m.available) console.log(`  no KPIs: ${m.reason}`);
      else console.log(`  ${m.sends} sends; kpis.parquet md5 ${m.kpisMd5}; rows+suggestions md5 ${m.rowsMd5}`);
    }
    if (repeat > 1) {
      const med = (key: 'seconds' | 'cpuSeconds' | 'peakRssMb' | 'duckdbPeakMb' | 'spillPeakMb'): number =>
        median(runs.map((r) => r[key]));
      const m: Measure = {
        seconds: med('seconds'),
        cpuSeconds: med('cpuSeconds'),
        peakRssMb: med('peakRssMb'),
        duckdbPeakMb: med('duckdbPeakMb'),
        spillPeakMb: med('spillPeakMb'),
      };
      console.log(line('median', m, reference));
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const [, , , kind, file, asOf, memoryLimit, dir] = process.argv;
  await child(kind as 'stage' | 'reference', file as string, asOf as string, memoryLimit as string, dir as string);
} else await main();
