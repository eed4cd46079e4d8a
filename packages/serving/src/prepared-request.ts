import type { HostTensor } from './signature.js';

/** One request's rows, validated and featurized: one row-major array per model input. */
export interface PreparedRequest {
  readonly rows: number;
  readonly inputs: readonly (Float32Array | Int32Array)[];
  /** Each input's shape for one row. */
  readonly rowShapes: readonly (readonly number[])[];
  /** Requests merge only with requests of the same key (equal row shapes). */
  readonly shapeKey: string;
}

/** One request's outputs, batch dimension first (`rows`). */
export interface RequestOutputs {
  readonly rows: number;
  readonly outputs: readonly HostTensor[];
}
