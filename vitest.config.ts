import { defineConfig } from 'vitest/config';

// Tiers live in the file name: *.unit.spec.ts is pure, *.int.spec.ts talks to real PostgreSQL
// (a fresh schema or database per file), *.e2e.spec.ts drives the running service in Chromium.
export default defineConfig({
  test: {
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            '{domain,eventstore,app,projections,exports,api,scripts}/**/*.unit.spec.ts',
            'ui/src/**/*.unit.spec.ts',
          ],
        },
      },
      {
        test: {
          name: 'int',
          include: ['{domain,eventstore,app,projections,exports,api,scripts,migrations}/**/*.int.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['{test,ui}/**/*.e2e.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
