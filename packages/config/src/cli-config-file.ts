import { randomUUID } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { StratusError, coerceError } from '@stratus/spec';
import { isCliConfigKey, parseCliConfigValue, type CliConfigValues } from './cli-config.js';

const invalid = (path: string, detail: string, cause?: unknown): StratusError =>
  new StratusError(
    'INVALID_CONFIG',
    { detail: `config file ${path} ${detail}` },
    cause === undefined ? {} : { cause },
  );

/** The raw JSON object in the file, or `{}` when the file does not exist. */
const readObject = async (path: string): Promise<Record<string, unknown>> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw invalid(path, `cannot be read: ${coerceError(error).message}`, error);
  }
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw invalid(path, `is not valid JSON: ${coerceError(error).message}`, error);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid(path, 'must hold a JSON object');
  }
  return parsed as Record<string, unknown>;
};

/**
 * Read the CLI's config file (`cliConfigPath`). A missing file is `{}`; an
 * unreadable file, bad JSON, or a bad value of a known key is INVALID_CONFIG
 * naming the file and key. Keys this version does not know are ignored.
 */
export async function readCliConfigFile(path: string): Promise<CliConfigValues> {
  const raw = await readObject(path);
  const values: CliConfigValues = {};
  for (const [key, value] of Object.entries(raw)) {
    if (!isCliConfigKey(key)) continue;
    if (typeof value !== 'string') throw invalid(path, `key ${key} must be a string`);
    const parsed = parseCliConfigValue(key, value);
    if (!parsed.ok) throw invalid(path, `key ${key} ${parsed.problem}`);
    values[key] = parsed.value;
  }
  return values;
}

/**
 * Set (or, with `undefined`, remove) keys of the CLI's config file, keeping
 * the others. The file is written atomically with mode 0600 (it holds a
 * token) in a directory created with mode 0700.
 */
export async function updateCliConfigFile(
  path: string,
  changes: Readonly<Record<string, string | undefined>>,
): Promise<Record<string, unknown>> {
  const current = await readObject(path);
  const next: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = join(dirname(path), `.config.json.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
    // writeFile's mode is masked by the umask; make sure the token stays private.
    await chmod(temp, 0o600);
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw invalid(path, `cannot be written: ${coerceError(error).message}`, error);
  }
  return next;
}
