import { packageInfo } from '../core/package-info.js';

/** The package version, recorded in manifests so that a model or run says which code made it. */
export function personaeVersion(): string {
  return packageInfo().version;
}
