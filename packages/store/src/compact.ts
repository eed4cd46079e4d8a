/** A copy of `value` without its undefined properties (so JSON and `toEqual` see no empty keys). */
export const compact = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
