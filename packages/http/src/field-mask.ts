import { StratusError } from '@stratus/spec';

/**
 * A parsed `fields` mask: for each selected name, what to keep inside it
 * (`ALL`: the whole value). `*` selects every field at its level.
 */
export type FieldMask = ReadonlyMap<string, FieldMask | typeof ALL>;

/** Keep the whole value below this name. */
export const ALL = true;

type MutableMask = Map<string, MutableMask | typeof ALL>;

const isNameChar = (char: string): boolean =>
  (char >= 'a' && char <= 'z') ||
  (char >= 'A' && char <= 'Z') ||
  (char >= '0' && char <= '9') ||
  char === '_' ||
  char === '$' ||
  char === '.' ||
  char === '-' ||
  char === '@';

const malformed = (mask: string, at: number, expected: string): StratusError => {
  const found = at < mask.length ? `"${mask[at] ?? ''}"` : 'the end';
  return new StratusError('INVALID_ARGUMENT', {
    detail: `fields: malformed mask "${mask}": expected ${expected} at position ${at + 1}, found ${found}`,
  });
};

/** Add a selection of `path` (with `below` under its last name) to `into`. */
const merge = (into: MutableMask, path: readonly string[], below: MutableMask | typeof ALL) => {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const current = into.get(head);
  if (rest.length === 0) {
    if (below === ALL || current === ALL) into.set(head, ALL);
    else if (current === undefined) into.set(head, below);
    else for (const [name, sub] of below) merge(current, [name], sub);
    return;
  }
  if (current === ALL) return;
  const next: MutableMask = current ?? new Map();
  into.set(head, next);
  merge(next, rest, below);
};

/**
 * A hand-written recursive-descent parser of Google's partial-response
 * syntax: `a,b/c,d(e,f/g)`. Grammar (whitespace is not allowed):
 *
 *     list  := field ("," field)*
 *     field := name ("/" name)* ["(" list ")"]
 *     name  := "*" | one or more of [A-Za-z0-9_$.@-]
 */
class MaskParser {
  private at = 0;

  constructor(private readonly mask: string) {}

  parse(): MutableMask {
    const list = this.list();
    if (this.at < this.mask.length) throw malformed(this.mask, this.at, '"," or the end');
    return list;
  }

  private list(): MutableMask {
    const into: MutableMask = new Map();
    this.field(into);
    while (this.mask[this.at] === ',') {
      this.at += 1;
      this.field(into);
    }
    return into;
  }

  private field(into: MutableMask): void {
    const path = [this.name()];
    while (this.mask[this.at] === '/') {
      this.at += 1;
      path.push(this.name());
    }
    let below: MutableMask | typeof ALL = ALL;
    if (this.mask[this.at] === '(') {
      this.at += 1;
      below = this.list();
      if (this.mask[this.at] !== ')') throw malformed(this.mask, this.at, '"," or ")"');
      this.at += 1;
    }
    merge(into, path, below);
  }

  private name(): string {
    if (this.mask[this.at] === '*') {
      this.at += 1;
      return '*';
    }
    const start = this.at;
    while (this.at < this.mask.length && isNameChar(this.mask[this.at] ?? '')) this.at += 1;
    if (this.at === start) throw malformed(this.mask, this.at, 'a field name');
    return this.mask.slice(start, this.at);
  }
}

/** Parse a `fields` mask; a malformed one is a 400 naming the position. */
export const parseFieldMask = (mask: string): FieldMask => new MaskParser(mask).parse();

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * What `value` keeps under `mask`: arrays are masked element by element,
 * objects keep only the selected names (names they lack are simply absent),
 * and a scalar that the mask reaches inside is dropped.
 */
export const applyFieldMask = (value: unknown, mask: FieldMask): unknown => {
  if (Array.isArray(value)) {
    return value.map((item) => applyFieldMask(item, mask)).filter((item) => item !== undefined);
  }
  if (!isRecord(value)) return undefined;
  const out: Record<string, unknown> = {};
  const every = mask.get('*');
  for (const [name, item] of Object.entries(value)) {
    const below = mask.get(name) ?? every;
    if (below === undefined) continue;
    const kept = below === ALL ? item : applyFieldMask(item, below);
    if (kept !== undefined) out[name] = kept;
  }
  return out;
};
