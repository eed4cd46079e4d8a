import { describe, expect, it } from 'vitest';
import { consumedMLUnits, mlUnitsPerHour } from './ml-units.js';
import type { TrainingInput } from './training-input.js';

const hour = (start: string, end: string) => ({
  startTime: `2024-01-01T${start}:00.000Z`,
  endTime: `2024-01-01T${end}:00.000Z`,
});

describe('consumedMLUnits', () => {
  it('is the ended trials’ run time in hours × the tier’s units per hour', () => {
    const trials = [hour('00:00', '01:30'), hour('02:00', '02:30'), { startTime: 'x' }];
    expect(consumedMLUnits({ scaleTier: 'BASIC' }, trials)).toBe(2);
    expect(consumedMLUnits({ scaleTier: 'STANDARD_1' }, trials)).toBe(20);
    expect(consumedMLUnits({ scaleTier: 'PREMIUM_1' }, trials)).toBe(150);
    expect(consumedMLUnits({ scaleTier: 'BASIC_GPU' }, trials)).toBe(6);
    expect(consumedMLUnits({}, [hour('00:00', '00:01')])).toBe(0.0167);
    expect(consumedMLUnits({}, [])).toBe(0);
  });

  it('charges CUSTOM 1 on a CPU and 3 per accelerator on a GPU', () => {
    const custom = (extra: Partial<TrainingInput>): TrainingInput => ({
      scaleTier: 'CUSTOM',
      ...extra,
    });
    expect(mlUnitsPerHour(custom({ masterType: 'n1-standard-4' }))).toBe(1);
    expect(mlUnitsPerHour(custom({ masterType: 'standard_gpu' }))).toBe(3);
    expect(
      mlUnitsPerHour(
        custom({ masterConfig: { acceleratorConfig: { count: '2', type: 'NVIDIA_TESLA_T4' } } }),
      ),
    ).toBe(6);
  });
});
