/**
 * The serializable description of how raw examples become model inputs. A
 * model bundle's stratus.json embeds it, and `featurize` applies it to a raw
 * instance at prediction time, so training and serving share one recipe.
 */

import { Type, type Static } from '@sinclair/typebox';
import type { Frozen } from './frozen.js';

/** A number, standardised with the training split's mean and std; missing → mean, plus an indicator input when training had missing values. */
export const NumericFeatureSchema = Type.Object({
  kind: Type.Literal('numeric'),
  name: Type.String(),
  mean: Type.Number(),
  /** Never 0 (a constant column gets 1). */
  std: Type.Number(),
  /** Adds a `<name>_missing` input (1 when missing, else 0). */
  hasMissing: Type.Boolean(),
});
export type NumericFeature = Frozen<Static<typeof NumericFeatureSchema>>;

/** A string one-hot encoded over `vocabulary`, then an out-of-vocabulary slot, then a missing-value slot. */
export const CategoricalFeatureSchema = Type.Object({
  kind: Type.Literal('categorical'),
  name: Type.String(),
  vocabulary: Type.Array(Type.String()),
  /** Slot for values not in the vocabulary (`vocabulary.length`). */
  oov: Type.Integer({ minimum: 0 }),
  /** Slot for missing values (`vocabulary.length + 1`). */
  missing: Type.Integer({ minimum: 0 }),
});
export type CategoricalFeature = Frozen<Static<typeof CategoricalFeatureSchema>>;

/** An image decoded, converted to `channels`, resized (bilinear) to height×width, scaled to [0, 1]. */
export const ImageFeatureSchema = Type.Object({
  kind: Type.Literal('image'),
  name: Type.String(),
  height: Type.Integer({ minimum: 1 }),
  width: Type.Integer({ minimum: 1 }),
  channels: Type.Union([Type.Literal(1), Type.Literal(3)]),
});
export type ImageFeature = Frozen<Static<typeof ImageFeatureSchema>>;

export const FeatureSpecSchema = Type.Union([
  NumericFeatureSchema,
  CategoricalFeatureSchema,
  ImageFeatureSchema,
]);
export type FeatureSpec = NumericFeature | CategoricalFeature | ImageFeature;

/** Class `i` is output unit `i`; classes are sorted (numerically when all are numbers). */
export const ClassificationLabelSchema = Type.Object({
  kind: Type.Literal('classification'),
  name: Type.String(),
  classes: Type.Array(Type.String()),
});
export type ClassificationLabel = Frozen<Static<typeof ClassificationLabelSchema>>;

/** The model predicts `(y - mean) / std`; decode with `y = output * std + mean`. */
export const RegressionLabelSchema = Type.Object({
  kind: Type.Literal('regression'),
  name: Type.String(),
  mean: Type.Number(),
  std: Type.Number(),
});
export type RegressionLabel = Frozen<Static<typeof RegressionLabelSchema>>;

export const LabelSpecSchema = Type.Union([ClassificationLabelSchema, RegressionLabelSchema]);
export type LabelSpec = ClassificationLabel | RegressionLabel;

export const PreprocessingSchema = Type.Object({
  version: Type.Literal(1),
  /** Table features in input order, or one image feature. */
  features: Type.Array(FeatureSpecSchema),
  label: LabelSpecSchema,
  /** Shape of one example's input: `[width]` for tables, `[height, width, channels]` for images. */
  inputShape: Type.Array(Type.Integer({ minimum: 1 })),
});
export type Preprocessing = Frozen<Static<typeof PreprocessingSchema>>;

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
