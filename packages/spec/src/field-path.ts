/**
 * Field paths in violations read like JavaScript accessors:
 * `trainingInput.hyperparameters.params[0].minValue`, `labels["a.b"]`.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Append a property name or array index to a field path. */
export const childPath = (parent: string, key: string | number): string => {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (IDENTIFIER.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
};

/** Turn a JSON pointer (`/params/0/minValue`) into a field path (`params[0].minValue`). */
export const pointerToFieldPath = (pointer: string): string =>
  pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>(
      (path, key) => childPath(path, /^(0|[1-9]\d*)$/.test(key) ? Number(key) : key),
      '',
    );
