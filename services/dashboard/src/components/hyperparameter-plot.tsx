import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { HyperparameterOutput, ParameterSpec } from '@stratus/spec';
import { UPlotChart } from './uplot-chart.js';

const dotsOnly = (): null => null;

/** One scatter per tuned parameter: its value (x) against the trial's objective (y). */
const ParameterScatter = ({
  param,
  trials,
  metric,
}: {
  param: ParameterSpec;
  trials: readonly HyperparameterOutput[];
  metric: string;
}) => {
  const categories = useMemo(
    () => (param.type === 'CATEGORICAL' ? (param.categoricalValues ?? []) : undefined),
    [param],
  );
  const data = useMemo((): uPlot.AlignedData => {
    const pairs = trials
      .filter((trial) => trial.finalMetric !== undefined)
      .map((trial) => {
        const raw = trial.hyperparameters[param.parameterName] ?? '';
        const x = categories === undefined ? Number(raw) : categories.indexOf(raw);
        return [x, trial.finalMetric?.objectiveValue ?? Number.NaN] as const;
      })
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
      .sort((a, b) => a[0] - b[0]);
    return [pairs.map(([x]) => x), pairs.map(([, y]) => y)];
  }, [trials, param.parameterName, categories]);
  const log = param.scaleType === 'UNIT_LOG_SCALE';
  const options = useMemo(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      title: param.parameterName,
      legend: { show: false },
      scales: {
        x: {
          time: false,
          ...(log ? { distr: 3 } : {}),
          ...(categories === undefined ? {} : { range: [-0.5, categories.length - 0.5] }),
        },
      },
      axes: [
        {
          label: param.parameterName,
          ...(categories === undefined
            ? {}
            : {
                splits: () => categories.map((_, i) => i),
                values: (_u: uPlot, splits: number[]) => splits.map((i) => categories[i] ?? ''),
              }),
        },
        { label: metric },
      ],
      series: [
        {},
        {
          label: metric,
          stroke: '#2563eb',
          fill: '#2563eb',
          paths: dotsOnly,
          points: { show: true, size: 9, fill: '#2563eb' },
        },
      ],
    }),
    [param.parameterName, metric, log, categories],
  );
  return (
    <UPlotChart
      options={options}
      optionsKey={`${param.parameterName}:${metric}:${String(log)}`}
      data={data}
      height={200}
      label={`${metric} against ${param.parameterName}`}
    />
  );
};

export const HyperparameterPlot = ({
  params,
  trials,
  metric,
}: {
  params: readonly ParameterSpec[];
  trials: readonly HyperparameterOutput[];
  metric: string;
}) => (
  <div className="scatter-grid">
    {params.map((param) => (
      <ParameterScatter key={param.parameterName} param={param} trials={trials} metric={metric} />
    ))}
  </div>
);
