// Speed and memory of `personae generate`: rows/s, MB/s and peak RSS for N customers written as CSV,
// against a reference measured in the same run: writing the same number of bytes of one constant CSV line
// through plain 1 MB buffered writes (the disk and syscall floor).
//   npm run bench generate                         (200,000 customers)
//   PERSONAE_BENCH_CUSTOMERS=1000000 npm run bench generate
//   PERSONAE_BENCH_FORMAT=parquet adds the DuckDB conversion to the measured time.
//   PERSONAE_BENCH_WORKERS=N worker threads (default 0: the main thread only).
//   PERSONAE_BENCH_ORDERS_ONLY=1 generates the orders-only data set (customers, orders, consent, erasure).
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDataset } from '../../src/io/write-tables.js';

const customers = Number(process.env.PERSONAE_BENCH_CUSTOMERS ?? 200_000);
const format = (process.env.PERSONAE_BENCH_FORMAT ?? 'csv') as 'csv' | 'parquet';
const workers = Number(process.env.PERSONAE_BENCH_WORKERS ?? 0);
const ordersOnly = process.env.PERSONAE_BENCH_ORDERS_ONLY === '1';
const dir = mkdtempSync(join(tmpdir(), 'personae-bench-generate-'));

let peakRss = process.memoryUsage().rss;
const sampleRss = (): void => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
// Generation is synchronous, so RSS is sampled from the progress hook (every 1% of customers) and by a timer
// during the asynchronous Parquet conversion.
const timer = setInterval(sampleRss, 50);

/** The reference: `bytes` of one constant CSV line, written with the same 1 MB buffering; seconds taken. */
function writeConstantBytes(path: string, bytes: number): number {
  const line = Buffer.from('C0000001,2024-07-25 09:05:35,product_view,beauty,93.00,mobile\n');
  const block = Buffer.alloc(1 << 20);
  for (let o = 0; o + line.length <= block.length; o += line.length) line.copy(block, o);
  const started = performance.now();
  const fd = openSync(path, 'w');
  for (let written = 0; written < bytes;)
    written += writeSync(fd, block, 0, Math.min(block.length, bytes - written));
  closeSync(fd);
  const seconds = (performance.now() - started) / 1000;
  rmSync(path);
  return seconds;
}

const formatLoad = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loadAtStart = formatLoad();

try {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const { summary, files } = await writeDataset({ customers, seed: 1, format, ordersOnly }, dir, {
    progress: sampleRss,
    workers,
  });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  sampleRss();
  const rows = Object.values(summary.rows).reduce((a, b) => a + b, 0);
  const bytes = Object.values(files).reduce((sum, file) => sum + statSync(file).size, 0);

  const mb = bytes / 1e6;
  console.log(
    `customers            ${customers.toLocaleString('en')} (${format}${ordersOnly ? ', orders only' : ''}, seed 1, ${summary.startDate}..${summary.endDate}, ${workers} worker threads)`,
  );
  console.log(
    `rows written         ${rows.toLocaleString('en')} (events ${summary.rows.events.toLocaleString('en')}, orders ${summary.rows.orders.toLocaleString('en')})`,
  );
  console.log(
    `bytes written        ${mb.toFixed(1)} MB${format === 'parquet' ? ' (compressed Parquet)' : ''}`,
  );
  console.log(
    `generate             ${seconds.toFixed(2)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(2)} s CPU (${(cpu.user / 1e6).toFixed(2)} user + ${(cpu.system / 1e6).toFixed(2)} system, all threads)${format === 'parquet' ? " (DuckDB's Parquet conversion included)" : ''}`,
  );
  console.log(
    `throughput           ${Math.round(rows / seconds).toLocaleString('en')} rows/s, ${(mb / seconds).toFixed(1)} MB/s, ${Math.round(customers / seconds).toLocaleString('en')} customers/s`,
  );
  console.log(`peak RSS             ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  console.log(
    `load average         ${loadAtStart} at the start, ${formatLoad()} at the end (2 cores shared: wall time is only meaningful at low load)`,
  );
  if (format === 'csv') {
    const refSeconds = writeConstantBytes(join(dir, 'reference.csv'), bytes);
    console.log(
      `reference write      ${refSeconds.toFixed(2)} s for the same bytes of a constant line (${(mb / refSeconds).toFixed(0)} MB/s)`,
    );
    console.log(`ratio                ${(seconds / refSeconds).toFixed(1)}x the reference`);
  } else {
    console.log('reference write      only measured for CSV (Parquet bytes are compressed)');
  }
} finally {
  clearInterval(timer);
  rmSync(dir, { recursive: true, force: true });
}
