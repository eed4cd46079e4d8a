import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StratusError } from '../errors.js';
import { parseListFilter } from './list-filter.js';
import { parseFilter } from './parser.js';
import { JOB_FILTER_FIELDS } from './resource-fields.js';
import { filterText } from '../../../../tests/support/filter-arbitrary.js';

/** Fixed, so a failure reproduces; fast-check prints the shrunk counterexample. */
const SEED = 160;

const record = {
  jobId: 'rnn_1',
  state: 'RUNNING',
  createTime: '2024-05-01T00:00:00.000Z',
  labels: { team: 'a' },
};

/** Run `fn`; anything it throws other than INVALID_ARGUMENT on `filter` fails the test. */
const onlyFilterErrors = (fn: () => void): 'ok' | 'refused' => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    expect(error).toBeInstanceOf(StratusError);
    expect(error).toMatchObject({ reason: 'INVALID_ARGUMENT', violations: [{ field: 'filter' }] });
    return 'refused';
  }
};

describe('filter fuzz', () => {
  it('parses 5,000 random filters into an expression or an INVALID_ARGUMENT, nothing else', () => {
    const outcomes = { ok: 0, refused: 0 };
    fc.assert(
      fc.property(filterText, (filter) => {
        outcomes[onlyFilterErrors(() => parseFilter(filter))] += 1;
      }),
      { seed: SEED, numRuns: 5000 },
    );
    // Both branches are exercised, or the generator says nothing.
    expect(outcomes.ok).toBeGreaterThan(100);
    expect(outcomes.refused).toBeGreaterThan(100);
  });

  it('checks and evaluates 5,000 random job filters without any other error', () => {
    let matched = 0;
    fc.assert(
      fc.property(filterText, (filter) => {
        onlyFilterErrors(() => {
          if (parseListFilter(filter, JOB_FILTER_FIELDS).matches(record)) matched += 1;
        });
      }),
      { seed: SEED + 1, numRuns: 5000 },
    );
    expect(matched).toBeGreaterThan(0);
  });
});
