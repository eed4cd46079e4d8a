import type { FilterExpression, Restriction } from './ast.js';
import { describeAt, filterError } from './filter-error.js';
import { tokenize, type Comparator, type Token, type TokenKind } from './tokens.js';

/** Parentheses and NOTs nested deeper than this are refused (a bound on recursion). */
export const MAX_FILTER_DEPTH = 32;

const STARTS_TERM: readonly TokenKind[] = ['text', 'string', 'lparen', 'not'];

/**
 * Parse an AIP-160 filter (https://google.aip.dev/160) into an expression;
 * undefined for an empty filter. Grammar, loosest first — note that OR binds
 * tighter than AND, and juxtaposition is AND:
 *
 *     expression  = sequence { "AND" sequence }
 *     sequence    = factor { factor }
 *     factor      = term { "OR" term }
 *     term        = [ "NOT" | "-" ] simple
 *     simple      = restriction | "(" expression ")"
 *     restriction = member comparator value
 *
 * Every problem is INVALID_ARGUMENT on `filter`, naming the token and its position.
 */
export const parseFilter = (filter: string | undefined): FilterExpression | undefined => {
  const tokens = tokenize(filter ?? '');
  const parser = new Parser(tokens);
  return parser.parseFilter();
};

class Parser {
  private index = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parseFilter(): FilterExpression | undefined {
    if (this.peek().kind === 'end') return undefined;
    const expression = this.expression();
    const next = this.peek();
    if (next.kind !== 'end') {
      throw filterError(
        next.kind === 'rparen'
          ? `unmatched ")" at position ${next.position}`
          : `unexpected ${describeAt(next.text, next.position)}`,
      );
    }
    return expression;
  }

  private peek(): Token {
    // tokenize always ends with an 'end' token, and the index never passes it.
    return this.tokens[this.index] ?? { kind: 'end', text: '', position: 0 };
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private expression(): FilterExpression {
    const operands = [this.sequence()];
    while (this.peek().kind === 'and') {
      this.take();
      operands.push(this.sequence());
    }
    return junction('and', operands);
  }

  private sequence(): FilterExpression {
    const operands = [this.factor()];
    while (STARTS_TERM.includes(this.peek().kind)) operands.push(this.factor());
    return junction('and', operands);
  }

  private factor(): FilterExpression {
    const operands = [this.term()];
    while (this.peek().kind === 'or') {
      this.take();
      operands.push(this.term());
    }
    return junction('or', operands);
  }

  private term(): FilterExpression {
    if (this.peek().kind !== 'not') return this.simple();
    const not = this.take();
    if (not.text === '-' && this.peek().position !== not.position + 1) {
      throw filterError(`"-" at position ${not.position} must directly precede a term`);
    }
    return { kind: 'not', operand: this.nested(not, () => this.simple()) };
  }

  private simple(): FilterExpression {
    const token = this.peek();
    if (token.kind === 'lparen') {
      this.take();
      const inner = this.nested(token, () => this.expression());
      const close = this.take();
      if (close.kind !== 'rparen') {
        throw filterError(
          `expected ")" to close the "(" at position ${token.position}, found ${describeAt(close.text, close.position)}`,
        );
      }
      return inner;
    }
    return this.restriction();
  }

  private restriction(): Restriction {
    const member = this.take();
    if (member.kind !== 'text' && member.kind !== 'string') {
      throw filterError(`expected a field, found ${describeAt(member.text, member.position)}`);
    }
    const comparator = this.take();
    if (comparator.kind !== 'comparator') {
      throw filterError(
        `expected a comparator (= != < <= > >= :) after ${describeAt(member.text, member.position)}, found ${describeAt(comparator.text, comparator.position)}`,
      );
    }
    const value = this.take();
    if (value.kind !== 'text' && value.kind !== 'string') {
      throw filterError(
        `expected a value after ${describeAt(comparator.text, comparator.position)}, found ${describeAt(value.text, value.position)}`,
      );
    }
    return {
      kind: 'restriction',
      field: member.text,
      // The lexer only makes comparator tokens of COMPARATORS.
      comparator: comparator.text as Comparator,
      value: value.text,
      fieldPosition: member.position,
      valuePosition: value.position,
    };
  }

  /** Parse what `opener` (a "(" or a NOT) opens, one level deeper. */
  private nested<T>(opener: Token, parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_FILTER_DEPTH) {
      const token = opener;
      throw filterError(
        `nests deeper than ${MAX_FILTER_DEPTH} levels at ${describeAt(token.text, token.position)}`,
      );
    }
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }
}

/** One operand as itself; several as a flat junction (nested ones of the same kind merged). */
const junction = (kind: 'and' | 'or', operands: FilterExpression[]): FilterExpression => {
  if (operands.length === 1 && operands[0] !== undefined) return operands[0];
  return {
    kind,
    operands: operands.flatMap((operand) => (operand.kind === kind ? operand.operands : [operand])),
  };
};
