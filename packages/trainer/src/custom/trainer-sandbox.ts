import { realpathSync } from 'node:fs';
import path from 'node:path';

/**
 * How a custom trainer is confined. `bwrap`: a bubblewrap sandbox (bwrap-sandbox.ts) with
 * Node's permission model inside it as a second layer (below). `none`: nothing, for
 * single-user machines that opt out explicitly.
 */
export type TrainerSandbox = 'bwrap' | 'none';

/** What the trainer may touch under Node's permission model. */
export interface SandboxPaths {
  /** The trial's work dir: package, links, HOME, TMPDIR, model, checkpoints, metrics file. */
  readonly workDir: string;
  /** The `--import` preload module (the file alone is readable). */
  readonly preload: string;
  /** Real directories of the runtime packages linked into the trainer's node_modules. */
  readonly runtimePackages: readonly string[];
  /** Further directories the preload imports from (the worker's wasm training kernels). */
  readonly runtimeDirs: readonly string[];
}

/**
 * The path as given and its real path: the permission model compares paths as strings, and
 * the trainer reaches its work dir by the given path (HOME, TMPDIR) while the module loader
 * uses real paths.
 */
const both = (file: string): string[] => {
  const given = path.resolve(file);
  try {
    return [given, realpathSync(given)];
  } catch {
    return [given];
  }
};

/**
 * Node flags for the permission model: reads only its own files and the runtime, writes only
 * its work dir, no child processes, worker threads, native addons or WASI. Each allowed path
 * gets its own flag: Node 20.20 no longer accepts a comma-separated list. The
 * ExperimentalWarning the permission model prints on every start is silenced so trainer logs
 * stay clean.
 */
export function permissionFlags(paths: SandboxPaths): string[] {
  const writable = new Set(both(paths.workDir));
  const readable = new Set([
    ...writable,
    ...both(paths.preload),
    ...paths.runtimePackages.flatMap(both),
    ...paths.runtimeDirs.flatMap(both),
  ]);
  return [
    '--experimental-permission',
    '--no-warnings=ExperimentalWarning',
    ...[...readable].map((dir) => `--allow-fs-read=${dir}`),
    ...[...writable].map((dir) => `--allow-fs-write=${dir}`),
  ];
}
