import { readFile } from 'node:fs/promises';
import { StratusError, coerceError } from '@stratus/spec';

/** INVALID_ARGUMENT naming the `--config` file. */
export const configFileError = (path: string, detail: string, cause?: unknown): StratusError =>
  new StratusError(
    'INVALID_ARGUMENT',
    { detail: `--config ${path} ${detail}` },
    cause === undefined ? {} : { cause },
  );

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The value a `--config` file (YAML, or JSON, which is YAML too) holds. An
 * unreadable file or bad YAML is INVALID_ARGUMENT naming the file (and the
 * line); what the value means is left to the caller.
 */
export const readConfigFile = async (path: string, shownAs: string): Promise<unknown> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const err = coerceError(error) as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.code ?? err.message})`;
    throw configFileError(shownAs, why, error);
  }
  const { parseDocument } = await import('yaml');
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = document.errors;
  if (first !== undefined) {
    const line = first.linePos?.[0];
    const where = line === undefined ? '' : ` at line ${line.line}, column ${line.col}`;
    const message = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
    throw configFileError(shownAs, `is not valid YAML${where}: ${message}`);
  }
  return document.toJS() as unknown;
};
