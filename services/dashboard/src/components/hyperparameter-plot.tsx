import { useMemo } from 'react';
import type uPlot from 'uplot';
import { parameterTree, type HyperparameterOutput, type ParameterSpec } from '@stratus/spec';
import { scatterPoints } from '../lib/trial-scatter.js';
import { UPlotChart } from './uplot-chart.js';

const dotsOnly = (): null => null;

/** One scatter per tuned parameter: its value (x) against the trial's objective (y), where it was active. */
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
    const pairs = scatterPoints(param, trials);
    return [pairs.map(([x]) => x), pairs.map(([, y]) => y)];
  }, [trials, param]);
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
    {parameterTree(params, 'params').map(({ param }) => (
      <ParameterScatter key={param.parameterName} param={param} trials={trials} metric={metric} />
    ))}
  </div>
);
