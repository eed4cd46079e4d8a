import { ColumnStats } from './column-stats.js';
import { isMissing, toNumber } from '@stratus/bundle';
import { datasetError, describeRow } from './dataset-error.js';
import { LabelStats, type LabelTask } from './label-stats.js';
import { readTable, type TableFormat, type TableRow } from './table-reader.js';

/** Which split a row of a file belongs to, by its 0-based record index. */
export type SplitAssigner = (index: number) => 'train' | 'validation';

export interface TableStatsOptions {
  readonly labelColumn: string;
  /** Feature columns in input order; all columns but the label when absent. */
  readonly featureColumns?: readonly string[];
  readonly task: LabelTask;
  readonly maxClasses: number;
  /** Distinct values a categorical column counts before forgetting the rarest. */
  readonly counterCapacity: number;
}

/** Counts of one file's rows. */
export interface RowCounts {
  records: number;
  train: number;
  validation: number;
  missingLabel: number;
}

/**
 * Pass 1 over tables: accumulates column types, training-split moments and
 * value counts, and label statistics, in bounded memory. Call `scan` for the
 * training file, then again for a separate validation file, then read.
 */
export class TableStats {
  /** Every column seen, in first-seen order (the header for CSV). */
  readonly columns: string[] = [];
  private readonly seen = new Set<string>();
  /** Feature statistics by column name, in input order. */
  readonly features = new Map<string, ColumnStats>();
  readonly label: LabelStats;
  readonly counts: RowCounts = { records: 0, train: 0, validation: 0, missingLabel: 0 };
  /** Training rows of earlier files plus those of the file being scanned. */
  private trainSoFar = 0;
  /** After the training file: later files add no features and must have every feature column. */
  private frozen = false;

  constructor(
    private readonly options: TableStatsOptions,
    trainUri: string,
  ) {
    this.label = new LabelStats(options.labelColumn, options.task, options.maxClasses, trainUri);
    for (const name of options.featureColumns ?? []) this.addFeature(name);
  }

  /** Read one file through; rows go to the split `assign` says. Returns that file's counts. */
  async scan(
    path: string,
    uri: string,
    format: TableFormat,
    assign: SplitAssigner,
    signal?: AbortSignal,
  ): Promise<RowCounts> {
    const counts: RowCounts = { records: 0, train: 0, validation: 0, missingLabel: 0 };
    let header: readonly string[] | undefined;
    for await (const event of readTable(path, uri, format, signal)) {
      if (event.kind === 'header') {
        header = event.columns;
        this.noteColumns(header);
        this.checkColumns(uri, header);
        if (this.frozen) this.checkHasFeatures(uri, header);
        continue;
      }
      for (const row of event.rows) this.observeRow(row, uri, assign, counts, header === undefined);
    }
    if (header === undefined && counts.records === 0) {
      throw datasetError(uri, 'it is empty: no header and no rows');
    }
    if (counts.records === 0) throw datasetError(uri, 'it has a header but no data rows');
    if (header === undefined) this.checkColumns(uri, this.columns);
    for (const key of Object.keys(counts) as Array<keyof RowCounts>) {
      this.counts[key] += counts[key];
    }
    this.frozen = true;
    return counts;
  }

  private observeRow(
    row: TableRow,
    uri: string,
    assign: SplitAssigner,
    counts: RowCounts,
    discover: boolean,
  ): void {
    const { values } = row;
    counts.records += 1;
    if (discover) this.noteColumns(Object.keys(values));
    const labelValue = values[this.options.labelColumn];
    if (isMissing(labelValue)) {
      counts.missingLabel += 1;
      return;
    }
    const training = assign(row.row - 1) === 'train';
    this.label.observe(labelValue, training, row.row, row.line);
    if (training) {
      counts.train += 1;
      this.trainSoFar += 1;
    } else {
      counts.validation += 1;
    }
    for (const stats of this.features.values()) {
      if (stats.observe(values[stats.name], training) === 'nested') {
        throw datasetError(
          uri,
          `column "${stats.name}" holds a nested object or array at ${describeRow(row.row, row.line)}; features must be numbers or strings`,
        );
      }
    }
  }

  private noteColumns(names: readonly string[]): void {
    for (const name of names) {
      if (this.seen.has(name)) continue;
      this.seen.add(name);
      this.columns.push(name);
      const { featureColumns, labelColumn } = this.options;
      if (!this.frozen && featureColumns === undefined && name !== labelColumn) {
        const stats = this.addFeature(name);
        // Training rows before this column first appeared lacked it.
        stats.trainMissing = this.trainSoFar;
      }
    }
  }

  private addFeature(name: string): ColumnStats {
    const stats = new ColumnStats(name, this.options.counterCapacity);
    this.features.set(name, stats);
    return stats;
  }

  private checkHasFeatures(uri: string, header: readonly string[]): void {
    const absent = [...this.features.keys()].filter((name) => !header.includes(name));
    if (absent.length > 0) {
      throw datasetError(
        uri,
        `it lacks feature columns of the training data: ${absent.map((c) => `"${c}"`).join(', ')}`,
      );
    }
  }

  private checkColumns(uri: string, columns: readonly string[]): void {
    const { labelColumn, featureColumns } = this.options;
    const available = columns.map((c) => `"${c}"`).join(', ');
    if (!columns.includes(labelColumn)) {
      if (columns.some((c) => !Number.isNaN(toNumber(c)))) {
        throw datasetError(
          uri,
          `it has no header row: the first line (${columns.slice(0, 6).join(',')}) looks like data, not column names; the first line must name the columns, including label column "${labelColumn}"`,
        );
      }
      throw datasetError(
        uri,
        `label column "${labelColumn}" not found; available columns: ${available}`,
      );
    }
    if (featureColumns === undefined) {
      if (columns.length < 2) {
        throw datasetError(uri, `it has no feature columns besides label column "${labelColumn}"`);
      }
      return;
    }
    const unknown = featureColumns.filter((c) => !columns.includes(c));
    if (unknown.length > 0) {
      throw datasetError(
        uri,
        `featureColumns name unknown columns ${unknown.map((c) => `"${c}"`).join(', ')}; available columns: ${available}`,
      );
    }
    if (featureColumns.includes(labelColumn)) {
      throw datasetError(uri, `label column "${labelColumn}" cannot also be a feature column`);
    }
  }
}
