import { Type, type Static } from '@sinclair/typebox';

/** One raw input feature of a deployed Stratus bundle, as a prediction form needs it. */
export const SignatureInputSchema = Type.Object({
  name: Type.String(),
  kind: Type.Union([Type.Literal('numeric'), Type.Literal('categorical'), Type.Literal('image')]),
  /** Categorical features: the values seen in training. */
  vocabulary: Type.Optional(Type.Array(Type.String())),
  /** Numeric features: the training mean (a sensible default value). */
  mean: Type.Optional(Type.Number()),
  /** Image features: one instance's `[height, width, channels]`. */
  shape: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }))),
});
export type SignatureInput = Static<typeof SignatureInputSchema>;

/**
 * What a version takes and returns (`GET …/versions/{v}/signature`), read
 * from its bundle's stratus.json; `format: "raw"` (no inputs listed) for a
 * plain tfjs model.
 */
export const VersionSignatureSchema = Type.Object({
  format: Type.Union([Type.Literal('stratus'), Type.Literal('raw')]),
  algorithm: Type.Optional(Type.String()),
  inputs: Type.Array(SignatureInputSchema),
  output: Type.Object({
    kind: Type.Union([
      Type.Literal('classification'),
      Type.Literal('regression'),
      Type.Literal('raw'),
    ]),
    /** Classification: the class labels. */
    classes: Type.Optional(Type.Array(Type.String())),
  }),
});
export type VersionSignature = Static<typeof VersionSignatureSchema>;
