import type { ColumnStats } from './column-stats.js';
import {
  type FeatureSpec,
  featureWidth,
  type LabelSpec,
  type Preprocessing,
} from '@stratus/bundle';
import { datasetError } from './dataset-error.js';
import { sortClasses } from './text.js';
import type { LabelStats } from './label-stats.js';
import type { TableStats } from './table-stats.js';

/** A table preprocessing and how many validation rows it must drop. */
export interface TablePlan {
  readonly preprocessing: Preprocessing;
  /** Labelled validation rows whose class no training row has. */
  readonly unknownLabel: number;
}

/** Turn pass-1 statistics into the preprocessing, refusing data a model cannot learn from. */
export function planTable(stats: TableStats, uri: string, maxVocabulary: number): TablePlan {
  const { counts } = stats;
  if (counts.train === 0) {
    throw datasetError(
      uri,
      counts.missingLabel === counts.records
        ? `every one of its ${counts.records} rows lacks a value in label column "${stats.label.name}"`
        : `the training split is empty: all ${counts.validation} labelled rows fell into the validation split`,
    );
  }
  const features = [...stats.features.values()].map((c) => featureSpec(c, maxVocabulary));
  const { label, unknownLabel } = labelSpec(stats.label, uri);
  const width = features.reduce((sum, f) => sum + featureWidth(f), 0);
  return { preprocessing: { version: 1, features, label, inputShape: [width] }, unknownLabel };
}

function featureSpec(column: ColumnStats, maxVocabulary: number): FeatureSpec {
  if (column.numeric) {
    const { moments } = column;
    return {
      kind: 'numeric',
      name: column.name,
      mean: moments.count > 0 ? moments.mean : 0,
      std: moments.std > 0 ? moments.std : 1,
      hasMissing: column.trainMissing > 0,
    };
  }
  const vocabulary = column.categories.top(maxVocabulary);
  return {
    kind: 'categorical',
    name: column.name,
    vocabulary,
    oov: vocabulary.length,
    missing: vocabulary.length + 1,
  };
}

function labelSpec(stats: LabelStats, uri: string): { label: LabelSpec; unknownLabel: number } {
  const { name } = stats;
  if (stats.task === 'regression') {
    const { mean, std, count } = stats.moments;
    if (std === 0) {
      throw datasetError(
        uri,
        `label column "${name}" is constant (all ${count} training rows are ${mean}); a regressor needs a target that varies`,
      );
    }
    return { label: { kind: 'regression', name, mean, std }, unknownLabel: 0 };
  }
  const classes = sortClasses(stats.trainClasses.keys());
  if (classes.length < 2) {
    throw datasetError(
      uri,
      `label column "${name}" has only one class (${JSON.stringify(classes[0] ?? '')}) in the training rows; a classifier needs at least two`,
    );
  }
  const known = new Set(classes);
  let unknownLabel = 0;
  for (const [value, count] of stats.validationClasses) {
    if (!known.has(value)) unknownLabel += count;
  }
  return { label: { kind: 'classification', name, classes }, unknownLabel };
}
