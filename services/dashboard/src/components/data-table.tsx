import type { ReactNode } from 'react';

/** A column heading: its label, right-aligned for numbers, or read only by screen readers. */
export interface Column {
  readonly label: string;
  /** Right-align the heading (the cells say `className="num"` themselves). */
  readonly numeric?: boolean;
  /** Keep the label for screen readers only (an actions column). */
  readonly hidden?: boolean;
}

/**
 * The dashboard's table: a scrolling wrapper, one heading row, the rows
 * given as children, and a full-width row saying `empty` when it is set
 * (leave it undefined while loading, or when there are rows).
 */
export const DataTable = ({
  columns,
  className,
  card = false,
  empty,
  children,
}: {
  columns: readonly (string | Column)[];
  /** The table's class. */
  className?: string;
  /** Draw the wrapper as a card. @defaultValue false */
  card?: boolean;
  empty?: ReactNode;
  children: ReactNode;
}) => (
  <div className={card ? 'table-wrap card' : 'table-wrap'}>
    <table className={className}>
      <thead>
        <tr>
          {columns.map((column) => {
            const {
              label,
              numeric = false,
              hidden = false,
            } = typeof column === 'string' ? { label: column } : column;
            return (
              <th key={label} scope="col" className={numeric ? 'num' : undefined}>
                {hidden ? <span className="visually-hidden">{label}</span> : label}
              </th>
            );
          })}
        </tr>
      </thead>
      <tbody>
        {children}
        {empty === undefined ? null : (
          <tr>
            <td colSpan={columns.length}>{empty}</td>
          </tr>
        )}
      </tbody>
    </table>
  </div>
);
