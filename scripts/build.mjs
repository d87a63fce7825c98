#!/usr/bin/env node
// Builds the package into dist/: tsc compiles src/ and pipelines/ to JavaScript with declaration files
// (tsconfig.build.json), then the files under src/ that are not TypeScript (the k-means worker and kernels
// in plain JavaScript with their .d.mts types, the report's fonts) are copied beside the compiled modules,
// so that `new URL('./x', import.meta.url)` finds them in dist/ exactly as in src/. A new file under src/
// is built or copied without touching this script. Runs on `npm install` / `npm ci` (prepare) and `npm pack`.
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');

/** Sources that are inputs of a build step or documentation, not files the program reads. */
const NOT_SHIPPED = new Set(['.ts', '.wat', '.sh', '.md']);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  process.stderr.write(
    'build: TypeScript is not installed. The build needs the dev dependencies: run `npm ci` (not `npm ci --omit=dev`) ' +
      'in the clone, or install the published package, which is already built.\n',
  );
  process.exit(1);
}

rmSync(dist, { recursive: true, force: true });
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) {
  process.stderr.write('build: tsc failed (see above)\n');
  process.exit(compiled.status ?? 1);
}

function copyAssets(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) copyAssets(path);
    else if (!NOT_SHIPPED.has(extname(entry.name))) {
      cpSync(path, join(dist, relative(root, path)));
    }
  }
}
copyAssets(join(root, 'src'));
