import { describe, expect, it } from 'vitest';
import { fieldError, violationsError } from './field-errors.js';

describe('fieldError', () => {
  it('names the field in the detail and the one violation', () => {
    const error = fieldError('INVALID_VERSION_SPEC', 'deploymentUri', 'is required');
    expect([error.reason, error.message, error.context, error.violations]).toEqual([
      'INVALID_VERSION_SPEC',
      'Invalid version: deploymentUri: is required',
      { detail: 'deploymentUri: is required' },
      [{ field: 'deploymentUri', description: 'is required' }],
    ]);
  });

  it('lets the context set its own detail', () => {
    const error = fieldError('INVALID_ARGUMENT', 'pageSize', 'must be 1-100', {
      detail: 'pageSize must be an integer from 1 to 100',
    });
    expect([error.message, error.violations]).toEqual([
      'pageSize must be an integer from 1 to 100',
      [{ field: 'pageSize', description: 'must be 1-100' }],
    ]);
  });
});

describe('violationsError', () => {
  it('summarises the first violation and counts the rest', () => {
    const violations = [
      { field: '', description: 'must be an object' },
      { field: 'labels', description: 'is too long' },
    ];
    const error = violationsError('INVALID_MODEL_SPEC', violations);
    expect([error.message, error.violations]).toEqual([
      'Invalid model: body: must be an object (and 1 more)',
      violations,
    ]);
  });
});
