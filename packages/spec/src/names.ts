import { StratusError } from './errors.js';

/** Job, model and version ids (Cloud ML): a letter, then letters, digits or underscores. */
export const ID_PATTERN = /^[A-Za-z][A-Za-z0-9_]{0,127}$/;

/**
 * Operation ids also allow hyphens, so Cloud ML-shaped ids such as
 * `create_census_v1-1519932023765` round-trip.
 */
export const OPERATION_ID_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;

/**
 * Project ids follow GCP's characters (lowercase letters, digits, hyphens;
 * starts with a letter, does not end with a hyphen, at most 30 characters) but
 * not its 6-character minimum: a self-hosted server names projects itself, and
 * short names such as `default` or `demo` must work.
 */
export const PROJECT_ID_PATTERN = /^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])?$/;

/** The project used when none is given (TF Serving / KServe paths, a fresh CLI). */
export const DEFAULT_PROJECT = 'default';

export const ID_RULE =
  'must start with a letter and contain only letters, digits and underscores (at most 128 characters)';
export const OPERATION_ID_RULE =
  'must start with a letter and contain only letters, digits, underscores and hyphens (at most 128 characters)';
export const PROJECT_ID_RULE =
  'must start with a lowercase letter, contain only lowercase letters, digits and hyphens, not end with a hyphen, and be at most 30 characters';

export type ResourceKind = 'project' | 'job' | 'model' | 'version' | 'operation';

/** Whether `value` is a valid job, model or version id. */
export const isValidId = (value: string): boolean => ID_PATTERN.test(value);

/** Whether `value` is a valid project id. */
export const isValidProjectId = (value: string): boolean => PROJECT_ID_PATTERN.test(value);

/** Whether `value` is a valid operation id. */
export const isValidOperationId = (value: string): boolean => OPERATION_ID_PATTERN.test(value);

const RULES: Record<ResourceKind, { test: (v: string) => boolean; rule: string }> = {
  project: { test: isValidProjectId, rule: PROJECT_ID_RULE },
  job: { test: isValidId, rule: ID_RULE },
  model: { test: isValidId, rule: ID_RULE },
  version: { test: isValidId, rule: ID_RULE },
  operation: { test: isValidOperationId, rule: OPERATION_ID_RULE },
};

/** Throw INVALID_RESOURCE_NAME unless `value` is a valid id of that kind. */
export const assertValidId = (kind: ResourceKind, value: string): string => {
  const { test, rule } = RULES[kind];
  if (!test(value))
    throw new StratusError('INVALID_RESOURCE_NAME', { kind, value, detail: `the id ${rule}` });
  return value;
};

export interface JobName {
  readonly project: string;
  readonly job: string;
}
export interface ModelName {
  readonly project: string;
  readonly model: string;
}
export interface VersionName {
  readonly project: string;
  readonly model: string;
  readonly version: string;
}
export interface OperationName {
  readonly project: string;
  readonly operation: string;
}

export type ParsedResourceName =
  | ({ readonly kind: 'job' } & JobName)
  | ({ readonly kind: 'model' } & ModelName)
  | ({ readonly kind: 'version' } & VersionName)
  | ({ readonly kind: 'operation' } & OperationName);

const SHAPES: Record<ParsedResourceName['kind'], string> = {
  job: 'projects/{project}/jobs/{job}',
  model: 'projects/{project}/models/{model}',
  version: 'projects/{project}/models/{model}/versions/{version}',
  operation: 'projects/{project}/operations/{operation}',
};

/**
 * Split `name` along a shape such as `projects/{project}/jobs/{job}` and
 * check each id against its kind's rule.
 */
const parseShape = (kind: ParsedResourceName['kind'], name: string): Record<string, string> => {
  const fail = (detail: string): never => {
    throw new StratusError('INVALID_RESOURCE_NAME', { kind, value: name, detail });
  };
  const expected = SHAPES[kind].split('/');
  const parts = name.split('/');
  if (parts.length !== expected.length) fail(`expected ${SHAPES[kind]}`);
  const ids: Record<string, string> = {};
  expected.forEach((segment, i) => {
    const part = parts[i] ?? '';
    const placeholder = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (placeholder === undefined) {
      if (part !== segment) fail(`expected ${SHAPES[kind]}`);
      return;
    }
    const { test, rule } = RULES[placeholder as ResourceKind];
    if (!test(part)) fail(`the ${placeholder} id "${part}" ${rule}`);
    ids[placeholder] = part;
  });
  return ids;
};

const formatShape = (kind: ParsedResourceName['kind'], ids: Record<string, string>): string =>
  SHAPES[kind].replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = ids[key] ?? '';
    assertValidId(key as ResourceKind, value);
    return value;
  });

/** Parse `projects/{p}/jobs/{j}`; throws INVALID_RESOURCE_NAME. */
export const parseJobName = (name: string): JobName => {
  const { project = '', job = '' } = parseShape('job', name);
  return { project, job };
};
/** Format `projects/{p}/jobs/{j}`; throws INVALID_RESOURCE_NAME on a bad id. */
export const formatJobName = (project: string, job: string): string =>
  formatShape('job', { project, job });

/** Parse `projects/{p}/models/{m}`; throws INVALID_RESOURCE_NAME. */
export const parseModelName = (name: string): ModelName => {
  const { project = '', model = '' } = parseShape('model', name);
  return { project, model };
};
/** Format `projects/{p}/models/{m}`; throws INVALID_RESOURCE_NAME on a bad id. */
export const formatModelName = (project: string, model: string): string =>
  formatShape('model', { project, model });

/** Parse `projects/{p}/models/{m}/versions/{v}`; throws INVALID_RESOURCE_NAME. */
export const parseVersionName = (name: string): VersionName => {
  const { project = '', model = '', version = '' } = parseShape('version', name);
  return { project, model, version };
};
/** Format `projects/{p}/models/{m}/versions/{v}`; throws INVALID_RESOURCE_NAME on a bad id. */
export const formatVersionName = (project: string, model: string, version: string): string =>
  formatShape('version', { project, model, version });

/** Parse `projects/{p}/operations/{o}`; throws INVALID_RESOURCE_NAME. */
export const parseOperationName = (name: string): OperationName => {
  const { project = '', operation = '' } = parseShape('operation', name);
  return { project, operation };
};
/** Format `projects/{p}/operations/{o}`; throws INVALID_RESOURCE_NAME on a bad id. */
export const formatOperationName = (project: string, operation: string): string =>
  formatShape('operation', { project, operation });

/** Parse any of the four resource names, telling which kind it is. */
export const parseResourceName = (name: string): ParsedResourceName => {
  const parts = name.split('/');
  const collection = parts[2];
  if (collection === 'jobs') return { kind: 'job', ...parseJobName(name) };
  if (collection === 'operations') return { kind: 'operation', ...parseOperationName(name) };
  if (collection === 'models') {
    return parts.length > 4
      ? { kind: 'version', ...parseVersionName(name) }
      : { kind: 'model', ...parseModelName(name) };
  }
  throw new StratusError('INVALID_RESOURCE_NAME', {
    kind: 'resource',
    value: name,
    detail: 'expected projects/{project}/(jobs|models|operations)/{id}',
  });
};
