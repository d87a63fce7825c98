import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests import the package by its name from source; the build (dist/) is tested by tests/e2e/package.test.ts.
  resolve: { alias: { 'personae-pipeline': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    // Hang guards, not timing checks: whole pipeline runs in e2e tests took over 120 s on a loaded 2-core machine.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // One temporary folder for the whole run, removed at its end (tests/helpers/scratch-folder.ts).
    globalSetup: ['tests/helpers/scratch-folder.ts'],
  },
});
