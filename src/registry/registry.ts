import { resolve } from 'node:path';
import { listModels, listVersions, type VersionInfo } from './list-versions.js';
import { metricsHistory, type MetricsPoint } from './metrics-history.js';
import { readPointer, type Pointer } from './pointer.js';
import { promote, promoteMany, rollback, type PromoteOptions, type PromotionResult } from './promote.js';
import { prune, type PruneResult } from './prune.js';
import { readVersion, type ExpectedModel, type LoadedVersion } from './read-version.js';
import { repairRegistry, type RepairResult } from './repair.js';
import { scrubCustomers, type ScrubOptions, type ScrubResult } from './scrub.js';
import { writeVersion, type VersionInput, type WriteResult } from './write-version.js';

/**
 * A model registry rooted at a directory (default `models/`). Writers should hold the registry lock
 * (src/runner/lock.ts, acquireLock(root)); readers need no lock and never see a partial version.
 * Every mutating method first repairs what a crashed writer may have left (repairRegistry).
 */
export interface Registry {
  readonly root: string;
  /** Writes a version atomically; "exists" when the identical version is already registered. */
  writeVersion(model: string, input: VersionInput): Promise<WriteResult>;
  /** Versions of one model or all models, oldest first (manifests parsed, files not hashed). */
  list(model?: string): Promise<VersionInfo[]>;
  models(): Promise<string[]>;
  /** Reads and verifies a version, or the promoted one with "current". */
  read(model: string, version: string, expected?: ExpectedModel): Promise<LoadedVersion>;
  /** The promotion pointer (current version, rollback stack, history), null if none promoted. */
  pointer(model: string): Promise<Pointer | null>;
  promote(model: string, version: string, options?: PromoteOptions): Promise<PromotionResult>;
  /** Promotes several models as one step that a crash cannot leave half done. */
  promoteMany(
    targets: Readonly<Record<string, string>>,
    options?: PromoteOptions,
  ): Promise<PromotionResult[]>;
  rollback(model: string, options?: PromoteOptions): Promise<PromotionResult>;
  /** Keeps the last `keep` versions per model, plus the current and the rollback target. */
  prune(keep: number, model?: string): Promise<PruneResult[]>;
  repair(): Promise<RepairResult>;
  /**
   * Erasure: removes these customers from the customer-level files of every retained version (of every
   * model, or `options.model`); versions that hold none of them are not touched.
   */
  scrub(customerIds: Iterable<string>, options?: ScrubOptions): Promise<ScrubResult[]>;
  /** Metrics of the last `last` versions of a model, oldest first, with whether each was promoted. */
  metricsHistory(model: string, last?: number): Promise<MetricsPoint[]>;
}

export function openRegistry(root = 'models'): Registry {
  const dir = resolve(root);
  const mutating = async <T>(work: () => Promise<T>): Promise<T> => {
    await repairRegistry(dir);
    return work();
  };
  return {
    root: dir,
    writeVersion: (model, input) => mutating(() => writeVersion(dir, model, input)),
    list: (model) => listVersions(dir, model),
    models: () => listModels(dir),
    read: (model, version, expected) => readVersion(dir, model, version, expected),
    pointer: (model) => readPointer(dir, model),
    promote: (model, version, options) => mutating(() => promote(dir, model, version, options)),
    promoteMany: (targets, options) => mutating(() => promoteMany(dir, targets, options)),
    rollback: (model, options) => mutating(() => rollback(dir, model, options)),
    prune: (keep, model) => mutating(() => prune(dir, keep, model)),
    repair: () => repairRegistry(dir),
    scrub: (customerIds, options) => mutating(() => scrubCustomers(dir, customerIds, options)),
    metricsHistory: (model, last) => metricsHistory(dir, model, last),
  };
}
