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
 * No service imports another service, in its tests either: what two services share lives in a
 * package (the HTTP kit is @stratus/http, the bundle contract @stratus/bundle). Only the
 * launchers start services: services/serve (all-in-one) and packages/cli. The root tests/
 * folder is exempt: its tests run services together (the predictor mounted in the API, as the
 * all-in-one server does), reaching the predictor's fixture through @stratus/predictor/testing.
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
/**
 * The services that serve models read bundles through @stratus/bundle and never load training
 * code (@stratus/trainer pulls in training, tar and the custom-trainer runtime). Their tests
 * may train a real model with the `@stratus/trainer/testing` fixtures.
 */
const BUNDLE_READERS = ['api', 'predictor'];
const TRAINER_MESSAGE =
  'The API and the predictor read model bundles through @stratus/bundle; only the worker and the CLI load @stratus/trainer.';
const TRAINER_PATH = { name: '@stratus/trainer', message: TRAINER_MESSAGE };
const TRAINER_SUBPATHS = { group: ['@stratus/trainer/*'], message: TRAINER_MESSAGE };
/**
 * TensorFlow.js is an optional peer of @stratus/bundle, and the API's image installs none: the
 * API imports the tfjs-free `@stratus/bundle/manifest` entry only.
 */
/** @type {Record<string, { name: string; message: string }[]>} */
const TFJS_FREE = {
  api: [
    {
      name: '@stratus/bundle',
      message:
        'The API installs no TensorFlow.js: import @stratus/bundle/manifest (the stratus.json schema and signature).',
    },
  ],
};
const LAUNCHER_FILES = ['packages/cli/**', ...LAUNCHERS.map((name) => `services/${name}/**`)];
const TEST_FILES = ['**/*.test.ts', '**/*.test-support.ts'];
/** @param {string} name a service that is not a launcher */
const serviceBoundaries = (name) => {
  const files = [`services/${name}/**/*.ts`, `services/${name}/**/*.tsx`];
  const patterns = [SRC_IMPORTS, serviceImports(name)];
  const paths = [TRAINER_PATH, ...(TFJS_FREE[name] ?? [])];
  if (!BUNDLE_READERS.includes(name)) {
    return [{ files, rules: { 'no-restricted-imports': ['error', { patterns }] } }];
  }
  return [
    {
      files,
      ignores: TEST_FILES,
      rules: {
        'no-restricted-imports': ['error', { paths, patterns: [...patterns, TRAINER_SUBPATHS] }],
      },
    },
    {
      files: TEST_FILES.map((test) => `services/${name}/${test}`),
      rules: { 'no-restricted-imports': ['error', { paths, patterns }] },
    },
  ];
};
const boundaries = [
  ...SERVICES.filter((name) => !LAUNCHERS.includes(name)).flatMap(serviceBoundaries),
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
