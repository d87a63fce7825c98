import type { Command } from 'commander';
import { inputError, show } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import {
  openRegistry,
  type LoadedVersion,
  type Pointer,
  type Registry,
  type VersionInfo,
} from '../../registry/index.js';
import { withLock } from '../../runner/lock.js';

interface RegistryFlags {
  registry: string;
  json?: boolean;
}

/**
 * `personae models list|show|promote|rollback|prune`: inspect the model registry and move its `current`
 * pointers by hand. Moving pointers takes the registry lock, like a retrain (exit code 4 when held).
 */
export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('list, inspect, promote and roll back the versions in the model registry');
  const common = (command: Command): Command =>
    command
      .option('--registry <dir>', 'registry root directory', 'models')
      .option('--json', 'print JSON instead of a table');

  common(
    models
      .command('list')
      .argument('[model]', 'only this model')
      .description('list the versions of every model (or one), oldest first; * marks the promoted one'),
  ).action(async (model: string | undefined, flags: RegistryFlags) => {
    const registry = openRegistry(flags.registry);
    const versions = await registry.list(model);
    if (flags.json) print({ registry: registry.root, versions: versions.map(versionSummary) });
    else
      process.stdout.write(
        versions.length === 0 ? `the registry ${registry.root} is empty\n` : `${versionTable(versions)}\n`,
      );
  });

  common(
    models
      .command('show')
      .argument('<model>')
      .argument('[version]', 'a version name, or "current"', 'current'),
  )
    .description('show the manifest of a version (default: the promoted one) after verifying its files')
    .action(async (model: string, version: string, flags: RegistryFlags) => {
      const registry = openRegistry(flags.registry);
      const loaded = await registry.read(model, version);
      const pointer = await registry.pointer(model);
      if (flags.json)
        print({ registry: registry.root, current: loaded.current, manifest: loaded.manifest, pointer });
      else process.stdout.write(`${describeVersion(loaded, pointer)}\n`);
    });

  common(models.command('promote').argument('<model>').argument('<version>'))
    .option('--reason <text>', 'why, kept in the promotion history', 'promoted by hand')
    .description('make VERSION the promoted version of MODEL (after verifying it)')
    .action(async (model: string, version: string, flags: RegistryFlags & { reason: string }) => {
      const result = await underLock(flags, 'personae models promote', (registry) =>
        registry.promote(model, version, { reason: flags.reason }),
      );
      const { pointer, ...rest } = result;
      if (flags.json) print({ ...rest, previous: pointer.previous });
      else
        process.stdout.write(
          result.changed
            ? `${model}: promoted ${version} (was ${result.from ?? 'none'})\n`
            : `${model}: ${version} is already the promoted version\n`,
        );
    });

  common(models.command('rollback').argument('<model>'))
    .option('--reason <text>', 'why, kept in the promotion history', 'rolled back by hand')
    .description('return MODEL to the version promoted before the current one')
    .action(async (model: string, flags: RegistryFlags & { reason: string }) => {
      const result = await underLock(flags, 'personae models rollback', (registry) =>
        registry.rollback(model, { reason: flags.reason }),
      );
      const { pointer, ...rest } = result;
      if (flags.json) print({ ...rest, previous: pointer.previous });
      else process.stdout.write(`${model}: rolled back from ${result.from} to ${result.version}\n`);
    });

  common(models.command('prune').argument('[model]', 'only this model'))
    .requiredOption(
      '--keep <n>',
      'versions to keep per model (the promoted one and the rollback target are always kept)',
    )
    .description('delete old versions, keeping the last N of each model')
    .action(async (model: string | undefined, flags: RegistryFlags & { keep: string }) => {
      const keep = Number(flags.keep);
      if (!Number.isInteger(keep) || keep < 1)
        inputError('bad_keep_flag', `--keep ${show(flags.keep)} is not a whole number ≥ 1`, 'e.g. --keep 5');
      const results = await underLock(flags, 'personae models prune', (registry) =>
        registry.prune(keep, model),
      );
      if (flags.json) print({ results });
      else
        for (const r of results)
          process.stdout.write(
            `${r.model}: kept ${r.kept.length}, deleted ${r.deleted.length}${r.deleted.length ? ` (${r.deleted.join(', ')})` : ''}\n`,
          );
    });
}

async function underLock<T>(
  flags: RegistryFlags,
  owner: string,
  work: (registry: Registry) => Promise<T>,
): Promise<T> {
  const registry = openRegistry(flags.registry);
  const logger = createLogger({ json: flags.json || undefined });
  return withLock(registry.root, { owner, logger }, () => work(registry));
}

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

function versionSummary(v: VersionInfo): Record<string, unknown> {
  const m = v.manifest;
  return {
    model: v.model,
    version: v.version,
    current: v.current,
    asOf: m?.asOf ?? null,
    createdAt: m?.createdAt ?? null,
    type: m?.type ?? null,
    id: m?.id ?? null,
    dataFingerprint: m?.dataFingerprint ?? null,
    runId: m?.runId ?? null,
    codeVersion: m?.codeVersion ?? null,
    metrics: m?.metrics ?? null,
    problem: v.problem ?? null,
  };
}

function formatMetrics(metrics: Readonly<Record<string, number | null>>): string {
  return Object.entries(metrics)
    .map(([k, v]) => `${k}=${v === null ? 'n/a' : Number(v.toPrecision(4))}`)
    .join(' ');
}

/** A plain-text table, columns padded to their widest cell. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

function versionTable(versions: readonly VersionInfo[]): string {
  const rows = versions.map((v) => [
    v.current ? '*' : '',
    v.model,
    v.version,
    v.manifest?.asOf ?? '-',
    v.manifest?.createdAt.slice(0, 19).replace('T', ' ') ?? '-',
    v.manifest ? formatMetrics(v.manifest.metrics) || '-' : `DAMAGED: ${v.problem ?? 'unreadable manifest'}`,
  ]);
  return table(['', 'model', 'version', 'as-of', 'created (UTC)', 'metrics'], rows);
}

function describeVersion(loaded: LoadedVersion, pointer: Pointer | null): string {
  const m = loaded.manifest;
  const lines = [
    `${m.model} ${m.version}${loaded.current ? ' (promoted)' : ''}`,
    `  type            ${m.type} (format ${m.formatVersion}), id ${m.id}`,
    `  params          ${JSON.stringify(m.params)}`,
    `  data            ${m.dataFingerprint}, as of ${m.asOf ?? '-'}, run ${m.runId ?? '-'}`,
    `  created         ${m.createdAt} by personae ${m.codeVersion}`,
    `  metrics         ${formatMetrics(m.metrics) || '-'}`,
    `  files           verified (sha256 of ${Object.keys(m.files).length} files)`,
    ...Object.entries(m.files).map(
      ([name, f]) => `    ${name.padEnd(22)} ${String(f.bytes).padStart(10)} B  ${f.sha256.slice(0, 16)}`,
    ),
  ];
  if (Object.keys(m.extra).length > 0) lines.push(`  extra           ${JSON.stringify(m.extra)}`);
  const scrubs = m.scrubs ?? [];
  if (scrubs.length > 0) {
    lines.push(`  scrubbed        ${scrubs.length} time(s) since written (files rewritten, sha256 updated)`);
    for (const s of scrubs) {
      const rows = Object.entries(s.rowsRemoved)
        .map(([file, n]) => `${file} ${n}`)
        .join(', ');
      lines.push(`    ${s.at}  ${s.reason}: removed ${rows} row(s)`);
    }
  }
  if (pointer) {
    lines.push(
      `  promoted        ${pointer.version} since ${pointer.promotedAt}; rollback would return to ${pointer.previous.at(-1) ?? '(none)'}`,
    );
    for (const e of pointer.history.slice(-5)) {
      lines.push(
        `    ${e.at}  ${e.action.padEnd(8)} ${e.version}${e.from ? ` (from ${e.from})` : ''}${e.reason ? `: ${e.reason}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}
