// How `personae generate` and `personae run` grow with the number of customers: wall time, CPU time and peak
// RSS of each, per stage of the run (run.json), and memory per customer; next to a reference measured in
// the same run on the same files: a bare DuckDB read of every input table (the floor of validation).
//   npm run bench scale                                        (100,000 and 1,000,000 customers, CSV)
//   PERSONAE_BENCH_SIZES=10000,30000,100000 npm run bench scale
//   PERSONAE_BENCH_10M=1 npm run bench scale                   (adds 10,000,000 orders-only customers, Parquet,
//                                                               opt-in)
//   PERSONAE_BENCH_DIR=/big/disk                               (where data and outputs go; default: tmp)
//   PERSONAE_BENCH_MEMORY_LIMIT=2GB                            (the run's engine.memory_limit; default 2GB)
//   PERSONAE_BENCH_DATA=/data/dir                              (runs that data set, e.g. one `personae generate` wrote
//                                                               earlier, instead of generating the sizes; kept)
// The run's DuckDB is given engine.memory_limit (it spills past it, into the bench folder): left at its default,
// half the machine's memory, DuckDB keeps the whole data set resident and the peak RSS says more about that
// limit than about what a run needs.
// Each size is generated with seed 7, then run as of the generator's last day. Every measurement is a child
// process of its own. The load average is printed beside each figure: this machine is shared.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measuredCli, type Measured } from '../helpers/measure.js';

interface Stage {
  readonly name: string;
  readonly seconds: number;
  readonly cpuSeconds?: number;
  readonly peakRssMb?: number;
  readonly skipped?: boolean;
}

const here = dirname(fileURLToPath(import.meta.url));
const memoryLimit = process.env.PERSONAE_BENCH_MEMORY_LIMIT ?? '2GB';
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' ');
const mib = (x: number): string => `${x.toFixed(0)} MiB`;

interface Size {
  readonly customers: number;
  readonly format: 'csv' | 'parquet';
  /** `generate --orders-only`: customers, orders, consent and erasure. */
  readonly ordersOnly?: boolean;
}

function sizes(): Size[] {
  const list: Size[] = (process.env.PERSONAE_BENCH_SIZES ?? '100000,1000000')
    .split(',')
    .map((s) => ({ customers: Number(s.trim()), format: 'csv' }));
  if (process.env.PERSONAE_BENCH_10M === '1') list.push({ customers: 10_000_000, format: 'parquet', ordersOnly: true });
  return list;
}


/** The reference: every input table read into DuckDB with its defaults, in a child process (see ingest.bench). */
function bareRead(dataDir: string, asOf: string): { seconds: number; cpuSeconds: number; peakRssMb: number } {
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(here, 'ingest.bench.ts'), '--child', 'bare', dataDir, asOf],
    { encoding: 'utf8' },
  );
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  if (result.status !== 0 || !last.startsWith('{')) throw new Error(`bare read failed:\n${result.stderr}`);
  return JSON.parse(last) as { seconds: number; cpuSeconds: number; peakRssMb: number };
}

function line(label: string, m: Pick<Measured, 'seconds' | 'cpuSeconds' | 'peakRssMb'>): string {
  return `${label.padEnd(22)}${m.seconds.toFixed(1).padStart(8)} s wall ${m.cpuSeconds.toFixed(1).padStart(8)} s CPU ${mib(m.peakRssMb).padStart(10)} peak`;
}

async function benchSize(root: string, { customers, format, ordersOnly = false }: Size, given?: string): Promise<void> {
  const data = given ?? join(root, `data-${customers}`);
  const out = join(root, `out-${customers}`);
  console.log(`\n--- ${customers.toLocaleString('en')} customers (${format}${ordersOnly ? ', orders only' : ''}), load ${load()}`);
  if (given === undefined) {
    const generated = await measuredCli(
      ['generate', '--customers', String(customers), '--seed', '7', '--out', data, '--format', format, '--quiet']
        .concat(ordersOnly ? ['--orders-only'] : []),
    );
    if (generated.code !== 0) throw new Error(`generate failed:\n${generated.stderr}`);
    console.log(line('generate', generated), `  (load ${load()})`);
  } else console.log(`data                  ${given} (given, not generated)`);
  const { endDate } = JSON.parse(readFileSync(join(data, 'generator.json'), 'utf8')) as { endDate: string };
  const reference = bareRead(data, endDate);
  console.log(line('reference: bare read', reference), `  (load ${load()})`);
  const config = join(root, 'bench.yaml');
  writeFileSync(config, `engine:\n  memory_limit: ${memoryLimit}\n  temp_directory: ${join(root, 'spill')}\n`);
  const run = await measuredCli(['run', '--config', config, '--data', data, '--out', out, '--as-of', endDate]);
  if (run.code !== 0) {
    console.log(`run failed (exit ${run.code}): ${run.stderr.split('\n').filter((l) => /error/i.test(l)).slice(0, 3).join(' | ')}`);
    return;
  }
  console.log(line(`run (end to end, ${memoryLimit})`, run), `  (load ${load()})`);
  const { stages } = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { stages: Stage[] };
  for (const stage of stages.filter((s) => !s.skipped)) {
    console.log(
      line(`  ${stage.name}`, { seconds: stage.seconds, cpuSeconds: stage.cpuSeconds ?? NaN, peakRssMb: stage.peakRssMb ?? NaN }),
    );
  }
  const validate = stages.find((s) => s.name === 'validate');
  if (validate) {
    console.log(
      `validate / bare read   ${(validate.seconds / reference.seconds).toFixed(2)}x wall, ${((validate.cpuSeconds ?? NaN) / reference.cpuSeconds).toFixed(2)}x CPU (validation, consent and its files included)`,
    );
  }
  console.log(`memory per customer    ${((run.peakRssMb * 1024) / customers).toFixed(1)} KiB of peak RSS (run)`);
  rmSync(out, { recursive: true, force: true });
  if (given === undefined) rmSync(data, { recursive: true, force: true });
}

/** The size and format of a data set `personae generate` wrote (its generator.json). */
function givenSize(dir: string): Size {
  const { args } = JSON.parse(readFileSync(join(dir, 'generator.json'), 'utf8')) as {
    args: { customers: number; format: 'csv' | 'parquet'; ordersOnly?: boolean };
  };
  return { customers: args.customers, format: args.format, ordersOnly: args.ordersOnly === true };
}

const root = mkdtempSync(join(process.env.PERSONAE_BENCH_DIR ?? tmpdir(), 'personae-bench-scale-'));
console.log(`load average at start  ${load()}`);
try {
  const given = process.env.PERSONAE_BENCH_DATA;
  if (given) await benchSize(root, givenSize(given), given);
  else for (const size of sizes()) await benchSize(root, size);
} finally {
  rmSync(root, { recursive: true, force: true });
  console.log(`\nload average at end    ${load()}`);
}
