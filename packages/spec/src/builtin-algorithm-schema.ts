import { Type, type Static } from '@sinclair/typebox';
import { BUILTIN_ALGORITHM_NAMES, OPTIMIZERS } from './builtin-algorithms.js';
import { StringEnum } from './string-enum.js';

/**
 * `trainingInput.builtinAlgorithm`: a declarative trainer. The schema fixes
 * the types; ranges and which fields each algorithm accepts are checked by the
 * job validator from the registry in builtin-algorithms.ts.
 */
export const BuiltinAlgorithmSchema = Type.Object(
  {
    name: StringEnum(BUILTIN_ALGORITHM_NAMES),
    /** CSV or JSON Lines object, or an image folder prefix (`gs://b/images/`). */
    trainingData: Type.String(),
    /** Held-out data; when absent, `validationSplit` of the training rows is held out. */
    validationData: Type.Optional(Type.String()),
    /** Tabular algorithms only. */
    labelColumn: Type.Optional(Type.String({ minLength: 1 })),
    /** Tabular algorithms only. @defaultValue every column but the label */
    featureColumns: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    /** @defaultValue 0.2 */
    validationSplit: Type.Optional(Type.Number()),
    epochs: Type.Optional(Type.Integer()),
    batchSize: Type.Optional(Type.Integer()),
    learningRate: Type.Optional(Type.Number()),
    /** DNN and image algorithms only. */
    hiddenUnits: Type.Optional(Type.Array(Type.Integer())),
    /** DNN and image algorithms only. */
    dropout: Type.Optional(Type.Number()),
    optimizer: Type.Optional(StringEnum(OPTIMIZERS)),
    l2: Type.Optional(Type.Number()),
    seed: Type.Optional(Type.Integer()),
    /** image_classifier only: `[height, width]` images are resized to. @defaultValue [28, 28] */
    imageSize: Type.Optional(Type.Array(Type.Integer())),
    /** image_classifier only: 1 (grayscale) or 3 (RGB). @defaultValue 1 */
    channels: Type.Optional(Type.Integer()),
    /** @defaultValue 1 */
    checkpointEveryEpochs: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);
export type BuiltinAlgorithm = Static<typeof BuiltinAlgorithmSchema>;
