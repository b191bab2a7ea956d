import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/build/**', '**/node_modules/**', 'client/vite.config.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Only the kernel layer (and the explicit demo lab) may run programs or load the addon.
    files: ['server/src/**/*.ts', 'shared/src/**/*.ts', 'client/src/**/*.{ts,tsx}'],
    ignores: ['server/src/kernel/**', 'server/src/lab/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          { name: 'node:child_process', message: 'only server/src/kernel talks to the system' },
          { name: 'child_process', message: 'only server/src/kernel talks to the system' },
        ],
        patterns: [{
          group: ['**/kernel/*', '!**/kernel/index.js'],
          message: 'only the kernel facade (server/src/kernel/index.ts) may be imported from outside server/src/kernel',
        }],
      }],
    },
  },
);
