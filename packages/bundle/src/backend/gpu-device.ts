import { execFile } from 'node:child_process';

/** The non-empty lines of `nvidia-smi --query-gpu=name --format=csv,noheader`. */
export const parseGpuNames = (stdout: string): string[] =>
  stdout
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);

/**
 * The first GPU's model name, or undefined when it cannot be asked (tfjs-node does not expose
 * device names, so we ask the driver's own tool).
 */
export function queryGpuName(
  command = 'nvidia-smi',
  timeoutMs = 5000,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      command,
      ['--query-gpu=name', '--format=csv,noheader'],
      { timeout: timeoutMs },
      (error, stdout) => resolve(error ? undefined : parseGpuNames(stdout)[0]),
    );
  });
}
