/** What the model made of one instance: its prediction, or why it has none. */
export type RowOutcome = { readonly prediction: unknown } | { readonly error: string };

/**
 * The model as a batch job sees it: one outcome per instance, in order. A
 * row's own fault (a value the model cannot take) is an `error` outcome; a
 * rejected promise means the model itself failed, and the shard fails with it.
 */
export type PredictRows = (instances: readonly unknown[]) => Promise<RowOutcome[]>;
