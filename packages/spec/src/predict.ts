import { Type, type Static } from '@sinclair/typebox';

/** `POST …:predict` body (Cloud ML online prediction). */
export const PredictRequestSchema = Type.Object(
  {
    instances: Type.Array(Type.Unknown(), { minItems: 1 }),
    signature_name: Type.Optional(Type.String({ minLength: 1 })),
  },
  { $id: 'PredictRequest', additionalProperties: false },
);
export type PredictRequest = Static<typeof PredictRequestSchema>;

/** Built-in classifier output for one instance. */
export interface ClassificationPrediction {
  readonly label: string;
  readonly probabilities: Readonly<Record<string, number>>;
}

/** Built-in regressor output for one instance. */
export interface RegressionPrediction {
  readonly value: number;
}

/** Predictions in instance order; raw tfjs models give (nested) arrays. */
export const PredictResponseSchema = Type.Object(
  { predictions: Type.Array(Type.Unknown()) },
  { $id: 'PredictResponse' },
);
export type PredictResponse = Static<typeof PredictResponseSchema>;
