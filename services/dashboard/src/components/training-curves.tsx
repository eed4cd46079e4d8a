import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { MetricPoint } from '@stratus/spec';
import { UPlotChart, seriesColor } from './uplot-chart.js';

/** x = steps seen for `metric`; one y series per trial (null where it has no point). */
export const curveData = (
  points: readonly MetricPoint[],
  metric: string,
): { trials: string[]; data: uPlot.AlignedData } => {
  const byTrial = new Map<string, Map<number, number>>();
  const steps = new Set<number>();
  for (const point of points) {
    if (point.name !== metric) continue;
    steps.add(point.step);
    let series = byTrial.get(point.trialId);
    if (series === undefined) {
      series = new Map();
      byTrial.set(point.trialId, series);
    }
    series.set(point.step, point.value);
  }
  const xs = [...steps].sort((a, b) => a - b);
  const trials = [...byTrial.keys()].sort((a, b) => Number(a) - Number(b));
  const data: uPlot.AlignedData = [
    xs,
    ...trials.map((trial) => xs.map((x) => byTrial.get(trial)?.get(x) ?? null)),
  ];
  return { trials, data };
};

/** One metric per epoch, a line per trial, growing as points stream in. */
export const TrainingCurve = ({
  points,
  metric,
}: {
  points: readonly MetricPoint[];
  metric: string;
}) => {
  const { trials, data } = useMemo(() => curveData(points, metric), [points, metric]);
  const options = useMemo(
    (): Omit<uPlot.Options, 'width' | 'height'> => ({
      title: metric,
      scales: { x: { time: false } },
      axes: [{ label: 'epoch' }, { label: metric }],
      series: [
        { label: 'epoch' },
        ...trials.map((trial, i) => ({
          label: `trial ${trial}`,
          stroke: seriesColor(i),
          width: 2,
          spanGaps: true,
        })),
      ],
    }),
    [metric, trials],
  );
  return (
    <figure className="curve" data-metric={metric}>
      <UPlotChart
        options={options}
        optionsKey={`${metric}:${trials.join(',')}`}
        data={data}
        label={`${metric} per epoch for ${trials.length} trials`}
      />
    </figure>
  );
};
