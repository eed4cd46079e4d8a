import { describeAt, filterError } from './filter-error.js';

/** The comparators of AIP-160; `:` is "has" (equality, or a prefix with a trailing `*`). */
export const COMPARATORS = ['=', '!=', '<', '<=', '>', '>=', ':'] as const;
export type Comparator = (typeof COMPARATORS)[number];

export type TokenKind =
  'lparen' | 'rparen' | 'comparator' | 'and' | 'or' | 'not' | 'text' | 'string' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** The value: a word, a string's unescaped content, a comparator, '' at the end. */
  readonly text: string;
  /** 1-based position of the token's first character in the filter. */
  readonly position: number;
}

/** The longest filter accepted, in characters. */
export const MAX_FILTER_LENGTH = 2000;

const isSpace = (char: string): boolean =>
  char === ' ' || char === '\t' || char === '\n' || char === '\r';

/** Characters that end a bare word outside a value (they are tokens of their own). */
const isDelimiter = (char: string): boolean =>
  isSpace(char) ||
  char === '(' ||
  char === ')' ||
  char === '"' ||
  char === "'" ||
  char === '=' ||
  char === '!' ||
  char === '<' ||
  char === '>' ||
  char === ':';

const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  "'": "'",
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
};

const KEYWORDS: Readonly<Record<string, TokenKind>> = { AND: 'and', OR: 'or', NOT: 'not' };

/**
 * Split a filter into tokens. A bare value after a comparator runs to the
 * next space or parenthesis, so `createTime>2024-05-01T00:00:00Z` and
 * `jobId:rnn*` need no quotes; anywhere else `-` directly before a term is NOT.
 */
export const tokenize = (filter: string): Token[] => {
  if (filter.length > MAX_FILTER_LENGTH) {
    throw filterError(`is longer than ${MAX_FILTER_LENGTH} characters`);
  }
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, text: string, start: number): void => {
    tokens.push({ kind, text, position: start + 1 });
  };
  while (i < filter.length) {
    const char = filter.charAt(i);
    const start = i;
    const afterComparator = tokens[tokens.length - 1]?.kind === 'comparator';
    if (isSpace(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      push(char === '(' ? 'lparen' : 'rparen', char, start);
      i += 1;
    } else if (char === '"' || char === "'") {
      const [value, end] = readString(filter, start);
      push('string', value, start);
      i = end;
    } else if (char === '<' || char === '>' || char === '!') {
      const two = filter.charAt(i + 1) === '=';
      if (char === '!' && !two)
        throw filterError(`unexpected "!" at position ${start + 1}; use != or NOT`);
      push('comparator', two ? `${char}=` : char, start);
      i += two ? 2 : 1;
    } else if (char === '=' || char === ':') {
      push('comparator', char, start);
      i += 1;
    } else if (char === '-' && !afterComparator) {
      push('not', '-', start);
      i += 1;
    } else {
      const stop = afterComparator
        ? (c: string): boolean => isSpace(c) || c === '(' || c === ')'
        : isDelimiter;
      while (i < filter.length && !stop(filter.charAt(i))) i += 1;
      const word = filter.slice(start, i);
      push(afterComparator ? 'text' : (KEYWORDS[word] ?? 'text'), word, start);
    }
  }
  push('end', '', filter.length);
  return tokens;
};

/** The unescaped content of the string opening at `start`, and the index after it. */
const readString = (filter: string, start: number): [string, number] => {
  const quote = filter.charAt(start);
  let value = '';
  let i = start + 1;
  while (i < filter.length) {
    const char = filter.charAt(i);
    if (char === quote) return [value, i + 1];
    if (char === '\\') {
      const escaped = ESCAPES[filter.charAt(i + 1)];
      if (escaped === undefined) {
        throw filterError(
          `unknown escape ${describeAt(filter.slice(i, i + 2), i + 1)}; use \\" \\' \\\\ \\n \\t or \\r`,
        );
      }
      value += escaped;
      i += 2;
    } else {
      value += char;
      i += 1;
    }
  }
  throw filterError(`string opened at position ${start + 1} is not closed`);
};
