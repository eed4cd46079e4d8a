import { describe, expect, it } from 'vitest';
import { StratusError } from './errors.js';
import { applyUpdateMask, parseUpdateMask } from './update-mask.js';
import { assertValidPatch } from './validate-patch.js';

const failure = (run: () => unknown): StratusError => {
  try {
    run();
  } catch (error) {
    if (error instanceof StratusError) return error;
    throw error;
  }
  throw new Error('expected a StratusError');
};

describe('parseUpdateMask', () => {
  it('reads comma-separated paths, snake_case or camelCase, each once', () => {
    expect(
      parseUpdateMask('version', 'description, manual_scaling.nodes,description,labels'),
    ).toEqual(['description', 'manualScaling.nodes', 'labels']);
    expect(parseUpdateMask('job', 'labels')).toEqual(['labels']);
  });

  it('refuses a missing, empty, unknown or read-only path with a 400 naming it', () => {
    const cases: [Parameters<typeof parseUpdateMask>, string][] = [
      [['job', undefined], 'updateMask: is required: name the fields to change (labels)'],
      [['model', ' '], 'updateMask: is required: name the fields to change (description, labels)'],
      [['model', 'description,,labels'], 'updateMask: path 2 is empty'],
      [
        ['job', 'labels,state'],
        'updateMask: "state" cannot be updated on a Job; updatable fields: labels',
      ],
      [
        ['version', 'deploymentUri'],
        'updateMask: "deploymentUri" cannot be updated on a Version; updatable fields: description, labels, manualScaling.nodes, autoScaling.minNodes',
      ],
    ];
    for (const [args, message] of cases) {
      const error = failure(() => parseUpdateMask(...args));
      expect([error.reason, error.httpStatus, error.message, error.violations[0]?.field]).toEqual([
        'INVALID_ARGUMENT',
        400,
        message,
        'updateMask',
      ]);
    }
  });
});

describe('applyUpdateMask', () => {
  it('sets masked paths from the patch, clears those it leaves out, and keeps the rest', () => {
    const current = {
      description: 'old',
      labels: { a: 'b' },
      autoScaling: { minNodes: 1, maxNodes: 5 },
      manualScaling: { nodes: 2 },
    };
    expect(
      applyUpdateMask(current, { description: 'new', autoScaling: { minNodes: 3, maxNodes: 9 } }, [
        'description',
        'autoScaling.minNodes',
        'manualScaling.nodes',
        'labels',
      ]),
    ).toEqual({ description: 'new', autoScaling: { minNodes: 3, maxNodes: 5 } });
    expect(current.manualScaling).toEqual({ nodes: 2 });
  });
});

describe('assertValidPatch', () => {
  it('keeps only the masked values and the etag, ignoring the rest of the resource', () => {
    expect(
      assertValidPatch('model', { name: 'x', description: 'd', labels: { a: 'b' }, etag: 'e' }, [
        'labels',
      ]),
    ).toEqual({ values: { labels: { a: 'b' } }, paths: ['labels'], etag: 'e' });
  });

  it('refuses a bad masked value with a 400 naming the field', () => {
    const badLabel = failure(() => assertValidPatch('job', { labels: { Bad: 'x' } }, ['labels']));
    expect([badLabel.reason, badLabel.violations[0]?.field]).toEqual([
      'INVALID_JOB_SPEC',
      'labels.Bad',
    ]);
    const badNodes = failure(() =>
      assertValidPatch('version', { manualScaling: { nodes: -1 } }, ['manualScaling.nodes']),
    );
    expect([badNodes.reason, badNodes.violations[0]?.field]).toEqual([
      'INVALID_VERSION_SPEC',
      'manualScaling.nodes',
    ]);
    const notObject = failure(() => assertValidPatch('model', [1], ['labels']));
    expect(notObject.message).toBe('Invalid model: body: must be a JSON object');
  });
});
