// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

/** Import a package by its name, never its src/. */
const SRC_IMPORTS = {
  group: ['**/packages/*/src/**', '**/services/*/src/**', '@stratus/*/src/**'],
  message: 'Import another package by its name (@stratus/x), never its src/.',
};

/**
 * No service imports another service: what two services share lives in a package (the HTTP
 * kit is @stratus/http). Only the launchers start services: services/serve (all-in-one) and
 * packages/cli. Tests are exempt: they run services together (the predictor's tests mount it
 * in the API, as the all-in-one server does).
 */
const SERVICES = ['api', 'dashboard', 'predictor', 'serve', 'worker'];
const LAUNCHERS = ['serve'];
/** @param {string | undefined} except the service whose own files these are */
const serviceImports = (except) => ({
  group: SERVICES.filter((name) => name !== except).flatMap((name) => [
    `@stratus/${name}`,
    `@stratus/${name}/*`,
    // A relative path into another service, from any depth of services/ or packages/.
    `**/services/${name}/**`,
    `**/${name}/src/**`,
    `**/${name}/dist/**`,
  ]),
  message:
    'A service never imports another service (docs/architecture.md): move what they share into a package under packages/.',
});
const LAUNCHER_FILES = ['packages/cli/**', ...LAUNCHERS.map((name) => `services/${name}/**`)];
const TEST_FILES = ['**/*.test.ts', '**/*.test-support.ts'];
const boundaries = [
  ...SERVICES.filter((name) => !LAUNCHERS.includes(name)).map((name) => ({
    files: [`services/${name}/**/*.ts`, `services/${name}/**/*.tsx`],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': ['error', { patterns: [SRC_IMPORTS, serviceImports(name)] }],
    },
  })),
  {
    files: ['packages/**/*.ts', 'packages/**/*.tsx'],
    ignores: [...LAUNCHER_FILES, ...TEST_FILES],
    rules: {
      'no-restricted-imports': ['error', { patterns: [SRC_IMPORTS, serviceImports(undefined)] }],
    },
  },
];

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.tmp/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'no-restricted-imports': ['error', { patterns: [SRC_IMPORTS] }],
      'no-console': 'error',
    },
  },
  ...boundaries,
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'bench/**/*.ts', 'scripts/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
);
