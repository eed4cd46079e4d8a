import { BUILTIN_FIELD_SPECS, type BuiltinSetting, type FieldSpec } from './builtin-algorithms.js';

/** A built-in setting's value once parsed: a number, a list of integers, or an enum word. */
export type SettingValue = number | readonly number[] | string;

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const describeRange = (spec: Extract<FieldSpec, { min: number }>): string => {
  if (spec.allowed !== undefined) return `must be one of ${spec.allowed.join(', ')}`;
  const low = `${spec.minExclusive === true ? '>' : '≥'} ${spec.min}`;
  const high = `${spec.maxExclusive === true ? '<' : '≤'} ${spec.max}`;
  return `must be ${spec.type === 'integer' ? 'an integer ' : ''}${low} and ${high}`;
};

const numberProblem = (
  spec: Extract<FieldSpec, { min: number }>,
  value: number,
): string | undefined => {
  const inRange =
    Number.isFinite(value) &&
    (spec.minExclusive === true ? value > spec.min : value >= spec.min) &&
    (spec.maxExclusive === true ? value < spec.max : value <= spec.max) &&
    (spec.type === 'number' || Number.isInteger(value)) &&
    (spec.allowed === undefined || spec.allowed.includes(value));
  return inRange ? undefined : `${describeRange(spec)} (got ${value})`;
};

/** What is wrong with a typed value of a built-in setting, or undefined when it is in range. */
export const settingValueProblem = (
  setting: BuiltinSetting,
  value: unknown,
): string | undefined => {
  const spec = BUILTIN_FIELD_SPECS[setting];
  switch (spec.type) {
    case 'number':
    case 'integer':
      return typeof value === 'number' ? numberProblem(spec, value) : 'must be a number';
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? undefined
        : `must be one of ${spec.values.join(', ')} (got ${JSON.stringify(value)})`;
    case 'integerList': {
      if (!Array.isArray(value)) return 'must be a list of integers';
      if (value.length < spec.minItems || value.length > spec.maxItems) {
        return spec.minItems === spec.maxItems
          ? `must have exactly ${spec.minItems} entries (got ${value.length})`
          : `must have ${spec.minItems}–${spec.maxItems} entries (got ${value.length})`;
      }
      const bad = value.find(
        (item: unknown) =>
          typeof item !== 'number' ||
          !Number.isInteger(item) ||
          item < spec.itemMin ||
          item > spec.itemMax,
      ) as unknown;
      return bad === undefined
        ? undefined
        : `entries must be integers from ${spec.itemMin} to ${spec.itemMax} (got ${String(bad)})`;
    }
  }
};

/**
 * Parse a hyperparameter value given as a string (as Cloud ML reports trial
 * hyperparameters) into the setting's type and check its range:
 * `"0.01"` → 0.01, `"32"` → 32, `"32,16"` → [32, 16], `"adam"` → "adam".
 */
export const parseSettingValue = (
  setting: BuiltinSetting,
  raw: string,
): { value: SettingValue } | { problem: string } => {
  const spec = BUILTIN_FIELD_SPECS[setting];
  const text = raw.trim();
  let value: SettingValue;
  if (spec.type === 'enum') {
    value = text;
  } else if (spec.type === 'integerList') {
    const items = text
      .replace(/^\[(.*)\]$/, '$1')
      .split(',')
      .map((s) => s.trim());
    if (items.some((item) => !DECIMAL.test(item))) {
      return { problem: `must be comma-separated integers such as "64,32" (got "${raw}")` };
    }
    value = items.map(Number);
  } else {
    if (!DECIMAL.test(text)) return { problem: `must be a number (got "${raw}")` };
    value = Number(text);
  }
  const problem = settingValueProblem(setting, value);
  return problem === undefined ? { value } : { problem };
};
