import { listVersions } from './list-versions.js';
import { readPointer } from './pointer.js';

export interface MetricsPoint {
  readonly version: string;
  readonly asOf: string | null;
  readonly createdAt: string;
  readonly runId: string | null;
  readonly metrics: Readonly<Record<string, number | null>>;
  /** Whether this version was ever promoted (per the pointer's history), and whether it is now. */
  readonly promoted: boolean;
  readonly current: boolean;
}

/**
 * The holdout metrics of the last `last` versions of a model, oldest first: the "model metrics over the
 * last runs" of the drift report. Versions with an unreadable manifest are left out.
 */
export async function metricsHistory(root: string, model: string, last = 10): Promise<MetricsPoint[]> {
  const pointer = await readPointer(root, model);
  const everPromoted = new Set(pointer?.history.map((e) => e.version) ?? []);
  if (pointer) everPromoted.add(pointer.version);
  const versions = await listVersions(root, model);
  return versions
    .flatMap((v) =>
      v.manifest === null
        ? []
        : [
            {
              version: v.version,
              asOf: v.manifest.asOf,
              createdAt: v.manifest.createdAt,
              runId: v.manifest.runId,
              metrics: v.manifest.metrics,
              promoted: everPromoted.has(v.version),
              current: v.current,
            },
          ],
    )
    .slice(-last);
}
