import { fieldError, type PredictionDataFormat } from '@stratus/spec';

/** The input formats a batch prediction job reads. */
export const BATCH_DATA_FORMATS = ['JSON', 'TEXT', 'CSV'] as const;
export type BatchDataFormat = (typeof BATCH_DATA_FORMATS)[number];

const isBatchFormat = (format: string): format is BatchDataFormat =>
  (BATCH_DATA_FORMATS as readonly string[]).includes(format);

/**
 * `dataFormat` as one this package reads; throws INVALID_JOB_SPEC naming
 * `predictionInput.dataFormat` for TF_RECORD, TF_RECORD_GZIP (no maintained
 * TFRecord reader for Node) and DATA_FORMAT_UNSPECIFIED.
 */
export const checkDataFormat = (format: PredictionDataFormat): BatchDataFormat => {
  if (isBatchFormat(format)) return format;
  const supported = `supported formats are ${BATCH_DATA_FORMATS.join(', ')}`;
  const description =
    format === 'DATA_FORMAT_UNSPECIFIED'
      ? `must be set; ${supported}`
      : `${format} is not supported (Stratus has no TFRecord reader); ${supported}`;
  throw fieldError('INVALID_JOB_SPEC', 'predictionInput.dataFormat', description);
};
