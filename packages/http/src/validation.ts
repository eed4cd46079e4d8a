import type { FastifySchemaCompiler, FastifySerializerCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { StratusError, schemaViolations, violationsError } from '@stratus/spec';
import { resolveSchema } from './shared-schemas.js';

type Validate = (data: unknown) => { value: unknown } | { error: Error };

/** An object schema whose properties are all plain strings: what the router gives as is. */
const onlyStrings = (schema: TSchema): boolean =>
  schema.type === 'object' &&
  typeof schema.properties === 'object' &&
  schema.properties !== null &&
  Object.values(schema.properties as Record<string, TSchema>).every(
    (property) => property.type === 'string',
  );

const hasRequired = (schema: TSchema): boolean =>
  Array.isArray(schema.required) && schema.required.length > 0;

/**
 * Validate with TypeBox (the same checker `@stratus/spec` uses), so every
 * violation names its field path and unknown fields are rejected, never
 * silently dropped as fastify's default ajv `removeAdditional` would. Path
 * and query values arrive as strings and are converted first (`"10"` → 10,
 * `"true"` → true); bodies are taken as sent. An absent body is `{}` where
 * the schema requires nothing.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  const resolved = resolveSchema(schema);
  // Path params that are all strings need no conversion (and Value.Convert is not cheap).
  const convert = httpPart !== 'body' && !(httpPart === 'params' && onlyStrings(resolved));
  const validate: Validate = (data) => {
    let value = data;
    if (convert) value = Value.Convert(resolved, data);
    else if (data === null && !hasRequired(resolved)) value = {};
    const violations = schemaViolations(resolved, value);
    if (violations.length === 0) return { value };
    return { error: violationsError('INVALID_ARGUMENT', violations) };
  };
  return validate;
};

/** A body validator that runs a spec validator (e.g. `assertValidJobInput`), which throws StratusError. */
export const bodyValidator =
  (assertValid: (body: unknown) => unknown): FastifySchemaCompiler<unknown> =>
  (route) => {
    if (route.httpPart !== 'body') return validatorCompiler(route);
    const validate: Validate = (data) => {
      try {
        return { value: assertValid(data) };
      } catch (error) {
        if (error instanceof StratusError) return { error };
        throw error;
      }
    };
    return validate;
  };

/**
 * Responses are plain JSON.stringify: the schemas document them (OpenAPI)
 * and tests check routes against them, but serialization never drops fields.
 */
export const serializerCompiler: FastifySerializerCompiler<unknown> = () => (data) =>
  JSON.stringify(data);
