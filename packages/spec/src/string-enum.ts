import { Kind, Type, TypeRegistry, type SchemaOptions, type TUnsafe } from '@sinclair/typebox';

/**
 * TypeBox's own enum encoding is `anyOf` of consts, which ajv reports as N
 * "must be equal to constant" errors and OpenAPI renders poorly. A custom kind
 * keeps the schema plain JSON Schema (`{type: "string", enum: [...]}`) for
 * ajv/fastify while Value and TypeCompiler check it through the registry.
 */
const STRING_ENUM_KIND = 'StringEnum';

if (!TypeRegistry.Has(STRING_ENUM_KIND)) {
  TypeRegistry.Set<{ enum: readonly string[] }>(
    STRING_ENUM_KIND,
    (schema, value) => typeof value === 'string' && schema.enum.includes(value),
  );
}

/** A string schema restricted to `values`, typed as their union. */
export const StringEnum = <const T extends readonly string[]>(
  values: T,
  options: SchemaOptions = {},
): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({
    ...options,
    [Kind]: STRING_ENUM_KIND,
    type: 'string',
    enum: [...values],
  });

/** Whether a schema was built by {@link StringEnum}; used to word validation errors. */
export const isStringEnumSchema = (schema: unknown): schema is { enum: readonly string[] } =>
  typeof schema === 'object' &&
  schema !== null &&
  (schema as Record<PropertyKey, unknown>)[Kind] === STRING_ENUM_KIND;
