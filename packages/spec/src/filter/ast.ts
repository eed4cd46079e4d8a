import type { Comparator } from './tokens.js';

/** `field <comparator> value`, e.g. `labels.team = "a"`. */
export interface Restriction {
  readonly kind: 'restriction';
  /** A field path such as `state` or `labels.team`. */
  readonly field: string;
  readonly comparator: Comparator;
  readonly value: string;
  /** 1-based positions in the filter, for error messages. */
  readonly fieldPosition: number;
  readonly valuePosition: number;
}

export interface Junction {
  readonly kind: 'and' | 'or';
  /** Two or more operands. */
  readonly operands: readonly FilterExpression[];
}

export interface Negation {
  readonly kind: 'not';
  readonly operand: FilterExpression;
}

/** A parsed AIP-160 filter. */
export type FilterExpression = Restriction | Junction | Negation;

/**
 * The filter written canonically (fully parenthesised, values quoted): two
 * filters that parse alike format alike, whatever their spacing or quoting.
 */
export const formatFilter = (expression: FilterExpression | undefined): string => {
  if (expression === undefined) return '';
  switch (expression.kind) {
    case 'restriction':
      return `${expression.field}${expression.comparator}${JSON.stringify(expression.value)}`;
    case 'not':
      return `NOT ${formatFilter(expression.operand)}`;
    default:
      return `(${expression.operands
        .map(formatFilter)
        .join(expression.kind === 'and' ? ' AND ' : ' OR ')})`;
  }
};
