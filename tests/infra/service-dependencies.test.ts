import { existsSync, readdirSync } from 'node:fs';
import { ESLint, Linter } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepoFile } from './support/repo-files.js';

interface Manifest {
  readonly name: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

const manifest = (dir: string): Manifest =>
  JSON.parse(readRepoFile(`${dir}/package.json`)) as Manifest;

/** The workspaces under `parent` (folders with a package.json). */
const workspaces = (parent: string): string[] =>
  readdirSync(`${ROOT}${parent}`)
    .map((name) => `${parent}/${name}`)
    .filter((dir) => existsSync(`${ROOT}${dir}/package.json`));

const SERVICES = workspaces('services');
const PACKAGES = workspaces('packages');
const serviceNames = new Set(SERVICES.map((dir) => manifest(dir).name));
/** The launchers start services (docs/architecture.md); everything else only uses packages. */
const LAUNCHERS = new Set(['@stratus/serve', '@stratus/cli']);

const serviceDependencies = (dir: string): string[] =>
  Object.keys(manifest(dir).dependencies ?? {}).filter((name) => serviceNames.has(name));
/** Services a workspace's tests use: its devDependencies that are services. */
const serviceDevDependencies = (dir: string): string[] =>
  Object.keys(manifest(dir).devDependencies ?? {}).filter((name) => serviceNames.has(name));

describe('service boundaries in package.json', () => {
  it('knows the services', () => {
    expect([...serviceNames].sort()).toEqual([
      '@stratus/api',
      '@stratus/dashboard',
      '@stratus/predictor',
      '@stratus/serve',
      '@stratus/worker',
    ]);
  });

  it.each([...SERVICES, ...PACKAGES].filter((dir) => !LAUNCHERS.has(manifest(dir).name)))(
    '%s depends on no service',
    (dir) => {
      expect(serviceDependencies(dir)).toEqual([]);
      expect(serviceDevDependencies(dir)).toEqual([]);
    },
  );

  it.each(['services/api', 'services/predictor'])(
    '%s reads bundles through @stratus/bundle, not @stratus/trainer',
    (dir) => {
      expect(manifest(dir).dependencies).toHaveProperty(['@stratus/bundle']);
      expect(manifest(dir).dependencies).not.toHaveProperty(['@stratus/trainer']);
    },
  );

  it('installs no TensorFlow.js with the API: @stratus/bundle takes it as an optional peer', () => {
    const bundle = JSON.parse(readRepoFile('packages/bundle/package.json')) as {
      dependencies: Record<string, string>;
      peerDependenciesMeta: Record<string, { optional?: boolean }>;
    };
    const tfjs = (deps: Record<string, string> = {}): string[] =>
      Object.keys(deps).filter((name) => name.startsWith('@tensorflow/'));
    expect(tfjs(bundle.dependencies)).toEqual([]);
    expect(bundle.peerDependenciesMeta['@tensorflow/tfjs']).toEqual({ optional: true });
    expect(tfjs(manifest('services/api').dependencies)).toEqual([]);
    // The workspaces that load models install it themselves.
    expect(tfjs(manifest('services/predictor').dependencies)).toContain('@tensorflow/tfjs');
    expect(tfjs(manifest('packages/trainer').dependencies)).toContain('@tensorflow/tfjs');
  });

  it('lets the launchers depend on the services they start', () => {
    expect(serviceDependencies('services/serve').sort()).toEqual([
      '@stratus/api',
      '@stratus/predictor',
      '@stratus/worker',
    ]);
  });
});

/** The lint errors `no-restricted-imports`, as configured for `file`, gives `code`. */
const eslint = new ESLint({ cwd: ROOT });
const restrictedImports = async (file: string, code: string): Promise<string[]> => {
  const config = (await eslint.calculateConfigForFile(file)) as Linter.Config;
  const rule = config.rules?.['no-restricted-imports'];
  const linter = new Linter({ configType: 'flat' });
  return linter
    .verify(code, [{ files: ['**/*.ts'], rules: { 'no-restricted-imports': rule ?? 'off' } }], {
      filename: file,
    })
    .map((message) => message.message);
};

describe('service boundaries in eslint.config.js', () => {
  it('fails a service importing another service, in its tests too', async () => {
    for (const file of ['services/predictor/src/plugin.ts', 'services/predictor/src/x.test.ts']) {
      const errors = await restrictedImports(file, "import { buildApp } from '@stratus/api';");
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain('A service never imports another service');
    }
    const worker = await restrictedImports(
      'services/worker/src/x.test-support.ts',
      "import { predictorPlugin } from '@stratus/predictor';",
    );
    expect(worker).toHaveLength(1);
  });

  it('lets the root tests/ run services together', async () => {
    const code =
      "import { buildApp } from '@stratus/api';\nimport { openPredictorFixture } from '@stratus/predictor/testing';";
    expect(await restrictedImports('tests/predictor-in-api.test.ts', code)).toEqual([]);
  });

  it('keeps the API and the predictor off @stratus/trainer, tests allowed its fixtures', async () => {
    for (const file of ['services/predictor/src/plugin.ts', 'services/api/src/app.ts']) {
      const errors = await restrictedImports(file, "import { runTrial } from '@stratus/trainer';");
      expect(errors).toEqual([expect.stringContaining('through @stratus/bundle')]);
      const testing = await restrictedImports(
        file,
        "import { trialFixture } from '@stratus/trainer/testing';",
      );
      expect(testing).toEqual([expect.stringContaining('through @stratus/bundle')]);
    }
    const test = 'services/predictor/src/x.test-support.ts';
    const api = await restrictedImports(
      'services/api/src/routes/version-signature.ts',
      "import { loadBundle } from '@stratus/bundle';\nimport { parseManifest } from '@stratus/bundle/manifest';",
    );
    expect(api).toEqual([expect.stringContaining('The API installs no TensorFlow.js')]);
    expect(
      await restrictedImports(test, "import { trialFixture } from '@stratus/trainer/testing';"),
    ).toEqual([]);
    expect(await restrictedImports(test, "import { tf } from '@stratus/trainer';")).toHaveLength(1);
    expect(
      await restrictedImports(
        'services/worker/src/trial-process.ts',
        "import { runTrial } from '@stratus/trainer';",
      ),
    ).toEqual([]);
  });
});
