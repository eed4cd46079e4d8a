import type { CommandContext } from '../context.js';
import { formatCell } from '../output/fields.js';
import type { ColumnSpec } from '../output/printer.js';
import { formatMetric } from './metric-lines.js';

const roundNumbers = (value: unknown): unknown => {
  if (typeof value === 'number') return formatMetric(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundNumbers(v)]));
};

/**
 * Print predictions: `--format json` gives the API's `{"predictions": [...]}`;
 * by default a table whose columns are the predictions' keys (`LABEL`,
 * `PROBABILITIES`, or `VALUE`), or one JSON value a line for raw models.
 */
export const printPredictions = async (
  ctx: CommandContext,
  predictions: readonly unknown[],
): Promise<void> => {
  if (ctx.globals.format?.trim() === 'json') {
    ctx.printer.out(`${JSON.stringify({ predictions }, null, 2)}\n`);
    return;
  }
  const objects = predictions.every(
    (p) => typeof p === 'object' && p !== null && !Array.isArray(p),
  );
  if (!objects && !ctx.printer.explicitFormat) {
    for (const prediction of predictions) ctx.printer.out(`${JSON.stringify(prediction)}\n`);
    return;
  }
  const keys = [...new Set(predictions.flatMap((p) => (objects ? Object.keys(p as object) : [])))];
  // Probabilities to 4 significant digits in tables; json keeps every digit.
  const columns: ColumnSpec[] = keys.map((field) => ({
    field,
    cell: (item) => formatCell(roundNumbers((item as Record<string, unknown>)[field])),
  }));
  await ctx.printer.resources(predictions, { columns });
};
