import { Type, type Static } from '@sinclair/typebox';
import type { FieldViolation } from './errors.js';

/**
 * Cloud ML's online prediction machine types. Stratus records the one a
 * version names (a predictor replica runs every version it serves, so the
 * type does not pick hardware); docs/operations.md says how to size
 * predictor pods to match.
 */
export const MACHINE_TYPES = [
  'mls1-c1-m2',
  'mls1-c4-m2',
  'n1-standard-2',
  'n1-standard-4',
  'n1-standard-8',
  'n1-standard-16',
  'n1-standard-32',
  'n1-highmem-2',
  'n1-highmem-4',
  'n1-highmem-8',
  'n1-highmem-16',
  'n1-highmem-32',
  'n1-highcpu-2',
  'n1-highcpu-4',
  'n1-highcpu-8',
  'n1-highcpu-16',
  'n1-highcpu-32',
] as const;

/** Scale between minNodes and maxNodes replicas (a hint for the predictor's autoscaler). */
export const AutoScalingSchema = Type.Object(
  {
    minNodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    maxNodes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  },
  { additionalProperties: false },
);
export type AutoScaling = Static<typeof AutoScalingSchema>;

/** Run a fixed number of replicas (a hint for the predictor's deployment). */
export const ManualScalingSchema = Type.Object(
  { nodes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })) },
  { additionalProperties: false },
);
export type ManualScaling = Static<typeof ManualScalingSchema>;

/** What a version says about its serving replicas. */
export interface VersionScaling {
  readonly machineType?: string;
  readonly autoScaling?: AutoScaling;
  readonly manualScaling?: ManualScaling;
}

/** Violations of the scaling rules: one of autoScaling and manualScaling, min ≤ max, a known machine type. */
export const checkVersionScaling = (version: VersionScaling): FieldViolation[] => {
  const violations: FieldViolation[] = [];
  if (version.autoScaling !== undefined && version.manualScaling !== undefined) {
    violations.push({
      field: 'manualScaling',
      description: 'set either autoScaling or manualScaling, not both',
    });
  }
  const { minNodes, maxNodes } = version.autoScaling ?? {};
  if (minNodes !== undefined && maxNodes !== undefined && minNodes > maxNodes) {
    violations.push({
      field: 'autoScaling.maxNodes',
      description: `must be at least minNodes (${minNodes})`,
    });
  }
  const machineType = version.machineType;
  if (
    machineType !== undefined &&
    !MACHINE_TYPES.some((candidate: string) => candidate === machineType)
  ) {
    violations.push({
      field: 'machineType',
      description: `"${machineType}" is not a Cloud ML prediction machine type; use one of ${MACHINE_TYPES.join(', ')}`,
    });
  }
  return violations;
};
