import { readFileSync } from 'node:fs';

/** The package version, recorded in manifests so that a model or run says which code made it. */
export function personaeVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
