import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests import the package by its name from source; the build (dist/) is tested by tests/e2e/package.test.ts.
  resolve: { alias: { 'personae-pipeline': fileURLToPath(new URL('./src/index.ts', import.meta.url)) } },
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/bench/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
