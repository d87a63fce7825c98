/** The model registry: versioned, verified, crash-safe storage of trained models. */
export { openRegistry, type Registry } from './registry.js';
export { writeVersion, type VersionInput, type WriteResult } from './write-version.js';
export { readVersion, type LoadedVersion, type ExpectedModel } from './read-version.js';
export { listModels, listVersions, type VersionInfo } from './list-versions.js';
export {
  promote,
  promoteMany,
  rollback,
  recoverPendingPromotion,
  type PromoteOptions,
  type PromotionResult,
} from './promote.js';
export { prune, type PruneResult } from './prune.js';
export { repairRegistry, type RepairResult } from './repair.js';
export {
  scrubCustomers,
  withoutCustomers,
  type ScrubOptions,
  type ScrubResult,
  type VersionScrub,
} from './scrub.js';
export { readPointer, type Pointer, type PromotionEvent } from './pointer.js';
export { manifestSchema, type Manifest, type FileEntry, type ScrubEvent } from './manifest.js';
export { CUSTOMER_LEVEL_FILES, versionNameFor, type VersionKey } from './names.js';
export { metricsHistory, type MetricsPoint } from './metrics-history.js';
