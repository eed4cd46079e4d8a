/**
 * A TypeBox `Static` type made deeply read-only: TypeBox derives mutable
 * properties and arrays, while a loaded bundle's manifest is never changed,
 * and writers hand in read-only arrays.
 */
export type Frozen<T> = T extends readonly (infer Item)[]
  ? readonly Frozen<Item>[]
  : T extends object
    ? { readonly [Key in keyof T]: Frozen<T[Key]> }
    : T;
