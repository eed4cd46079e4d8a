import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import type { FieldViolation } from './errors.js';
import { pointerToFieldPath } from './field-path.js';
import { ID_PATTERN, ID_RULE } from './names.js';
import { isStringEnumSchema } from './string-enum.js';

const compiled = new WeakMap<TSchema, TypeCheck<TSchema>>();

const checkerFor = (schema: TSchema): TypeCheck<TSchema> => {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = TypeCompiler.Compile(schema);
    compiled.set(schema, check);
  }
  return check;
};

/** Patterns whose rule reads better in words than as a regular expression. */
const PATTERN_RULES: Readonly<Record<string, string>> = {
  [ID_PATTERN.source]: ID_RULE,
  '^-?[0-9]+$': 'must be a decimal integer string',
  '^[1-9][0-9]*$': 'must be a positive decimal integer string',
};

const numberBound = (error: ValueError, key: string): unknown =>
  (error.schema as Record<string, unknown>)[key];

/** ` (got <value as JSON>)`, or a note when the value is nested too deeply to stringify. */
const gotValue = (value: unknown): string => {
  if (value === undefined) return '';
  try {
    return ` (got ${JSON.stringify(value)})`;
  } catch {
    // JSON.stringify recurses: a body nested thousands deep overflows the stack (a 500 before).
    return ' (got a value nested too deeply to show)';
  }
};

const describe = (error: ValueError): string => {
  const got = gotValue(error.value);
  switch (error.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return `unknown field "${error.path.split('/').pop() ?? ''}"`;
    case ValueErrorType.Kind:
      return isStringEnumSchema(error.schema)
        ? `must be one of ${error.schema.enum.join(', ')}${got}`
        : `${error.message}${got}`;
    case ValueErrorType.String:
      return `must be a string${got}`;
    case ValueErrorType.Number:
      return `must be a number${got}`;
    case ValueErrorType.Integer:
      return `must be an integer${got}`;
    case ValueErrorType.Boolean:
      return `must be true or false${got}`;
    case ValueErrorType.Array:
      return `must be a list${got}`;
    case ValueErrorType.Object:
      return `must be an object${got}`;
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(numberBound(error, 'const'))}${got}`;
    case ValueErrorType.StringMinLength:
      return numberBound(error, 'minLength') === 1
        ? 'must not be empty'
        : `must be at least ${String(numberBound(error, 'minLength'))} characters`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${String(numberBound(error, 'maxLength'))} characters`;
    case ValueErrorType.StringPattern: {
      const pattern = String(numberBound(error, 'pattern'));
      return `${PATTERN_RULES[pattern] ?? `must match ${pattern}`}${got}`;
    }
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.IntegerMinimum:
      return `must be ≥ ${String(numberBound(error, 'minimum'))}${got}`;
    case ValueErrorType.NumberMaximum:
    case ValueErrorType.IntegerMaximum:
      return `must be ≤ ${String(numberBound(error, 'maximum'))}${got}`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${String(numberBound(error, 'minItems'))} entries`;
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${String(numberBound(error, 'maxItems'))} entries`;
    default:
      return `${error.message}${got}`;
  }
};

/**
 * Check `value` against a TypeBox schema and name each problem by field path
 * (`trainingInput.hyperparameters.params[0].minValue`); one violation per field.
 */
export const schemaViolations = (schema: TSchema, value: unknown): FieldViolation[] => {
  const check = checkerFor(schema);
  if (check.Check(value)) return [];
  const byField = new Map<string, FieldViolation>();
  for (const error of check.Errors(value)) {
    const field = pointerToFieldPath(error.path);
    if (!byField.has(field)) byField.set(field, { field, description: describe(error) });
  }
  return [...byField.values()];
};
