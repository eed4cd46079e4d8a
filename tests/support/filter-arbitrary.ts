/**
 * fast-check arbitrary of list filters for the filter fuzz tests (the
 * parser's in packages/spec and the jobs list route's in services/api):
 * AIP-160 tokens, field names and values, random characters and whitespace,
 * in any order, so most are malformed and some are valid.
 */
import fc from 'fast-check';

// prettier-ignore
const GRAMMAR = [
  'AND', 'OR', 'NOT', '-', '(', ')', '=', '!=', '<', '<=', '>', '>=', ':', '*', '"', "'", '\\',
  'state', 'jobId', 'createTime', 'labels', 'labels.team', '.', 'RUNNING', 'rnn*',
  '2024-05-01T00:00:00Z', '"quoted \\" value"', 'true', '!',
];

/** Filters built from grammar tokens, random characters and whitespace, in any order. */
export const filterText = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...GRAMMAR) },
      { weight: 2, arbitrary: fc.constantFrom(' ', '  ', '\t', '\n') },
      { weight: 2, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) },
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));
