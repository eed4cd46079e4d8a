import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { customPackageJob as C, edited, expectViolations } from './jobs.test-support.js';
import { validateJobInput } from './validate-job.js';

const HP = 'trainingInput.hyperparameters';
const ACT = `${HP}.params[2]`;

/** A child of `act` (CATEGORICAL relu/tanh) active when act=relu. */
const reluChild = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  parentCategoricalValues: { values: ['relu'] },
  parameterSpec: { parameterName: name, type: 'INTEGER', minValue: 1, maxValue: 4 },
  ...extra,
});

/** A chain of `depth` nested INTEGER children under act=relu. */
const chain = (depth: number): Record<string, unknown> => {
  let spec: Record<string, unknown> = {
    parameterName: `c${depth}`,
    type: 'INTEGER',
    minValue: 1,
    maxValue: 3,
  };
  for (let level = depth - 1; level >= 1; level -= 1) {
    spec = {
      parameterName: `c${level}`,
      type: 'INTEGER',
      minValue: 1,
      maxValue: 3,
      conditionalParameterSpecs: [{ parentIntValues: { values: [2] }, parameterSpec: spec }],
    };
  }
  return { parentCategoricalValues: { values: ['relu'] }, parameterSpec: spec };
};

const withBranches = (...branches: Record<string, unknown>[]): unknown =>
  edited(C, (j) => {
    j.trainingInput.hyperparameters.params[2].conditionalParameterSpecs = branches;
  });

describe('conditional parameter validation', () => {
  it('accepts nested branches of every parent type up to depth 4', () => {
    expect(validateJobInput(withBranches(reluChild('layers'), chain(4)))).toEqual([]);
    const discrete = edited(C, (j) => {
      j.trainingInput.hyperparameters.params[1].conditionalParameterSpecs = [
        {
          parentDiscreteValues: { values: [0.01, 0.1] },
          parameterSpec: { parameterName: 'momentum', type: 'DOUBLE', minValue: 0, maxValue: 1 },
        },
      ];
      j.trainingInput.hyperparameters.algorithm = 'RANDOM_SEARCH';
    });
    expect(validateJobInput(discrete)).toEqual([]);
  });

  it('accepts the docs/api.md example', () => {
    const doc = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('### Hyperparameters: conditional parameters'));
    const example = /```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
    const job = edited(C, (j) => {
      j.trainingInput.hyperparameters = JSON.parse(example);
    });
    expect(validateJobInput(job)).toEqual([]);
  });

  it('rejects a parent value the parent cannot take', () => {
    expectViolations(
      withBranches({
        ...reluChild('layers'),
        parentCategoricalValues: { values: ['relu', 'gelu'] },
      }),
      [
        [
          `${ACT}.conditionalParameterSpecs[0].parentCategoricalValues.values[1]`,
          '"gelu" is not among act',
        ],
      ],
    );
    const outside = edited(C, (j) => {
      j.trainingInput.hyperparameters.params[0].conditionalParameterSpecs = [
        {
          parentIntValues: { values: [65] },
          parameterSpec: { parameterName: 'x', type: 'INTEGER', minValue: 1, maxValue: 2 },
        },
      ];
    });
    expectViolations(outside, [
      [
        `${HP}.params[0].conditionalParameterSpecs[0].parentIntValues.values[0]`,
        "65 is outside units's range [8, 64]",
      ],
    ]);
  });

  it('rejects parent values of the wrong type, and a DOUBLE parent', () => {
    expectViolations(
      withBranches({
        parentIntValues: { values: [1] },
        parameterSpec: reluChild('x')['parameterSpec'],
      }),
      [
        [
          `${ACT}.conditionalParameterSpecs[0].parentIntValues`,
          'act is CATEGORICAL: the branch must give parentCategoricalValues',
        ],
      ],
    );
    const double = edited(C, (j) => {
      const hp = j.trainingInput.hyperparameters;
      hp.algorithm = 'RANDOM_SEARCH';
      hp.params[0] = {
        parameterName: 'lr',
        type: 'DOUBLE',
        minValue: 0.1,
        maxValue: 1,
        conditionalParameterSpecs: [reluChild('x')],
      };
    });
    expectViolations(double, [
      [
        `${HP}.params[0].conditionalParameterSpecs[0]`,
        'lr is DOUBLE; only DISCRETE, INTEGER and CATEGORICAL',
      ],
    ]);
  });

  it('rejects an empty branch', () => {
    expectViolations(
      withBranches({ ...reluChild('layers'), parentCategoricalValues: { values: [] } }),
      [
        [
          `${ACT}.conditionalParameterSpecs[0].parentCategoricalValues.values`,
          'must list at least one parent value',
        ],
      ],
    );
  });

  it('rejects a name used twice anywhere in the tree', () => {
    expectViolations(withBranches(reluChild('layers'), reluChild('units')), [
      [
        `${ACT}.conditionalParameterSpecs[1].parameterSpec.parameterName`,
        'duplicate parameter "units" (also params[0])',
      ],
    ]);
    expectViolations(
      withBranches(reluChild('layers'), {
        ...reluChild('layers'),
        parentCategoricalValues: { values: ['tanh'] },
      }),
      [
        [
          `${ACT}.conditionalParameterSpecs[1].parameterSpec.parameterName`,
          'duplicate parameter "layers" (also params[2].conditionalParameterSpecs[0].parameterSpec)',
        ],
      ],
    );
  });

  it('rejects nesting deeper than 4, naming the too-deep parameter', () => {
    const deep = `${ACT}${'.conditionalParameterSpecs[0].parameterSpec'.repeat(5)}`;
    expectViolations(withBranches(chain(5)), [[deep, 'nest at most 4 deep (this is 5)']]);
  });

  it('checks a child parameter as it checks a top-level one', () => {
    expectViolations(
      withBranches({
        ...reluChild('layers'),
        parameterSpec: { parameterName: 'layers', type: 'INTEGER', minValue: 4, maxValue: 2 },
      }),
      [
        [
          `${ACT}.conditionalParameterSpecs[0].parameterSpec.minValue`,
          'minValue (4) must be less than maxValue (2)',
        ],
      ],
    );
  });
});
