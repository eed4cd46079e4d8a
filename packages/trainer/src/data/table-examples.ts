import {
  compileRowWriter,
  FeatureValueError,
  isMissing,
  type Preprocessing,
} from '@stratus/bundle';
import { datasetError, describeRow } from './dataset-error.js';
import { compileLabelWriter } from './label-writer.js';
import type { ExampleBlock } from './example-blocks.js';
import { readTable, type TableFormat } from './table-reader.js';
import type { SplitAssigner } from './table-stats.js';

/** A table file on local disk. */
export interface TableFile {
  readonly path: string;
  readonly uri: string;
  readonly format: TableFormat;
}

/**
 * Pass 2 over a table: the featurized examples of one split, in file order,
 * one block per parsed chunk. Rows without a label, or whose class training
 * never saw, are skipped (pass 1 counted them).
 */
export async function* tableExamples(
  file: TableFile,
  preprocessing: Preprocessing,
  assign: SplitAssigner,
  split: 'train' | 'validation',
  signal?: AbortSignal,
): AsyncGenerator<ExampleBlock> {
  const rowWriter = compileRowWriter(preprocessing.features);
  const labelWriter = compileLabelWriter(preprocessing.label);
  const labelName = preprocessing.label.name;
  const xw = rowWriter.width;
  const yw = labelWriter.width;
  for await (const event of readTable(file.path, file.uri, file.format, signal)) {
    if (event.kind === 'header') continue;
    const xs = new Float32Array(event.rows.length * xw);
    const ys = new Float32Array(event.rows.length * yw);
    let count = 0;
    for (const row of event.rows) {
      const label = row.values[labelName];
      if (isMissing(label) || assign(row.row - 1) !== split) continue;
      try {
        if (!labelWriter.write(label, ys, count * yw)) continue;
        rowWriter.write(row.values, xs, count * xw);
      } catch (error) {
        if (error instanceof FeatureValueError) {
          throw datasetError(
            file.uri,
            `${describeRow(row.row, row.line)}: ${error.message}`,
            error,
          );
        }
        throw error;
      }
      count += 1;
    }
    if (count > 0) {
      yield { xs: xs.subarray(0, count * xw), ys: ys.subarray(0, count * yw), count };
    }
  }
}
