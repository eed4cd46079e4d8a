import {
  FeatureValueError,
  isMissing,
  labelWidth,
  quoteValue,
  toCategory,
  toNumber,
  typeOfValue,
  type LabelSpec,
} from '@stratus/bundle';

/** Encodes label values: a one-hot class, or a standardised target. */
export interface LabelWriter {
  readonly width: number;
  /** Writes the encoding; false when the row has no usable label (missing, or a class training never saw). */
  write(value: unknown, out: Float32Array, offset: number): boolean;
}

/** Compile a label spec into a writer; a non-numeric regression target throws FeatureValueError. */
export function compileLabelWriter(label: LabelSpec): LabelWriter {
  const width = labelWidth(label);
  if (label.kind === 'classification') {
    const index = new Map(label.classes.map((c, i) => [c, i]));
    return {
      width,
      write(value, out, offset) {
        if (isMissing(value)) return false;
        const key = toCategory(value);
        const slot = key === undefined ? undefined : index.get(key);
        if (slot === undefined) return false;
        out.fill(0, offset, offset + width);
        out[offset + slot] = 1;
        return true;
      },
    };
  }
  const { mean, std, name } = label;
  return {
    width,
    write(value, out, offset) {
      if (isMissing(value)) return false;
      const y = toNumber(value);
      if (Number.isNaN(y)) {
        const got = typeof value === 'string' ? quoteValue(value) : typeOfValue(value);
        throw new FeatureValueError(
          name,
          `is a regression target and must be a number, got ${got}`,
        );
      }
      out[offset] = (y - mean) / std;
      return true;
    },
  };
}
