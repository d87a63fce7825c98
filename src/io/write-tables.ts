/**
 * Writes a generated data set to a directory: one file per table (CSV written line by line through
 * buffered appends, or Parquet converted from that CSV by DuckDB), truth/ground_truth.csv, truth/dirty.csv
 * and generator.json. Memory stays flat whatever the number of customers: rows go to disk in ~1 MB chunks.
 * With `namedPipes` (opt-in), the large tables are not staged on disk for Parquet: their CSV goes through a
 * named pipe to a DuckDB COPY on its own thread, so DuckDB converts while JavaScript generates.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { inputError } from '../core/errors.js';
import { CONTRACT, TABLE_NAMES, type ColumnType, type TableName } from '../contract/schema.js';
import {
  datasetTables,
  generateDatasetSteps,
  parseGenerateOptions,
  type DatasetSink,
  type GenerateOptionsInput,
  type GenerationSummary,
} from '../synthetic/generate.js';
import { generateInWorkers, workersAvailable } from '../synthetic/parallel.js';
import { exec, openEngine, quoteIdent, quoteLiteral, type Engine } from './duckdb.js';

const BUFFER_BYTES = 1 << 20;
/** Lines are gathered into a string of about this many UTF-16 units, then encoded in one call. */
const PENDING_UNITS = 1 << 16;

/**
 * Appends lines to a file: lines are concatenated into a string of ~64K characters that is encoded into a
 * 1 MB buffer in one call, and the buffer goes to disk when full. No large joined string is ever built (that,
 * not the disk, was the generator's bottleneck), and one encode per ~1,000 lines instead of one per line
 * roughly halves the writer's CPU.
 */
export class LineWriter {
  protected readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private written = 0;
  private pending = '';

  constructor(
    readonly path: string,
    flags: string | number = 'w',
  ) {
    try {
      this.fd = openSync(path, flags);
    } catch (error) {
      inputError(
        'write_failed',
        `cannot write ${path}: ${(error as Error).message}`,
        'choose an --out directory you can write to',
      );
    }
  }

  write(line: string): void {
    this.pending += `${line}\n`;
    if (this.pending.length >= PENDING_UNITS) this.encodePending();
  }

  /** Appends bytes that already hold whole lines (UTF-8, each with its line break). */
  writeBytes(bytes: Uint8Array): void {
    this.encodePending();
    if (this.used + bytes.length > BUFFER_BYTES) {
      this.flushBuffer();
      if (bytes.length > BUFFER_BYTES) {
        this.send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
        this.written += bytes.length;
        return;
      }
    }
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  private encodePending(): void {
    const text = this.pending;
    this.pending = '';
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const worst = text.length * 3;
    if (this.used + worst > BUFFER_BYTES) {
      this.flushBuffer();
      if (worst > BUFFER_BYTES) {
        const bytes = Buffer.from(text, 'utf8');
        this.send(bytes);
        this.written += bytes.length;
        return;
      }
    }
    this.used += this.buffer.write(text, this.used, 'utf8');
  }

  private flushBuffer(): void {
    if (this.used === 0) return;
    this.send(this.buffer.subarray(0, this.used));
    this.written += this.used;
    this.used = 0;
  }

  /** Hands bytes to the file; `bytes` may be reused by the caller afterwards. */
  protected send(bytes: Buffer): void {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
  }

  flush(): void {
    this.encodePending();
    this.flushBuffer();
  }

  /** Bytes handed to the file so far. */
  get bytes(): number {
    return this.written;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * A LineWriter into a named pipe opened without blocking: bytes the reader has not taken yet wait in a
 * queue, and `drain` waits (asynchronously, so the reader's failure can be noticed) until the queue is short.
 * The pipe is opened for reading and writing, so opening never waits for the reader.
 */
export class PipeWriter extends LineWriter {
  private readonly queue: Buffer[] = [];
  private queued = 0;

  constructor(path: string) {
    super(path, constants.O_RDWR | constants.O_NONBLOCK);
  }

  protected override send(bytes: Buffer): void {
    this.queue.push(Buffer.from(bytes));
    this.queued += bytes.length;
    this.pump();
  }

  /** Writes what the pipe takes now; false when it is full. */
  private pump(): boolean {
    while (this.queue.length > 0) {
      const head = this.queue[0] as Buffer;
      let n: number;
      try {
        n = writeSync(this.fd, head);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') return false;
        throw error;
      }
      this.queued -= n;
      if (n < head.length) this.queue[0] = head.subarray(n);
      else this.queue.shift();
    }
    return true;
  }

  /** Waits until at most `limit` bytes wait for the reader; `failure` is asked while waiting. */
  async drain(limit: number, failure: () => unknown): Promise<void> {
    while (this.queued > limit && !this.pump()) {
      const error = failure();
      if (error !== undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  }

  /** Flushes, waits until the reader has every byte, and closes the pipe (the reader sees its end). */
  async end(failure: () => unknown): Promise<void> {
    this.flush();
    await this.drain(0, failure);
    this.abort();
  }

  /** Closes the pipe at once, whatever is queued (after a failure); closing twice does nothing. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private closed = false;
}

/** Tables streamed through a pipe when writing Parquet: the large ones (at most 3 run at once, see below). */
const PIPED_TABLES: readonly TableName[] = ['events', 'orders', 'customers'];
/** Bytes a pipe may hold back before generation waits for DuckDB. */
const PIPE_BACKLOG_BYTES = 8 << 20;

export type ParquetColumns = 'typed' | 'text';

/** Parquet column types of each contract type (see WriteDatasetHooks.parquetColumns). */
const PARQUET_TYPES: Readonly<Record<ColumnType, string>> = {
  id: 'VARCHAR',
  text: 'VARCHAR',
  enum: 'VARCHAR',
  timestamp: 'TIMESTAMPTZ',
  number: 'DECIMAL(18,2)',
  integer: 'INTEGER',
};

/** The Parquet type of each column of `table`, in contract order. */
export function parquetColumnTypes(table: TableName, columns: ParquetColumns): Record<string, string> {
  return Object.fromEntries(
    Object.entries(CONTRACT[table].columns).map(([name, spec]) => [
      name,
      columns === 'typed' ? PARQUET_TYPES[spec.type] : 'VARCHAR',
    ]),
  );
}

export interface WrittenDataset {
  readonly summary: GenerationSummary;
  /** Table files, by table: every table, or only those of an orders-only data set. */
  readonly files: Partial<Record<TableName, string>>;
  readonly truthFile: string;
  readonly dirtyFile: string;
  readonly manifestFile: string;
}

export interface WriteDatasetHooks {
  /**
   * Worker threads that generate customers (0: on the main thread, the default). The bytes are the same
   * whatever the number; data sets with bad rows (dirty > 0) are always generated on the main thread.
   */
  workers?: number;
  /**
   * Parquet only: stream the large tables through named pipes into DuckDB while generating (POSIX), instead
   * of staging them as CSV and converting afterwards. Off by default: a whole-suite CI run hung once in it
   * (generation and the COPYs waiting on each other), so it stays opt-in until that is understood.
   */
  namedPipes?: boolean;
  /**
   * Parquet only: 'typed' (the default for a clean data set) writes timestamps as TIMESTAMP WITH TIME ZONE
   * (UTC instants), amounts as DECIMAL(18,2), counts as INTEGER and ids, text and enums as VARCHAR, as a
   * warehouse export holds them; 'text' writes every column as VARCHAR, the text as in the CSV. A data set
   * with bad rows (dirty > 0) is always text: a broken date or number has no typed form.
   */
  parquetColumns?: ParquetColumns;
  progress?(done: number, total: number): void;
  /** Told about files of an earlier run (other format) removed so one table is not present twice. */
  removed?(path: string): void;
}

/** Generates the data set of `input` into `outDir` (created if needed). Same options, same bytes. */
export async function writeDataset(
  input: GenerateOptionsInput,
  outDir: string,
  hooks: WriteDatasetHooks = {},
): Promise<WrittenDataset> {
  const options = parseGenerateOptions(input);
  const truthDir = join(outDir, 'truth');
  try {
    mkdirSync(truthDir, { recursive: true });
  } catch (error) {
    inputError(
      'write_failed',
      `cannot create ${truthDir}: ${(error as Error).message}`,
      'choose an --out directory you can write to',
    );
  }
  const tables = datasetTables(options);
  // Table files this data set does not have (other format, or tables an orders-only set lacks) would be read
  // with it: they go.
  for (const table of TABLE_NAMES) {
    for (const format of ['csv', 'parquet'] as const) {
      if (format === options.format && tables.includes(table)) continue;
      const stale = join(outDir, `${table}.${format}`);
      if (existsSync(stale)) {
        rmSync(stale);
        hooks.removed?.(stale);
      }
    }
  }

  const parquet = options.format === 'parquet';
  const columnKind: ParquetColumns = options.dirty > 0 ? 'text' : (hooks.parquetColumns ?? 'typed');
  const csvDir = parquet ? join(outDir, '.staging-csv') : outDir;
  mkdirSync(csvDir, { recursive: true });
  const files = {} as Record<TableName, string>;
  for (const table of tables) files[table] = join(outDir, `${table}.${options.format}`);
  // Named pipes (opt-in) need a POSIX system; otherwise every table is staged as CSV and converted afterwards.
  const piped =
    parquet && hooks.namedPipes === true && process.platform !== 'win32' ? tables.filter((t) => PIPED_TABLES.includes(t)) : [];
  const conversions: PipedConversion[] = [];
  const writers = {} as Record<TableName, LineWriter>;
  const truth = new LineWriter(join(truthDir, 'ground_truth.csv'));
  const dirty = new LineWriter(join(truthDir, 'dirty.csv'));
  let summary: GenerationSummary;
  try {
    for (const table of piped) {
      const conversion = await startPipedConversion(
        join(csvDir, `${table}.pipe`),
        files[table],
        parquetColumnTypes(table, columnKind),
      );
      conversions.push(conversion);
      writers[table] = conversion.writer;
    }
    for (const table of tables)
      if (!piped.includes(table)) writers[table] = new LineWriter(join(csvDir, `${table}.csv`));
    const sink: DatasetSink = {
      row: (table, line) => writers[table].write(line),
      bytes: (table, bytes) => writers[table].writeBytes(bytes),
      truth: (line) => truth.write(line),
      dirty: (line) => dirty.write(line),
      progress: hooks.progress,
    };
    const failure = (): unknown => conversions.find((c) => c.error !== undefined)?.error;
    const drain = async (): Promise<void> => {
      for (const c of conversions) await c.writer.drain(PIPE_BACKLOG_BYTES, failure);
    };
    const workers = workersAvailable() ? (hooks.workers ?? 0) : 0;
    if (workers > 0 && options.dirty === 0) {
      summary = await generateInWorkers(options, workers, {
        ...sink,
        bytes: (table, bytes) => writers[table].writeBytes(bytes),
        truthBytes: (bytes) => truth.writeBytes(bytes),
        drain,
      });
    } else {
      const steps = generateDatasetSteps(options, sink);
      for (;;) {
        const step = steps.next();
        if (step.done) {
          summary = step.value;
          break;
        }
        await drain();
      }
    }
    for (const c of conversions) await c.writer.end(failure);
    for (const c of conversions) await c.done;
    const error = failure();
    if (error !== undefined) throw error;
  } catch (error) {
    for (const c of conversions) c.writer.abort();
    await Promise.allSettled(conversions.map((c) => c.done));
    throw error;
  } finally {
    for (const c of conversions) c.engine.close();
    for (const w of [...Object.values(writers), truth, dirty]) if (!(w instanceof PipeWriter)) w.close();
  }

  if (parquet) {
    // One engine (one thread, so the same bytes) per table, all at once: the smaller tables convert while the
    // events table does, on the other core.
    const converted = await Promise.allSettled(
      tables
        .filter((table) => !piped.includes(table))
        .map((table) => csvToParquet(join(csvDir, `${table}.csv`), files[table], parquetColumnTypes(table, columnKind))),
    );
    for (const result of converted) if (result.status === 'rejected') throw result.reason;
    rmSync(csvDir, { recursive: true, force: true });
  }
  const manifestFile = join(outDir, 'generator.json');
  writeFileSync(
    manifestFile,
    `${JSON.stringify({ ...summary, files: Object.fromEntries(tables.map((t) => [t, `${t}.${options.format}`])) }, null, 2)}\n`,
  );
  return {
    summary,
    files,
    truthFile: join(truthDir, 'ground_truth.csv'),
    dirtyFile: join(truthDir, 'dirty.csv'),
    manifestFile,
  };
}

interface PipedConversion {
  readonly writer: PipeWriter;
  readonly engine: Engine;
  /** Settles when DuckDB has written the Parquet file (or failed: see `error`). */
  readonly done: Promise<void>;
  error: unknown;
}

/**
 * Starts the COPY of csvToParquet reading from a new named pipe at `pipePath` and returns the writer of that
 * pipe. DuckDB runs the COPY on a thread of Node's pool (one per conversion; the pool has 4 by default, so at
 * most 3 conversions run at once).
 */
async function startPipedConversion(
  pipePath: string,
  parquetPath: string,
  columns: Readonly<Record<string, string>>,
): Promise<PipedConversion> {
  rmSync(pipePath, { force: true });
  try {
    execFileSync('mkfifo', [pipePath]);
  } catch (error) {
    inputError(
      'write_failed',
      `cannot create the named pipe ${pipePath}: ${(error as Error).message}`,
      'choose an --out directory on a local POSIX file system',
    );
  }
  const engine = await openEngine({ threads: 1 });
  await exec(engine.connection, 'SET preserve_insertion_order = true');
  const writer = new PipeWriter(pipePath);
  // Not awaited: the COPY reads the pipe while generation writes it (exec submits it before returning).
  const copy = exec(engine.connection, copyCsvToParquetSql(pipePath, parquetPath, columns));
  const conversion: PipedConversion = {
    writer,
    engine,
    done: copy.catch((error: unknown) => {
      conversion.error = error;
    }),
    error: undefined,
  };
  return conversion;
}

/**
 * The COPY of one of our CSV files (or pipes) to Parquet, columns of the given types (csvToParquet), rows in
 * order. Timestamps are read as TIMESTAMP (the CSV reader's own parser; the text has no zone and is UTC)
 * and written as TIMESTAMPTZ, the same instant: to_timestamp(epoch(…)) is DuckDB's core arithmetic (exact
 * for the generator's whole seconds), where a cast to TIMESTAMPTZ goes through ICU's calendar (several
 * times the CPU).
 */
function copyCsvToParquetSql(
  csvPath: string,
  parquetPath: string,
  columns: Readonly<Record<string, string>>,
): string {
  const entries = Object.entries(columns);
  const readAs = (type: string): string => (type === 'TIMESTAMPTZ' ? 'TIMESTAMP' : type);
  const columnTypes = `{${entries.map(([c, type]) => `${quoteLiteral(c)}: ${quoteLiteral(readAs(type))}`).join(', ')}}`;
  const select = entries.map(([c, type]) =>
    type === readAs(type) ? quoteIdent(c) : `to_timestamp(epoch(${quoteIdent(c)})) AS ${quoteIdent(c)}`,
  );
  return (
    `COPY (SELECT ${select.join(', ')} FROM read_csv(${quoteLiteral(csvPath)}, header = true, auto_detect = false, ` +
    `delim = ',', quote = '"', escape = '"', columns = ${columnTypes})) ` +
    `TO ${quoteLiteral(parquetPath)} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)`
  );
}

/**
 * Converts one of our CSV files to Parquet, `columns` (name → type, in file order) as parquetColumnTypes
 * gives them: every column VARCHAR keeps the text as written (so dirty values survive); typed columns are
 * read from the generator's own formats. Rows in file order, empty fields as NULL. One thread keeps the bytes
 * reproducible.
 */
export async function csvToParquet(
  csvPath: string,
  parquetPath: string,
  columns: Readonly<Record<string, string>>,
): Promise<void> {
  const engine = await openEngine({ threads: 1 });
  try {
    await exec(engine.connection, `SET preserve_insertion_order = true`);
    await exec(engine.connection, copyCsvToParquetSql(csvPath, parquetPath, columns));
  } finally {
    engine.close();
  }
}
