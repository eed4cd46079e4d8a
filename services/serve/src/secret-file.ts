import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A secret kept in a file under `$STRATUS_HOME`, and whether this call created it. */
export interface KeptSecret {
  readonly value: string;
  readonly created: boolean;
}

const readSecret = async (file: string): Promise<string | undefined> =>
  (await readFile(file, 'utf8').catch(() => undefined))?.trim() || undefined;

/**
 * The secret in `file`, or a new one from `generate` written there (mode 0600,
 * its folder 0700) when there is none. Concurrent first calls agree on one value.
 */
export const keepSecret = async (file: string, generate: () => string): Promise<KeptSecret> => {
  const kept = await readSecret(file);
  if (kept !== undefined) return { value: kept, created: false };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const value = generate();
  try {
    await writeFile(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return { value, created: true };
  } catch {
    // Another instance on the same home wrote it first: use theirs.
    const theirs = await readSecret(file);
    if (theirs === undefined) throw new Error(`cannot create ${file}`);
    return { value: theirs, created: false };
  }
};
