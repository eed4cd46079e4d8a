import type { FieldViolation } from './errors.js';
import { checkGcsUri } from './gcs-uri.js';
import { parseModelName, parseVersionName } from './names.js';
import type { PredictionInput } from './prediction-input.js';

const PI = 'predictionInput';

/** What is wrong with a resource name, as its parser words it, or undefined. */
const nameProblem = (parse: (name: string) => unknown, name: string): string | undefined => {
  try {
    parse(name);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
};

/** What is wrong with an int64 field that must be positive, or undefined. */
const positiveProblem = (value: number | string | undefined): string | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1
    ? undefined
    : `must be a positive integer (got ${value})`;
};

/** The source of a batch prediction's model: which one of the three fields names it. */
const modelViolations = (input: PredictionInput): FieldViolation[] => {
  const given = (['modelName', 'versionName', 'uri'] as const).filter(
    (key) => input[key] !== undefined,
  );
  if (given.length !== 1) {
    return [
      {
        field: PI,
        description:
          given.length === 0
            ? 'needs a model: exactly one of modelName, versionName or uri'
            : `set exactly one of modelName, versionName or uri (got ${given.join(', ')})`,
      },
    ];
  }
  const problem =
    input.modelName !== undefined
      ? nameProblem(parseModelName, input.modelName)
      : input.versionName !== undefined
        ? nameProblem(parseVersionName, input.versionName)
        : checkGcsUri(input.uri ?? '');
  return problem === undefined ? [] : [{ field: `${PI}.${given[0] ?? ''}`, description: problem }];
};

/**
 * The rules of a `predictionInput` that need no storage or store: formats,
 * URIs, one model source, positive counts. Whether the inputs match objects,
 * the output path is free and the model exists is checked at submission.
 */
export const predictionInputViolations = (input: PredictionInput): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const report = (field: string, description: string): void => {
    violations.push({ field: `${PI}.${field}`, description });
  };
  if (input.dataFormat === 'TF_RECORD' || input.dataFormat === 'TF_RECORD_GZIP') {
    report(
      'dataFormat',
      `${input.dataFormat} is not supported; use JSON (JSON Lines), TEXT or CSV`,
    );
  } else if (input.dataFormat === 'DATA_FORMAT_UNSPECIFIED') {
    report('dataFormat', 'must be JSON (JSON Lines), TEXT or CSV');
  }
  input.inputPaths.forEach((path, i) => {
    const problem = checkGcsUri(path, { requireObjectPath: true });
    if (problem !== undefined) report(`inputPaths[${i}]`, problem);
  });
  const outputProblem = checkGcsUri(input.outputPath);
  if (outputProblem !== undefined) report('outputPath', outputProblem);
  violations.push(...modelViolations(input));
  for (const key of ['batchSize', 'maxWorkerCount'] as const) {
    const problem = positiveProblem(input[key]);
    if (problem !== undefined) report(key, problem);
  }
  return violations;
};
