/**
 * The serializable description of how raw examples become model inputs. A
 * model bundle's stratus.json embeds it, and `featurize` applies it to a raw
 * instance at prediction time, so training and serving share one recipe.
 */

import { compareText } from './values.js';

/** A number, standardised with the training split's mean and std; missing → mean, plus an indicator input when training had missing values. */
export interface NumericFeature {
  readonly kind: 'numeric';
  readonly name: string;
  readonly mean: number;
  /** Never 0 (a constant column gets 1). */
  readonly std: number;
  /** Adds a `<name>_missing` input (1 when missing, else 0). */
  readonly hasMissing: boolean;
}

/** A string one-hot encoded over `vocabulary`, then an out-of-vocabulary slot, then a missing-value slot. */
export interface CategoricalFeature {
  readonly kind: 'categorical';
  readonly name: string;
  readonly vocabulary: readonly string[];
  /** Slot for values not in the vocabulary (`vocabulary.length`). */
  readonly oov: number;
  /** Slot for missing values (`vocabulary.length + 1`). */
  readonly missing: number;
}

/** An image decoded, converted to `channels`, resized (bilinear) to height×width, scaled to [0, 1]. */
export interface ImageFeature {
  readonly kind: 'image';
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
}

export type FeatureSpec = NumericFeature | CategoricalFeature | ImageFeature;

/** Class `i` is output unit `i`; classes are sorted (numerically when all are numbers). */
export interface ClassificationLabel {
  readonly kind: 'classification';
  readonly name: string;
  readonly classes: readonly string[];
}

/** The model predicts `(y - mean) / std`; decode with `y = output * std + mean`. */
export interface RegressionLabel {
  readonly kind: 'regression';
  readonly name: string;
  readonly mean: number;
  readonly std: number;
}

export type LabelSpec = ClassificationLabel | RegressionLabel;

export interface Preprocessing {
  readonly version: 1;
  /** Table features in input order, or one image feature. */
  readonly features: readonly FeatureSpec[];
  readonly label: LabelSpec;
  /** Shape of one example's input: `[width]` for tables, `[height, width, channels]` for images. */
  readonly inputShape: readonly number[];
}

/** Name of the indicator input added for a numeric feature that had missing values. */
export const missingIndicatorName = (feature: string): string => `${feature}_missing`;

/** Number of inputs one feature contributes. */
export function featureWidth(feature: FeatureSpec): number {
  switch (feature.kind) {
    case 'numeric':
      return feature.hasMissing ? 2 : 1;
    case 'categorical':
      return feature.vocabulary.length + 2;
    case 'image':
      return feature.height * feature.width * feature.channels;
  }
}

/** Number of model outputs: one per class, or 1 for regression. */
export function labelWidth(label: LabelSpec): number {
  return label.kind === 'classification' ? label.classes.length : 1;
}

/** Sort class names: numerically when every one is a number, else in code-unit order. */
export function sortClasses(classes: Iterable<string>): string[] {
  const list = [...classes];
  const numeric = list.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  return numeric
    ? list.sort((a, b) => Number(a) - Number(b) || compareText(a, b))
    : list.sort(compareText);
}
