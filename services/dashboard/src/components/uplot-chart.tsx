import { useEffect, useRef } from 'react';
import uPlot from 'uplot';

const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#be185d',
  '#4d7c0f',
];

/** A colour per series index. */
export const seriesColor = (index: number): string => PALETTE[index % PALETTE.length] ?? '#2563eb';

/**
 * A uPlot chart sized to its container. Options are fixed at mount (change
 * `optionsKey` to rebuild); data updates go through `setData`, which is what
 * keeps long live series cheap.
 */
export const UPlotChart = ({
  options,
  optionsKey,
  data,
  height = 240,
  label,
}: {
  options: Omit<uPlot.Options, 'width' | 'height'>;
  optionsKey: string;
  data: uPlot.AlignedData;
  height?: number;
  label: string;
}) => {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const element = container.current;
    if (element === null) return undefined;
    const chart = new uPlot(
      { ...options, width: Math.max(element.clientWidth, 200), height },
      latest.current,
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      chart.setSize({ width: Math.max(element.clientWidth, 200), height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = undefined;
    };
    // Rebuilt only when optionsKey changes; data goes through setData below.
  }, [optionsKey, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  let points = 0;
  for (const series of data.slice(1)) {
    for (const value of series as Iterable<number | null | undefined>)
      if (value != null) points += 1;
  }
  return (
    <div className="chart" ref={container} role="img" aria-label={label} data-points={points} />
  );
};
