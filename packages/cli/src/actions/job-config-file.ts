import { configFileError as bad, isObject, readConfigFile } from './config-file.js';

/** What a `--config` file contributes to a job. */
export interface JobConfigFile {
  readonly trainingInput: Record<string, unknown>;
  readonly labels?: Record<string, string>;
}

const TOP_LEVEL = ['jobId', 'labels', 'trainingInput'];

/**
 * Read a gcloud-style `--config` file (YAML, or JSON, which is YAML too):
 * either a Job-shaped `{trainingInput: {...}, labels: {...}}` or the
 * trainingInput itself. An unreadable file or bad YAML is INVALID_ARGUMENT
 * naming the file (and the line); field problems are left to the validator.
 */
export const readJobConfigFile = async (path: string, shownAs: string): Promise<JobConfigFile> => {
  const value = await readConfigFile(path, shownAs);
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
