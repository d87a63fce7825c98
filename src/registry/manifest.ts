/** The manifest of a registry version: what the model is, what data it saw, how it scored, which files. */
import { z } from 'zod';
import { PersonaeError } from '../core/errors.js';
import { modelId } from '../core/hash.js';

export const MANIFEST_FORMAT = 1;

const fileEntrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});

/** One erasure pass over a version: when, and how many customer rows each file lost (never the ids). */
const scrubEventSchema = z.object({
  at: z.string(),
  reason: z.literal('erasure'),
  rowsRemoved: z.record(z.string(), z.number().int().nonnegative()),
});

export const manifestSchema = z.object({
  /** Format of this manifest file (not of the model). */
  format: z.literal(MANIFEST_FORMAT),
  model: z.string(),
  version: z.string(),
  /** modelId(type, formatVersion, params): the saved identity, checked on load. */
  id: z.string(),
  type: z.string().min(1),
  /** Version of the model's artifact format (the `version` argument of modelId). */
  formatVersion: z.union([z.number(), z.string()]),
  params: z.unknown(),
  /** The main artifact file (JSON) whose own type/params/id must agree with the manifest's id. */
  artifact: z.string().nullable(),
  dataFingerprint: z.string(),
  asOf: z.string().nullable(),
  runId: z.string().nullable(),
  /** Holdout metrics; null when not computable (e.g. AUC with a single class). */
  metrics: z.record(z.string(), z.number().nullable()),
  codeVersion: z.string(),
  createdAt: z.string(),
  files: z.record(z.string(), fileEntrySchema),
  /** Anything else the caller wants to keep with the version (holdout definition, lineage, …). */
  extra: z.record(z.string(), z.unknown()),
  /** Erasure passes that rewrote customer-level files after the version was written, oldest first. */
  scrubs: z.array(scrubEventSchema).optional(),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntrySchema>;
export type ScrubEvent = z.infer<typeof scrubEventSchema>;

/** Parses a manifest read from `path`; a damaged one gives an error naming the file and the field. */
export function parseManifest(text: string, path: string): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PersonaeError(
      'input',
      'registry_bad_manifest',
      `${path} is not valid JSON (${(error as Error).message})`,
      'the version is damaged: delete its directory or promote another version',
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PersonaeError(
      'input',
      'registry_bad_manifest',
      `${path} is not a valid manifest: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`,
      'the version is damaged or was written by another tool: delete its directory or promote another version',
    );
  }
  return parsed.data;
}

/** Throws when the manifest's id is not the hash of its own type, format version and params. */
export function checkManifestIdentity(manifest: Manifest, path: string): void {
  const expected = modelId(manifest.type, manifest.formatVersion, manifest.params);
  if (expected !== manifest.id) {
    throw new PersonaeError(
      'input',
      'registry_id_mismatch',
      `${path} claims model id ${manifest.id}, but its type ${manifest.type} (format ${manifest.formatVersion}) and params hash to ${expected}`,
      'the manifest was edited or damaged: restore the version from a backup or promote another version',
    );
  }
}
