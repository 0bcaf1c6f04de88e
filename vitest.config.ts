import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['bot/**/*.test.ts', 'ingest/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Builds the index of knowledge/ once per run; test files open it (tests/helpers/qa.ts).
    globalSetup: ['tests/helpers/global-setup.ts', 'tests/helpers/postgres-setup.ts'],
  },
});
