import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepoFile } from './support/repo-files.js';

interface Manifest {
  readonly name: string;
  readonly dependencies?: Readonly<Record<string, string>>;
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
    },
  );

  it('lets the launchers depend on the services they start', () => {
    expect(serviceDependencies('services/serve').sort()).toEqual([
      '@stratus/api',
      '@stratus/predictor',
      '@stratus/worker',
    ]);
  });
});
