/**
 * Predict bodies of plain numbers parsed straight from their bytes into one
 * Float64Array: no string, no array per instance, no walk to pack them
 * after. Two shapes: `{"instances": [[0.1, 0.2, …], …]}` (what raw tensor
 * models take) and `{"instances": [{"image": [0.1, …]}, …]}` (one named
 * array per instance: an image feature, or a model input by name). Anything
 * else (another key, a string, an exponent, a ragged array) is left to
 * JSON.parse and the checks that name the fault.
 */

/** A body's instances as one row-major array of numbers, each instance of `rowShape`. */
export class PackedInstances {
  constructor(
    readonly rows: number,
    readonly rowShape: readonly number[],
    /** `rows × rowSize` numbers, row after row. */
    readonly values: Float64Array,
    /** The one key of every instance when they were objects (`{"image": [...]}`). */
    readonly key?: string,
  ) {}

  /** Numbers in all the instances. */
  get size(): number {
    return this.rows * this.rowShape.reduce((a, b) => a * b, 1);
  }

  /** The instances as JSON.parse would have given them: nested arrays (in `{key: …}` objects). */
  toArrays(): unknown[] {
    let next = 0;
    const build = (depth: number): unknown => {
      if (depth === this.rowShape.length) return this.values[next++];
      return Array.from({ length: this.rowShape[depth] ?? 0 }, () => build(depth + 1));
    };
    const { key } = this;
    return Array.from({ length: this.rows }, () =>
      key === undefined ? build(0) : { [key]: build(0) },
    );
  }
}

export const isPacked = (value: unknown): value is PackedInstances =>
  value instanceof PackedInstances;

// Bytes of the JSON grammar the fast path reads.
const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const OPEN = 0x5b;
const CLOSE = 0x5d;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
/** Keys JSON.parse is made to refuse (prototype pollution): never read here. */
const REFUSED_KEYS = new Set(['__proto__', 'constructor']);
const KEY = Buffer.from('"instances"');
/** Deepest instance nesting the fast path reads (deeper goes the general way). */
const MAX_RANK = 8;
/** Powers of ten a double holds exactly: `digits / 10^k` is then correctly rounded. */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_SCALE = POW10.length - 1;
/** Most significant digits whose integer a double holds exactly. */
const MAX_DIGITS = 15;

/** What a parse has read so far. */
interface Reading {
  /** Numbers so far, in `values[0..count)`. */
  values: Float64Array;
  count: number;
  /** Length at each depth, from the first array met there. */
  readonly shape: number[];
  /** Depth of the numbers (their arrays' count), from the first number; -1 before. */
  rank: number;
  /** The key of instance objects, from the first (all must have it, alone). */
  key: string | undefined;
}

const isSpace = (byte: number | undefined): boolean =>
  byte === SPACE || byte === LF || byte === CR || byte === TAB;

/** The index of the first byte at or after `at` that is not white space. */
const skipSpace = (bytes: Uint8Array, at: number): number => {
  let i = at;
  while (isSpace(bytes[i])) i += 1;
  return i;
};

/** Record an array's length at `depth`: false when it differs from the first one there. */
const rectangular = (reading: Reading, depth: number, length: number): boolean => {
  const seen = reading.shape[depth];
  if (seen === undefined) reading.shape[depth] = length;
  return seen === undefined || seen === length;
};

/**
 * An array of numbers at `at` (its first element), returning the index
 * after its `]`; -1 where the fast path gives up: not a plain number, an
 * exponent, or more digits than a double holds exactly. Within those bounds
 * `digits / 10^scale` is one correctly rounded division of two exact
 * doubles: the double JSON.parse gives. One tight loop: this is the hot path.
 */
const readNumbers = (bytes: Uint8Array, at: number, depth: number, reading: Reading): number => {
  if (reading.rank === -1) reading.rank = depth + 1;
  if (reading.rank !== depth + 1) return -1;
  let { values, count } = reading;
  let i = at;
  let length = 0;
  // Past the end a read is undefined, which no comparison below accepts: typed as number.
  for (;;) {
    let byte = bytes[i] as number;
    const negative = byte === MINUS;
    if (negative) byte = bytes[++i] as number;
    let digits = 0;
    let significant = 0;
    let scale = 0;
    if (byte === ZERO) {
      byte = bytes[++i] as number;
    } else if (byte > ZERO && byte <= NINE) {
      do {
        digits = digits * 10 + (byte - ZERO);
        significant += 1;
        byte = bytes[++i] as number;
      } while (byte >= ZERO && byte <= NINE);
    } else {
      return -1;
    }
    if (byte === DOT) {
      byte = bytes[++i] as number;
      if (byte < ZERO || byte > NINE) return -1;
      do {
        digits = digits * 10 + (byte - ZERO);
        if (digits !== 0) significant += 1;
        scale += 1;
        byte = bytes[++i] as number;
      } while (byte >= ZERO && byte <= NINE);
    }
    if (significant > MAX_DIGITS || scale > MAX_SCALE) return -1;
    const magnitude = scale === 0 ? digits : digits / (POW10[scale] as number);
    if (count === values.length) {
      const grown = new Float64Array(values.length * 2);
      grown.set(values);
      values = grown;
    }
    values[count++] = negative ? -magnitude : magnitude;
    length += 1;
    while (byte === SPACE || byte === LF || byte === CR || byte === TAB)
      byte = bytes[++i] as number;
    i += 1;
    if (byte === CLOSE) break;
    if (byte !== COMMA) return -1;
    byte = bytes[i] as number;
    while (byte === SPACE || byte === LF || byte === CR || byte === TAB)
      byte = bytes[++i] as number;
  }
  reading.values = values;
  reading.count = count;
  return rectangular(reading, depth, length) ? i : -1;
};

/** The array at `at` (its `[`) and all it holds, returning the index after its `]`; -1 to give up. */
const readArray = (bytes: Uint8Array, at: number, depth: number, reading: Reading): number => {
  if (depth > MAX_RANK) return -1;
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] === CLOSE) return -1;
  const objects = depth === 0 && bytes[i] === BRACE_OPEN;
  if (!objects && bytes[i] !== OPEN) return readNumbers(bytes, i, depth, reading);
  let length = 0;
  for (;;) {
    i = objects
      ? readObject(bytes, i, reading)
      : bytes[i] === OPEN
        ? readArray(bytes, i, depth + 1, reading)
        : -1;
    if (i < 0) return -1;
    length += 1;
    i = skipSpace(bytes, i);
    const after = bytes[i];
    i = skipSpace(bytes, i + 1);
    if (after === CLOSE) break;
    if (after !== COMMA) return -1;
  }
  return rectangular(reading, depth, length) ? i : -1;
};

/**
 * An instance `{"key": [...]}` at `at` (its `{`): one key, the same in every
 * instance, plain ASCII without escapes; returns the index after its `}`, or -1.
 */
const readObject = (bytes: Uint8Array, at: number, reading: Reading): number => {
  if (bytes[at] !== BRACE_OPEN) return -1;
  let i = skipSpace(bytes, at + 1);
  if (bytes[i] !== QUOTE) return -1;
  const start = i + 1;
  for (i = start; bytes[i] !== QUOTE; i += 1) {
    const byte = bytes[i];
    if (byte === undefined || byte < SPACE || byte > 0x7e || byte === BACKSLASH) return -1;
  }
  const key = Buffer.from(bytes.buffer, bytes.byteOffset + start, i - start).toString('latin1');
  if (reading.key === undefined) {
    if (REFUSED_KEYS.has(key)) return -1;
    reading.key = key;
  } else if (reading.key !== key) {
    return -1;
  }
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== COLON) return -1;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== OPEN) return -1;
  i = readArray(bytes, i, 1, reading);
  if (i < 0) return -1;
  i = skipSpace(bytes, i);
  return bytes[i] === BRACE_CLOSE ? i + 1 : -1;
};

/** The index after the exact bytes `"instances"` at `at`, or -1. */
const readKey = (bytes: Uint8Array, at: number): number => {
  for (let k = 0; k < KEY.length; k += 1) if (bytes[at + k] !== KEY[k]) return -1;
  return at + KEY.length;
};

/** Where parses read their numbers (synchronous, copied out after): one buffer, reused. */
const SCRATCH_KEPT = 65_536;
let scratch: Float64Array = new Float64Array(4096);

/**
 * The instances of a body that is exactly `{"instances": [...]}` with every
 * instance a rectangular array (or a number) of plain JSON numbers, all of
 * one shape; otherwise undefined (the body then takes the general path).
 */
export const parsePackedInstances = (bytes: Uint8Array): PackedInstances | undefined => {
  const reading: Reading = { values: scratch, count: 0, shape: [], rank: -1, key: undefined };
  let i = skipSpace(bytes, 0);
  if (bytes[i] !== BRACE_OPEN) return undefined;
  i = readKey(bytes, skipSpace(bytes, i + 1));
  if (i < 0) return undefined;
  i = skipSpace(bytes, i);
  if (bytes[i] !== COLON) return undefined;
  i = skipSpace(bytes, i + 1);
  if (bytes[i] !== OPEN) return undefined;
  i = readArray(bytes, i, 0, reading);
  // A large body's scratch space is not kept for the life of the process.
  scratch = reading.values.length > SCRATCH_KEPT ? new Float64Array(4096) : reading.values;
  if (i < 0) return undefined;
  i = skipSpace(bytes, i);
  if (bytes[i] !== BRACE_CLOSE || skipSpace(bytes, i + 1) !== bytes.length) return undefined;
  // Numbers must sit at one depth in every instance: the rank and the shape agree.
  if (reading.rank !== reading.shape.length) return undefined;
  const [rows = 0, ...rowShape] = reading.shape;
  const values = reading.values.slice(0, reading.count);
  return new PackedInstances(rows, rowShape, values, reading.key);
};
