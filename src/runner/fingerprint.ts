import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';

export interface FileFingerprint {
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

/** SHA-256 of a file, streamed (inputs can be gigabytes). */
export async function fingerprintFile(path: string, name = path): Promise<FileFingerprint> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { file: name, bytes: statSync(path).size, sha256: hash.digest('hex') };
}

/** One fingerprint for a whole data set: the hash of its files' hashes, in table order. */
export function combinedFingerprint(files: readonly FileFingerprint[]): string {
  const hash = createHash('sha256');
  for (const f of files) hash.update(`${f.file}:${f.sha256}\n`);
  return hash.digest('hex');
}
