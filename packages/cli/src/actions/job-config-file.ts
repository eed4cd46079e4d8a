import { readFile } from 'node:fs/promises';
import { StratusError, coerceError } from '@stratus/spec';

/** What a `--config` file contributes to a job. */
export interface JobConfigFile {
  readonly trainingInput: Record<string, unknown>;
  readonly labels?: Record<string, string>;
}

const TOP_LEVEL = ['jobId', 'labels', 'trainingInput'];

const bad = (path: string, detail: string, cause?: unknown): StratusError =>
  new StratusError(
    'INVALID_ARGUMENT',
    { detail: `--config ${path} ${detail}` },
    cause === undefined ? {} : { cause },
  );

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Read a gcloud-style `--config` file (YAML, or JSON, which is YAML too):
 * either a Job-shaped `{trainingInput: {...}, labels: {...}}` or the
 * trainingInput itself. An unreadable file or bad YAML is INVALID_ARGUMENT
 * naming the file (and the line); field problems are left to the validator.
 */
export const readJobConfigFile = async (path: string, shownAs: string): Promise<JobConfigFile> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const err = coerceError(error) as NodeJS.ErrnoException;
    const why =
      err.code === 'ENOENT' ? 'does not exist' : `cannot be read (${err.code ?? err.message})`;
    throw bad(shownAs, why, error);
  }
  const { parseDocument } = await import('yaml');
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const [first] = document.errors;
  if (first !== undefined) {
    const line = first.linePos?.[0];
    const where = line === undefined ? '' : ` at line ${line.line}, column ${line.col}`;
    const message = first.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? '';
    throw bad(shownAs, `is not valid YAML${where}: ${message}`);
  }
  const value: unknown = document.toJS();
  if (!isObject(value)) throw bad(shownAs, 'must hold a mapping (the trainingInput fields)');
  if (!('trainingInput' in value)) return { trainingInput: value };
  const extra = Object.keys(value).find((key) => !TOP_LEVEL.includes(key));
  if (extra !== undefined) {
    throw bad(
      shownAs,
      `has an unknown top-level field "${extra}" (allowed: ${TOP_LEVEL.join(', ')})`,
    );
  }
  if (!isObject(value.trainingInput)) throw bad(shownAs, 'trainingInput must be a mapping');
  if (value.labels !== undefined && !isObject(value.labels)) {
    throw bad(shownAs, 'labels must be a mapping');
  }
  return {
    trainingInput: value.trainingInput,
    ...(value.labels === undefined ? {} : { labels: value.labels as Record<string, string> }),
  };
};
