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
        patterns: [{ group: ['**/kernel/native*'], importNames: ['addon'], message: 'use the verbs of server/src/kernel/rtnl.ts' }],
      }],
    },
  },
);
