import type { BuiltinAlgorithm } from './builtin-algorithm-schema.js';
import {
  BUILTIN_FIELD_SPECS,
  getBuiltinAlgorithm,
  type BuiltinAlgorithmDefinition,
  type BuiltinSetting,
} from './builtin-algorithms.js';
import { settingValueProblem } from './builtin-fields.js';
import type { FieldViolation } from './errors.js';
import { checkGcsUri } from './gcs-uri.js';

/** Semantic checks of `builtinAlgorithm` at `path` against its registry entry. */
export const builtinAlgorithmViolations = (
  algo: BuiltinAlgorithm,
  path: string,
): { violations: FieldViolation[]; definition: BuiltinAlgorithmDefinition | undefined } => {
  const violations: FieldViolation[] = [];
  const report = (field: string, description: string): void => {
    violations.push({ field, description });
  };
  const definition = getBuiltinAlgorithm(algo.name);
  if (definition === undefined) {
    report(`${path}.name`, `"${algo.name}" is not a built-in algorithm`);
    return { violations, definition };
  }
  for (const [key, value] of Object.entries(algo)) {
    if (value === undefined) continue;
    if (!definition.fields.includes(key)) {
      report(`${path}.${key}`, `is not a setting of ${algo.name}`);
    } else if (Object.hasOwn(BUILTIN_FIELD_SPECS, key)) {
      const problem = settingValueProblem(key as BuiltinSetting, value);
      if (problem !== undefined) report(`${path}.${key}`, problem);
    }
  }
  const trainingProblem = checkGcsUri(algo.trainingData, { requireObjectPath: true });
  if (trainingProblem !== undefined) report(`${path}.trainingData`, trainingProblem);
  if (algo.validationData !== undefined) {
    const problem = checkGcsUri(algo.validationData, { requireObjectPath: true });
    if (problem !== undefined) report(`${path}.validationData`, problem);
    if (algo.validationSplit !== undefined) {
      report(`${path}.validationSplit`, 'cannot be combined with validationData');
    }
  }
  if (definition.input === 'tabular') {
    if (algo.labelColumn === undefined) {
      report(`${path}.labelColumn`, `is required for ${algo.name}`);
    }
    algo.featureColumns?.forEach((column, k) => {
      if (column === algo.labelColumn) {
        report(`${path}.featureColumns[${k}]`, `"${column}" is the label column`);
      } else if (algo.featureColumns?.indexOf(column) !== k) {
        report(`${path}.featureColumns[${k}]`, `duplicate column "${column}"`);
      }
    });
  }
  return { violations, definition };
};
