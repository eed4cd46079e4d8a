import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { StratusError, schemaViolations } from '@stratus/spec';
import type { Frozen } from './frozen.js';
import {
  CategoricalFeatureSchema,
  ClassificationLabelSchema,
  ImageFeatureSchema,
  NumericFeatureSchema,
  PreprocessingSchema,
  RegressionLabelSchema,
} from './preprocessing.js';

/** `stratus.json`: what turns a raw feature object into a prediction with nothing else. */
export const StratusManifestSchema = Type.Object({
  format: Type.Literal('stratus-bundle'),
  version: Type.Literal(1),
  /** The built-in algorithm that trained the model. */
  algorithm: Type.String(),
  preprocessing: PreprocessingSchema,
  /** Final metrics of the trial (training and `val_` prefixed); JSON writes a NaN as null. */
  metrics: Type.Record(Type.String(), Type.Union([Type.Number(), Type.Null()])),
  /** The trial's hyperparameters, as Cloud ML reports them (strings). */
  hyperparameters: Type.Record(Type.String(), Type.String()),
  trainingData: Type.String(),
  epochs: Type.Integer({ minimum: 0 }),
  tfjsVersion: Type.String(),
  backend: Type.String(),
  createTime: Type.String(),
});
export type StratusManifest = Frozen<Static<typeof StratusManifestSchema>>;

export const MANIFEST_FILE = 'stratus.json';

/** The schema of each feature or label `kind`, to name the field a bad one gets wrong. */
const KIND_SCHEMAS: Readonly<Record<string, TSchema>> = {
  numeric: NumericFeatureSchema,
  categorical: CategoricalFeatureSchema,
  image: ImageFeatureSchema,
  classification: ClassificationLabelSchema,
  regression: RegressionLabelSchema,
};

/** The value at a field path such as `preprocessing.features[0]`. */
const valueAt = (value: unknown, field: string): unknown =>
  field
    .split(/[.[\]]+/)
    .filter((key) => key !== '')
    .reduce<unknown>(
      (parent, key) =>
        typeof parent === 'object' && parent !== null
          ? (parent as Record<string, unknown>)[key]
          : undefined,
      value,
    );

/**
 * The first schema violation in words. A feature or label that matches none of its kinds is
 * checked against the kind it names, so the message points into it (`….features[0].std must
 * be a number`) instead of saying it matches no kind.
 */
function firstViolation(value: unknown): string | undefined {
  const [first] = schemaViolations(StratusManifestSchema, value);
  if (first === undefined) return undefined;
  const item = valueAt(value, first.field);
  const kind = typeof item === 'object' && item !== null ? (item as { kind?: unknown }).kind : '';
  const variant = typeof kind === 'string' ? KIND_SCHEMAS[kind] : undefined;
  const [inner] = variant === undefined ? [] : schemaViolations(variant, item);
  return inner === undefined
    ? `field "${first.field}" ${first.description}`
    : `field "${first.field}.${inner.field}" ${inner.description}`;
}

/** What is wrong with a parsed manifest, in words, or undefined when nothing is. */
function manifestProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'is not an object';
  }
  const { format, version } = value as { format?: unknown; version?: unknown };
  // The two fields that say whether this is a bundle this code can read at all come first.
  if (format !== 'stratus-bundle') return 'has no "format": "stratus-bundle"';
  if (version !== 1) return `has unsupported version ${String(version)}`;
  return firstViolation(value);
}

/**
 * Parse and validate `stratus.json` against `StratusManifestSchema`; a
 * malformed one is BUNDLE_INVALID naming the problem (`uri` is what the
 * error says is invalid).
 */
export function parseManifest(uri: string, text: string): StratusManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new StratusError(
      'BUNDLE_INVALID',
      { uri, detail: `${MANIFEST_FILE} is not valid JSON` },
      { cause },
    );
  }
  const problem = manifestProblem(value);
  if (problem !== undefined) {
    throw new StratusError('BUNDLE_INVALID', { uri, detail: `${MANIFEST_FILE} ${problem}` });
  }
  return value as StratusManifest;
}
