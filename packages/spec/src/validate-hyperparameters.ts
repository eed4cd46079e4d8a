import {
  BUILTIN_FIELD_SPECS,
  METRIC_GOALS,
  isBuiltinMetricName,
  type BuiltinAlgorithmDefinition,
  type TunableField,
} from './builtin-algorithms.js';
import { parseSettingValue, settingValueProblem } from './builtin-fields.js';
import { automatedStoppingViolations } from './automated-stopping.js';
import type { FieldViolation } from './errors.js';
import type { HyperparameterSpec, ParameterSpec } from './hyperparameters.js';
import { ID_RULE, isValidId } from './names.js';
import { conditionalViolations, parameterTree } from './validate-conditional.js';

/** Parameter names become `--name=value` flags for custom trainers, so keep them flag-safe. */
const PARAMETER_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,127}$/;
const LOG_SCALES = new Set(['UNIT_LOG_SCALE', 'UNIT_REVERSE_LOG_SCALE']);

type Report = (field: string, description: string) => void;

const checkBounds = (param: ParameterSpec, p: string, report: Report): void => {
  const { type, minValue, maxValue } = param;
  if (type !== 'DOUBLE' && type !== 'INTEGER') {
    if (minValue !== undefined)
      report(`${p}.minValue`, `is only for DOUBLE and INTEGER, not ${type}`);
    if (maxValue !== undefined)
      report(`${p}.maxValue`, `is only for DOUBLE and INTEGER, not ${type}`);
    return;
  }
  if (minValue === undefined) report(`${p}.minValue`, `is required for type ${type}`);
  if (maxValue === undefined) report(`${p}.maxValue`, `is required for type ${type}`);
  if (type === 'INTEGER') {
    if (minValue !== undefined && !Number.isInteger(minValue)) {
      report(`${p}.minValue`, `must be an integer for type INTEGER (got ${minValue})`);
    }
    if (maxValue !== undefined && !Number.isInteger(maxValue)) {
      report(`${p}.maxValue`, `must be an integer for type INTEGER (got ${maxValue})`);
    }
  }
  if (minValue !== undefined && maxValue !== undefined && minValue >= maxValue) {
    report(`${p}.minValue`, `minValue (${minValue}) must be less than maxValue (${maxValue})`);
  }
  if (param.scaleType !== undefined && LOG_SCALES.has(param.scaleType)) {
    if (minValue !== undefined && minValue <= 0) {
      report(`${p}.minValue`, `${param.scaleType} requires minValue > 0 (got ${minValue})`);
    }
  }
};

const checkValueLists = (param: ParameterSpec, p: string, report: Report): void => {
  const { type, discreteValues, categoricalValues } = param;
  if (type === 'DISCRETE') {
    if (discreteValues === undefined || discreteValues.length === 0) {
      report(`${p}.discreteValues`, 'must list at least one value for type DISCRETE');
    }
    discreteValues?.forEach((value, k) => {
      const previous = discreteValues[k - 1];
      if (previous !== undefined && value <= previous) {
        report(
          `${p}.discreteValues[${k}]`,
          `must be strictly increasing: ${value} follows ${previous}`,
        );
      }
      if (param.scaleType !== undefined && LOG_SCALES.has(param.scaleType) && value <= 0) {
        report(
          `${p}.discreteValues[${k}]`,
          `${param.scaleType} requires values > 0 (got ${value})`,
        );
      }
    });
  } else if (discreteValues !== undefined) {
    report(`${p}.discreteValues`, `is only for DISCRETE, not ${type}`);
  }
  if (type === 'CATEGORICAL') {
    if (categoricalValues === undefined || categoricalValues.length === 0) {
      report(`${p}.categoricalValues`, 'must list at least one value for type CATEGORICAL');
    }
    categoricalValues?.forEach((value, k) => {
      const first = categoricalValues.indexOf(value);
      if (first !== k)
        report(`${p}.categoricalValues[${k}]`, `duplicate value "${value}" (also at [${first}])`);
    });
    if (param.scaleType !== undefined && param.scaleType !== 'NONE') {
      report(`${p}.scaleType`, `does not apply to CATEGORICAL parameters (got ${param.scaleType})`);
    }
  } else if (categoricalValues !== undefined) {
    report(`${p}.categoricalValues`, `is only for CATEGORICAL, not ${type}`);
  }
};

/** A tuned built-in field: the parameter type must fit it and every value must be in range. */
const checkTunable = (
  param: ParameterSpec,
  p: string,
  algorithm: BuiltinAlgorithmDefinition,
  report: Report,
): void => {
  const name = param.parameterName;
  if (!(algorithm.tunable as readonly string[]).includes(name)) {
    report(
      `${p}.parameterName`,
      `${algorithm.name} has no tunable field "${name}"; it tunes ${algorithm.tunable.join(', ')}`,
    );
    return;
  }
  const field = name as TunableField;
  const spec = BUILTIN_FIELD_SPECS[field];
  const numeric = spec.type === 'number';
  if (spec.type === 'enum' && param.type !== 'CATEGORICAL') {
    report(`${p}.type`, `${name} takes one of ${spec.values.join(', ')}: use CATEGORICAL`);
    return;
  }
  if (!numeric && param.type === 'DOUBLE') {
    report(`${p}.type`, `${name} takes integers: use INTEGER, DISCRETE or CATEGORICAL, not DOUBLE`);
    return;
  }
  // A single number for hiddenUnits means one hidden layer of that width.
  const asValue = (v: number): number | number[] => (spec.type === 'integerList' ? [v] : v);
  const checkNumber = (fieldPath: string, v: number | undefined): void => {
    if (v === undefined || spec.type === 'enum') return;
    const problem = settingValueProblem(field, asValue(v));
    if (problem !== undefined) report(fieldPath, `${name} ${problem}`);
  };
  checkNumber(`${p}.minValue`, param.minValue);
  checkNumber(`${p}.maxValue`, param.maxValue);
  param.discreteValues?.forEach((v, k) => checkNumber(`${p}.discreteValues[${k}]`, v));
  param.categoricalValues?.forEach((raw, k) => {
    const parsed = parseSettingValue(field, raw);
    if ('problem' in parsed) report(`${p}.categoricalValues[${k}]`, `${name} ${parsed.problem}`);
  });
};

const checkObjective = (
  spec: HyperparameterSpec,
  path: string,
  algorithm: BuiltinAlgorithmDefinition | undefined,
  report: Report,
): void => {
  const explicitGoal = spec.goal === 'MAXIMIZE' || spec.goal === 'MINIMIZE' ? spec.goal : undefined;
  if (algorithm === undefined) {
    if (explicitGoal === undefined) {
      report(`${path}.goal`, 'is required for custom packages: MAXIMIZE or MINIMIZE');
    }
    return;
  }
  const tag = spec.hyperparameterMetricTag ?? algorithm.defaultMetricTag;
  if (!isBuiltinMetricName(tag) || !algorithm.metrics.includes(tag)) {
    report(
      `${path}.hyperparameterMetricTag`,
      `${algorithm.name} reports ${algorithm.metrics.join(', ')}, not "${tag}"`,
    );
    return;
  }
  if (explicitGoal !== undefined && explicitGoal !== METRIC_GOALS[tag]) {
    const better = METRIC_GOALS[tag] === 'MINIMIZE' ? 'lower' : 'higher';
    report(
      `${path}.goal`,
      `${tag} is better when ${better}: goal must be ${METRIC_GOALS[tag]}, not ${explicitGoal}`,
    );
  }
};

/**
 * Semantic checks of a schema-valid HyperparameterSpec at `path`; with a
 * built-in algorithm, parameter names and values are checked against what it
 * can tune.
 */
export const hyperparameterViolations = (
  spec: HyperparameterSpec,
  path: string,
  algorithm?: BuiltinAlgorithmDefinition,
): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  const report: Report = (field, description) => violations.push({ field, description });
  if (spec.params.length === 0) report(`${path}.params`, 'must list at least one parameter');
  for (const { param, path: p } of parameterTree(spec.params, `${path}.params`)) {
    const name = param.parameterName;
    if (!PARAMETER_NAME.test(name)) {
      report(
        `${p}.parameterName`,
        `"${name}" must start with a letter and contain only letters, digits, "_" and "-"`,
      );
    }
    checkBounds(param, p, report);
    checkValueLists(param, p, report);
    if (spec.algorithm === 'GRID_SEARCH' && param.type === 'DOUBLE') {
      report(
        `${p}.type`,
        'GRID_SEARCH cannot enumerate a continuous DOUBLE range; use DISCRETE or INTEGER',
      );
    }
    if (algorithm !== undefined) checkTunable(param, p, algorithm, report);
  }
  violations.push(...conditionalViolations(spec.params, path));
  const maxTrials = spec.maxTrials ?? 1;
  if (maxTrials < 1) report(`${path}.maxTrials`, `must be at least 1 (got ${maxTrials})`);
  const parallel = spec.maxParallelTrials;
  if (parallel !== undefined && parallel < 1) {
    report(`${path}.maxParallelTrials`, `must be at least 1 (got ${parallel})`);
  } else if (parallel !== undefined && maxTrials >= 1 && parallel > maxTrials) {
    report(
      `${path}.maxParallelTrials`,
      `${parallel} exceeds maxTrials (${maxTrials}${spec.maxTrials === undefined ? ', the default' : ''})`,
    );
  }
  if (spec.resumePreviousJobId !== undefined && !isValidId(spec.resumePreviousJobId)) {
    report(`${path}.resumePreviousJobId`, `"${spec.resumePreviousJobId}" ${ID_RULE}`);
  }
  checkObjective(spec, path, algorithm, report);
  if (spec.automatedStoppingConfig !== undefined) {
    violations.push(
      ...automatedStoppingViolations(
        spec.automatedStoppingConfig,
        `${path}.automatedStoppingConfig`,
        spec.enableTrialEarlyStopping,
      ),
    );
  }
  return violations;
};
