import { Type, type Static } from '@sinclair/typebox';
import type { FieldViolation } from './errors.js';
import { childPath } from './field-path.js';

/** User labels on jobs, models and versions (Cloud ML rules, checked by {@link checkLabels}). */
export const LabelsSchema = Type.Record(Type.String(), Type.String(), {
  description:
    'Keys: lowercase letter first, then lowercase letters, digits, "_" or "-"; ≤ 63 chars.',
});
export type Labels = Static<typeof LabelsSchema>;

export const MAX_LABELS = 64;
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/** Violations of Cloud ML's label rules, with `path` as the labels field (e.g. `labels`). */
export const checkLabels = (labels: Labels | undefined, path: string): FieldViolation[] => {
  if (labels === undefined) return [];
  const violations: FieldViolation[] = [];
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) {
    violations.push({ field: path, description: `must have at most ${MAX_LABELS} labels` });
  }
  for (const [key, value] of entries) {
    const field = childPath(path, key);
    if (!LABEL_KEY.test(key)) {
      violations.push({
        field,
        description: `label key "${key}" must start with a lowercase letter and contain only lowercase letters, digits, "_" and "-" (at most 63 characters)`,
      });
    } else if (!LABEL_VALUE.test(value)) {
      violations.push({
        field,
        description: `label value "${value}" may contain only lowercase letters, digits, "_" and "-" (at most 63 characters)`,
      });
    }
  }
  return violations;
};
