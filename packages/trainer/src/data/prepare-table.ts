import { StratusError } from '@stratus/spec';
import type { DataContext, PreparedData, ResolvedDataOptions } from './data-options.js';
import { materialise, streamingSplit, type DataSplit, type SplitSource } from './data-split.js';
import { labelWidth } from '@stratus/bundle';
import { isValidationRow } from './split.js';
import { tableExamples, type TableFile } from './table-examples.js';
import { planTable } from './table-preprocessing.js';
import { detectTableFormat, type TableFormat } from './table-reader.js';
import { TableStats, type SplitAssigner } from './table-stats.js';

/** Distinct values a string column counts before forgetting the rarest. */
const COUNTER_CAPACITY_FACTOR = 10;

async function localTable(
  context: DataContext,
  uri: string,
  format: TableFormat | undefined,
): Promise<TableFile & { size: number }> {
  const cached = await context.cache.fetch(context.storage, uri, { signal: context.signal });
  return {
    path: cached.path,
    uri,
    format: format ?? (await detectTableFormat(cached.path, uri)),
    size: cached.stat.size,
  };
}

/** CSV / JSON Lines: pass 1 (statistics) now, pass 2 now (small data) or on every epoch (streamed). */
export async function prepareTable(
  options: ResolvedDataOptions,
  context: DataContext,
): Promise<PreparedData> {
  const { labelColumn } = options;
  const { signal } = context;
  if (labelColumn === undefined || labelColumn === '') {
    throw new StratusError('INVALID_JOB_SPEC', {
      detail: 'labelColumn is required for CSV and JSON Lines training data',
    });
  }
  const format = options.format === 'images' ? undefined : options.format;
  const trainFile = await localTable(context, options.trainingData, format);
  const validationFile =
    options.validationData === undefined
      ? undefined
      : await localTable(context, options.validationData, format);

  const { seed, validationSplit } = options;
  const hashed: SplitAssigner = (i) =>
    isValidationRow(seed, i, validationSplit) ? 'validation' : 'train';
  const trainAssign: SplitAssigner = validationFile === undefined ? hashed : () => 'train';
  const validationAssign: SplitAssigner = () => 'validation';

  const stats = new TableStats(
    {
      labelColumn,
      featureColumns: options.featureColumns,
      task: options.task,
      maxClasses: options.maxClasses,
      counterCapacity: Math.max(10_000, options.maxVocabulary * COUNTER_CAPACITY_FACTOR),
    },
    trainFile.uri,
  );
  await stats.scan(trainFile.path, trainFile.uri, trainFile.format, trainAssign, signal);
  if (validationFile !== undefined) {
    await stats.scan(
      validationFile.path,
      validationFile.uri,
      validationFile.format,
      validationAssign,
      signal,
    );
  }
  const { preprocessing, unknownLabel } = planTable(stats, trainFile.uri, options.maxVocabulary);
  const { inputShape } = preprocessing;
  const outputUnits = labelWidth(preprocessing.label);
  const trainRows = stats.counts.train;
  const validationRows = stats.counts.validation - unknownLabel;

  const source = (
    file: TableFile,
    assign: SplitAssigner,
    split: 'train' | 'validation',
    rows: number,
  ): SplitSource => ({
    rows,
    inputShape,
    outputUnits,
    blocks: () => tableExamples(file, preprocessing, assign, split, signal),
  });
  const trainSource = source(trainFile, trainAssign, 'train', trainRows);
  const validationSource =
    validationFile === undefined
      ? source(trainFile, trainAssign, 'validation', validationRows)
      : source(validationFile, validationAssign, 'validation', validationRows);

  const fileBytes = trainFile.size + (validationFile?.size ?? 0);
  const featurizedBytes = (trainRows + validationRows) * ((inputShape[0] ?? 0) + outputUnits) * 4;
  const inMemory = Math.max(fileBytes, featurizedBytes) <= options.inMemoryMaxBytes;
  const toSplit = async (s: SplitSource): Promise<DataSplit> =>
    inMemory ? materialise(s) : streamingSplit(s);

  const droppedRows = { missingLabel: stats.counts.missingLabel, unknownLabel };
  context.logger?.info(
    {
      uri: trainFile.uri,
      format: trainFile.format,
      trainRows,
      validationRows,
      droppedRows,
      inputs: inputShape[0],
      inMemory,
    },
    `Read ${trainRows} training and ${validationRows} validation rows; dropped ${droppedRows.missingLabel} without a label and ${unknownLabel} of unseen classes`,
  );
  return {
    preprocessing,
    inputShape,
    outputUnits,
    trainRows,
    validationRows,
    droppedRows,
    train: await toSplit(trainSource),
    ...(validationRows > 0 ? { validation: await toSplit(validationSource) } : {}),
    format: trainFile.format,
  };
}
