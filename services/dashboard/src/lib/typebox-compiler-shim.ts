/**
 * Stands in for `@sinclair/typebox/compiler` in the browser bundle (see
 * vite.config.ts): the same `TypeCompiler.Compile(schema).Check/Errors` API
 * on TypeBox's interpreter, which needs no `new Function` (so no
 * `'unsafe-eval'` in the CSP). @stratus/spec's validators run unchanged.
 */
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { ValueErrorIterator } from '@sinclair/typebox/errors';

export interface TypeCheck<T extends TSchema> {
  readonly schema: T;
  Check(value: unknown): boolean;
  Errors(value: unknown): ValueErrorIterator;
}

export const TypeCompiler = {
  Compile: <T extends TSchema>(schema: T): TypeCheck<T> => ({
    schema,
    Check: (value) => Value.Check(schema, value),
    Errors: (value) => Value.Errors(schema, value),
  }),
};
