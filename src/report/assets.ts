import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Static assets that ship with the program (not user data): the DejaVu font for PNG charts and the
 * minified vega / vega-lite / vega-embed builds inlined into the HTML so it works offline. Read once,
 * lazily, like a module import.
 */
export const FONT_FILES: readonly string[] = [
  fileURLToPath(new URL('./assets/DejaVuSans.ttf', import.meta.url)),
  fileURLToPath(new URL('./assets/DejaVuSans-Bold.ttf', import.meta.url)),
];

export interface ScriptAsset {
  readonly name: string;
  readonly version: string;
  readonly source: string;
}

let scripts: readonly ScriptAsset[] | undefined;

/** The browser builds, in load order (vega-embed needs the vega and vegaLite globals). */
export function vegaBrowserScripts(): readonly ScriptAsset[] {
  if (scripts) return scripts;
  const require = createRequire(import.meta.url);
  const load = (pkg: string, file: string): ScriptAsset => {
    // Some packages do not export package.json: find their folder from the main entry instead.
    const entry = require.resolve(pkg);
    const marker = `${sep}node_modules${sep}${pkg}${sep}`;
    const root = entry.slice(0, entry.lastIndexOf(marker) + marker.length);
    const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    return { name: pkg, version, source: readFileSync(join(root, file), 'utf8') };
  };
  scripts = [load('vega', 'build/vega.min.js'), load('vega-lite', 'build/vega-lite.min.js'), load('vega-embed', 'build/vega-embed.min.js')];
  return scripts;
}
