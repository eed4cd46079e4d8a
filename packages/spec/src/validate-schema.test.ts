import { Type } from '@sinclair/typebox';
import { describe, expect, it } from 'vitest';
import { validateJobInput } from './validate-job.js';
import { schemaViolations } from './validate-schema.js';

/** `[[[…"x"…]]]` nested `depth` deep, built without recursion. */
const nested = (depth: number): unknown => {
  let value: unknown = 'x';
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
};

describe('schemaViolations', () => {
  // Issue 10 fuzz bug: a body nested ~5,000 deep made JSON.stringify (quoting the bad value
  // in the message) overflow the stack inside the request handler: a 500 instead of a 400.
  it('describes a value nested too deeply to stringify instead of throwing RangeError', () => {
    const deep = nested(200_000);
    expect(() => JSON.stringify(deep)).toThrow(RangeError);
    const violations = schemaViolations(Type.Object({ name: Type.String() }), { name: deep });
    expect(violations).toEqual([
      { field: 'name', description: 'must be a string (got a value nested too deeply to show)' },
    ]);
    const job = validateJobInput({ jobId: 'deep_1', trainingInput: deep });
    expect(job.map((v) => v.field)).toContain('trainingInput');
  });
});
