import { lchown, readdir } from 'node:fs/promises';
import path from 'node:path';
import { StratusError } from '@stratus/spec';
import type { BackendName } from '@stratus/bundle';
import {
  SANDBOX_UID,
  gpuDevices,
  privilegedRoot,
  probeSandbox,
  sandboxCommand,
  type SandboxLimits,
} from './bwrap-sandbox.js';
import type { TrialLayout } from './trainer-package.js';
import { permissionFlags, type TrainerSandbox } from './trainer-sandbox.js';

export interface TrainerCommandOptions {
  readonly sandbox: TrainerSandbox;
  readonly layout: TrialLayout;
  readonly backend: BackendName;
  readonly limits: SandboxLimits;
  /** `node` flags and script args after the sandbox's own flags. */
  readonly nodeArgs: readonly string[];
  readonly preload: string;
  /** Real directories the runtime (tfjs, hypertune, wasm kernels) loads from. */
  readonly runtimeDirs: readonly string[];
  /** The worker's PATH, where bwrap, prlimit and setpriv are found. */
  readonly pathVar: string | undefined;
}

/** Hands the dirs the trainer writes to `nobody`, the uid a root worker's sandbox runs as. */
async function chownTree(dir: string): Promise<void> {
  await lchown(dir, SANDBOX_UID, SANDBOX_UID);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const child = path.join(dir, entry.name);
    if (entry.isDirectory()) await chownTree(child);
    else await lchown(child, SANDBOX_UID, SANDBOX_UID);
  }
}

/**
 * The command that runs a trainer: under `bwrap`, the bubblewrap sandbox around `node` with
 * Node's permission model inside (except on the native backend, whose addon the permission
 * model refuses; there the GPU devices are bound in); under `none`, plain `node`. Throws
 * TRAINER_SANDBOX_UNAVAILABLE when bwrap cannot start here.
 */
export async function trainerCommand(
  options: TrainerCommandOptions,
): Promise<{ command: string; args: string[] }> {
  const { layout, sandbox } = options;
  if (sandbox === 'none') return { command: process.execPath, args: [...options.nodeArgs] };
  const probe = probeSandbox(options.pathVar);
  if (!probe.ok) throw new StratusError('TRAINER_SANDBOX_UNAVAILABLE', { detail: probe.reason });
  const native = options.backend === 'tensorflow';
  const permissions = native
    ? []
    : permissionFlags({
        workDir: layout.workDir,
        preload: options.preload,
        runtimePackages: options.runtimeDirs,
        runtimeDirs: [],
      });
  if (privilegedRoot()) {
    const writable = [layout.home, layout.tmpDir, layout.modelDir, layout.checkpointDir];
    for (const dir of [...writable, path.dirname(layout.metricFile)]) await chownTree(dir);
  }
  return sandboxCommand(
    probe.tools,
    {
      writable: layout.workDir,
      readOnly: [
        layout.packageDir,
        layout.nodeModulesDir,
        layout.inputsDir,
        options.preload,
        ...options.runtimeDirs,
      ],
      devices: native ? gpuDevices() : [],
      cwd: layout.packageDir,
    },
    options.limits,
    process.execPath,
    [...permissions, ...options.nodeArgs],
  );
}
