import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StratusError } from '@stratus/spec';

/** A tarball `npm pack` wrote, and how to delete it. */
export interface PackedPackage {
  readonly file: string;
  /** `name-version.tgz`, as npm named it. */
  readonly filename: string;
  readonly size: number;
  cleanup(): Promise<void>;
}

const run = (
  command: string,
  args: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<{ code: number | null; stdout: string; stderr: string; error?: Error }> =>
  new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => resolve({ code: null, stdout, stderr, error }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });

/** npm prints lifecycle-script output before the JSON; the report is the last top-level array. */
const parseReport = (stdout: string): { filename?: unknown } | undefined => {
  const start = stdout.lastIndexOf('\n[') + 1;
  try {
    const report = JSON.parse(stdout.slice(start)) as unknown;
    return Array.isArray(report) ? (report[0] as { filename?: unknown } | undefined) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Pack a directory exactly as `npm pack` does (its `files`, `.npmignore`,
 * `bundleDependencies` and `prepack` script) into a temp directory.
 */
export const npmPack = async (
  dir: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PackedPackage> => {
  const fail = (detail: string): StratusError =>
    new StratusError('PACKAGE_INVALID', { uri: dir, detail });
  const info = await stat(dir).catch(() => undefined);
  if (info?.isDirectory() !== true) throw fail('--package-path must be a directory');
  const destination = await mkdtemp(join(tmpdir(), 'stratus-pack-'));
  const cleanup = (): Promise<void> => rm(destination, { recursive: true, force: true });
  try {
    const result = await run(
      'npm',
      ['pack', '--json', '--pack-destination', destination],
      dir,
      env,
    );
    if (result.error !== undefined) throw fail(`cannot run npm: ${result.error.message}`);
    if (result.code !== 0) {
      const reason = result.stderr.split('\n').find((line) => /error/i.test(line)) ?? '';
      throw fail(`npm pack exited with ${result.code}${reason === '' ? '' : `: ${reason.trim()}`}`);
    }
    const filename = parseReport(result.stdout)?.filename;
    if (typeof filename !== 'string') throw fail('npm pack printed no tarball name');
    // npm 7+ reports scoped names as `@scope/name-1.0.0.tgz` but writes `scope-name-1.0.0.tgz`.
    const written = filename.replace(/^@/, '').replace('/', '-');
    const file = join(destination, written);
    return { file, filename: written, size: (await stat(file)).size, cleanup };
  } catch (error) {
    await cleanup();
    throw error;
  }
};
