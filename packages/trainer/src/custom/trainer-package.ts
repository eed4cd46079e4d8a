import { lstat, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Storage } from '@stratus/storage';
import { StratusError, trainerModuleCandidates } from '@stratus/spec';
import { checkEntryPath } from './entry-path.js';
import { extractPackageTarball, type ExtractLimits } from './safe-extract.js';

/** Where one attempt of a custom trial keeps its files, all under the trial's work dir. */
export interface TrialLayout {
  readonly workDir: string;
  /** The extracted trainer package; the trainer's cwd. */
  readonly packageDir: string;
  /** Runtime package links (one level above packageDir, so bundled copies win). */
  readonly nodeModulesDir: string;
  /** Staged `gs://` inputs (stage-inputs.ts), read-only to the trainer. */
  readonly inputsDir: string;
  readonly home: string;
  readonly tmpDir: string;
  readonly modelDir: string;
  /** Kept between attempts, so a retried trial can resume. */
  readonly checkpointDir: string;
  readonly metricFile: string;
}

/** Lays out a fresh attempt (each attempt has its own work dir; see trial-work-dir.ts). */
export async function prepareTrialLayout(workDir: string): Promise<TrialLayout> {
  const root = path.resolve(workDir);
  const layout: TrialLayout = {
    workDir: root,
    packageDir: path.join(root, 'package'),
    nodeModulesDir: path.join(root, 'node_modules'),
    inputsDir: path.join(root, 'inputs'),
    home: path.join(root, 'home'),
    tmpDir: path.join(root, 'tmp'),
    modelDir: path.join(root, 'model'),
    checkpointDir: path.join(root, 'checkpoints'),
    metricFile: path.join(root, 'hypertune', 'output.metrics'),
  };
  const fresh = [
    layout.packageDir,
    layout.nodeModulesDir,
    layout.inputsDir,
    layout.home,
    layout.tmpDir,
  ];
  for (const dir of [...fresh, layout.modelDir, path.dirname(layout.metricFile)]) {
    await rm(dir, { recursive: true, force: true });
  }
  for (const dir of [
    layout.inputsDir,
    layout.home,
    layout.tmpDir,
    layout.modelDir,
    layout.checkpointDir,
  ]) {
    await mkdir(dir, { recursive: true });
  }
  await mkdir(path.dirname(layout.metricFile), { recursive: true });
  return layout;
}

const NPM_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

async function packageName(dir: string, uri: string): Promise<string> {
  let name: unknown;
  try {
    name = (
      JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown }
    ).name;
  } catch (error) {
    const detail = `its package.json cannot be read (${(error as Error).message})`;
    throw new StratusError('PACKAGE_INVALID', { uri, detail });
  }
  if (typeof name !== 'string' || !NPM_NAME.test(name) || name.length > 214) {
    const detail = `its package.json name ${JSON.stringify(name)} is not a valid npm package name`;
    throw new StratusError('PACKAGE_INVALID', { uri, detail });
  }
  return name;
}

export interface FetchPackagesOptions {
  readonly storage: Storage;
  /** The first is the trainer package; each further one is installed as its dependency. */
  readonly packageUris: readonly string[];
  readonly layout: TrialLayout;
  readonly limits?: ExtractLimits;
  readonly signal?: AbortSignal;
}

/**
 * Streams each tarball from storage and extracts it safely: the first into packageDir, the
 * others into packageDir/node_modules/<their package.json name>. Nothing is installed from a
 * registry, so a trainer's dependencies must be bundled in its tarball or passed as further
 * packageUris.
 */
export async function fetchTrainerPackages(options: FetchPackagesOptions): Promise<void> {
  const { storage, packageUris, layout, limits, signal } = options;
  const [main, ...extras] = packageUris;
  if (main === undefined) {
    throw new StratusError('INVALID_JOB_SPEC', {
      detail: 'packageUris must name at least one tarball',
    });
  }
  const extract = (uri: string, dir: string) =>
    extractPackageTarball(storage.createReadStream(uri, signal ? { signal } : {}), dir, {
      uri,
      ...(limits && { limits }),
    });
  await extract(main, layout.packageDir);
  for (const [index, uri] of extras.entries()) {
    const staging = path.join(layout.workDir, 'staging', String(index));
    await rm(staging, { recursive: true, force: true });
    await extract(uri, staging);
    const name = await packageName(staging, uri);
    const target = path.join(layout.packageDir, 'node_modules', ...name.split('/'));
    if (
      await lstat(target).then(
        () => true,
        () => false,
      )
    ) {
      const detail = `package ${name} is already in the trainer package's node_modules`;
      throw new StratusError('PACKAGE_INVALID', { uri, detail });
    }
    await mkdir(path.dirname(target), { recursive: true });
    await rename(staging, target);
  }
  await rm(path.join(layout.workDir, 'staging'), { recursive: true, force: true });
}

/**
 * The absolute path of the trainer's module: a dotted name (`trainer.task` →
 * `trainer/task.mjs`, `.js`, `.cjs`, tried in that order) or a file path,
 * relative to the package root (default: the package.json `main`, else
 * index.js). It must be a regular file inside the package; when none of the
 * candidates is, PACKAGE_INVALID names every file tried.
 */
export async function resolveTrainerModule(
  packageDir: string,
  module: string | undefined,
  uri: string,
): Promise<string> {
  const refuse = (detail: string) => new StratusError('PACKAGE_INVALID', { uri, detail });
  let name = module;
  if (name === undefined) {
    const manifest = await readFile(path.join(packageDir, 'package.json'), 'utf8').catch(
      () => '{}',
    );
    let main: unknown;
    try {
      main = (JSON.parse(manifest) as { main?: unknown }).main;
    } catch {
      throw refuse('no module was given and its package.json is not valid JSON');
    }
    name = typeof main === 'string' ? main : 'index.js';
  }
  if (path.isAbsolute(name)) throw refuse(`module "${name}" must be relative to the package root`);
  const candidates = trainerModuleCandidates(name);
  for (const relative of candidates) {
    // Same rules as a tar entry, under a pretend top folder.
    const check = checkEntryPath(`package/${relative}`);
    if (!check.ok || check.relative === '') {
      throw refuse(`module "${name}" must be a file path inside the package`);
    }
    const file = path.join(packageDir, check.relative);
    const stat = await lstat(file).catch(() => undefined);
    if (stat?.isFile() === true) return file;
  }
  const tried = candidates.map((file) => `"${file}"`).join(', ');
  throw refuse(
    candidates.length === 1
      ? `module "${name}" is not a file in the package`
      : `module "${name}" is not in the package: tried ${tried}`,
  );
}
