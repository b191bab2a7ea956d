import { defineConfig } from 'vitest/config';

// Three projects, one gate: `npm test` runs them in this order (scripts/test.sh).
// Integration and e2e tests build real namespaces, so they run one file at a time.
export default defineConfig({
  resolve: {
    // Most specific first: '@vethmap/testkit' would also catch '@vethmap/testkit/topologies'.
    alias: [
      { find: '@vethmap/shared', replacement: new URL('./shared/src/index.ts', import.meta.url).pathname },
      { find: '@vethmap/testkit/topologies', replacement: new URL('./server/testkit/src/topologies/index.ts', import.meta.url).pathname },
      { find: '@vethmap/testkit', replacement: new URL('./server/testkit/src/index.ts', import.meta.url).pathname },
    ],
  },
  test: {
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['shared/src/**/*.test.ts', 'server/src/**/*.test.ts', 'client/src/**/*.test.{ts,tsx}'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['server/test/integration/**/*.test.ts'], fileParallelism: false, testTimeout: 30_000, hookTimeout: 60_000 },
      },
      {
        extends: true,
        test: { name: 'e2e', include: ['e2e/**/*.spec.ts'], fileParallelism: false, testTimeout: 60_000, hookTimeout: 120_000 },
      },
    ],
  },
});
