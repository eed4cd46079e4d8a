import { describe, expect, it } from 'vitest';
import { thrown } from './errors.test-support.js';
import {
  DEFAULT_PROJECT,
  assertValidId,
  formatJobName,
  formatModelName,
  formatOperationName,
  formatVersionName,
  isValidId,
  isValidProjectId,
  parseJobName,
  parseModelName,
  parseOperationName,
  parseResourceName,
  parseVersionName,
} from './names.js';

describe('resource names', () => {
  it('round-trips every kind', () => {
    expect(parseJobName(formatJobName('demo', 'iris_dnn_1'))).toEqual({
      project: 'demo',
      job: 'iris_dnn_1',
    });
    expect(formatJobName('demo', 'iris_dnn_1')).toBe('projects/demo/jobs/iris_dnn_1');
    expect(parseModelName('projects/my-proj-42/models/Census')).toEqual({
      project: 'my-proj-42',
      model: 'Census',
    });
    expect(formatModelName('my-proj-42', 'Census')).toBe('projects/my-proj-42/models/Census');
    expect(parseVersionName(formatVersionName('default', 'm', 'v1'))).toEqual({
      project: 'default',
      model: 'm',
      version: 'v1',
    });
    expect(formatOperationName('p', 'create_m_v1-1519932023765')).toBe(
      'projects/p/operations/create_m_v1-1519932023765',
    );
    expect(parseOperationName('projects/p/operations/create_m_v1-1519932023765')).toEqual({
      project: 'p',
      operation: 'create_m_v1-1519932023765',
    });
  });

  it('tells the kind of any name', () => {
    expect(parseResourceName('projects/p/jobs/j')).toEqual({ kind: 'job', project: 'p', job: 'j' });
    expect(parseResourceName('projects/p/models/m')).toEqual({
      kind: 'model',
      project: 'p',
      model: 'm',
    });
    expect(parseResourceName('projects/p/models/m/versions/v')).toEqual({
      kind: 'version',
      project: 'p',
      model: 'm',
      version: 'v',
    });
    expect(parseResourceName('projects/p/operations/o')).toEqual({
      kind: 'operation',
      project: 'p',
      operation: 'o',
    });
    expect(thrown(() => parseResourceName('projects/p/buckets/b')).message).toBe(
      'Invalid resource name "projects/p/buckets/b": expected projects/{project}/(jobs|models|operations)/{id}',
    );
  });

  it.each([
    [
      'projects/p/jobs',
      'Invalid job name "projects/p/jobs": expected projects/{project}/jobs/{job}',
    ],
    [
      'projects/p/jobs/j/x',
      'Invalid job name "projects/p/jobs/j/x": expected projects/{project}/jobs/{job}',
    ],
    [
      'project/p/jobs/j',
      'Invalid job name "project/p/jobs/j": expected projects/{project}/jobs/{job}',
    ],
    [
      'projects/p/models/j',
      'Invalid job name "projects/p/models/j": expected projects/{project}/jobs/{job}',
    ],
    [
      'projects/p/jobs/9lives',
      'Invalid job name "projects/p/jobs/9lives": the job id "9lives" must start with a letter',
    ],
    [
      'projects/p/jobs/a-b',
      'the job id "a-b" must start with a letter and contain only letters, digits and underscores',
    ],
    ['projects/p/jobs/', 'the job id "" must start with a letter'],
    ['projects/My_Proj/jobs/j', 'the project id "My_Proj" must start with a lowercase letter'],
    ['projects/p-/jobs/j', 'the project id "p-" must start with a lowercase letter'],
    ['projects/../jobs/j', 'the project id ".." must start'],
    [`projects/p/jobs/${'a'.repeat(129)}`, 'at most 128 characters'],
  ])('rejects job name %s', (name, message) => {
    const err = thrown(() => parseJobName(name));
    expect(err.reason).toBe('INVALID_RESOURCE_NAME');
    expect(err.httpStatus).toBe(400);
    expect(err.context).toMatchObject({ kind: 'job', value: name });
    expect(err.message).toContain(message);
  });

  it('rejects a bad version id by kind', () => {
    expect(thrown(() => parseVersionName('projects/p/models/m/versions/v.1')).message).toBe(
      'Invalid version name "projects/p/models/m/versions/v.1": the version id "v.1" must start with a letter and contain only letters, digits and underscores (at most 128 characters)',
    );
    expect(thrown(() => formatModelName('p', 'bad model')).message).toBe(
      'Invalid model name "bad model": the id must start with a letter and contain only letters, digits and underscores (at most 128 characters)',
    );
  });

  it('applies the id and project rules', () => {
    expect(isValidId('a')).toBe(true);
    expect(isValidId(`a${'b'.repeat(127)}`)).toBe(true);
    expect(isValidId(`a${'b'.repeat(128)}`)).toBe(false);
    expect(isValidId('_a')).toBe(false);
    expect(isValidProjectId(DEFAULT_PROJECT)).toBe(true);
    expect(isValidProjectId('a')).toBe(true);
    expect(isValidProjectId('my-project-123456')).toBe(true);
    expect(isValidProjectId('a'.repeat(30))).toBe(true);
    expect(isValidProjectId('a'.repeat(31))).toBe(false);
    expect(isValidProjectId('1abc')).toBe(false);
    expect(isValidProjectId('abc_d')).toBe(false);
    expect(assertValidId('operation', 'op-1')).toBe('op-1');
    expect(thrown(() => assertValidId('model', 'op-1')).reason).toBe('INVALID_RESOURCE_NAME');
  });
});
