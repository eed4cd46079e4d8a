/** The value at a field path such as `trainingOutput.trials[0].trialId`, or undefined. */
export const getField = (value: unknown, path: string): unknown => {
  let current = value;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (current === undefined || current === null) return undefined;
    const index = /^\[(\d+)\]$/.exec(part);
    if (index !== null) {
      current = Array.isArray(current) ? (current[Number(index[1])] as unknown) : undefined;
    } else {
      current =
        typeof current === 'object' ? (current as Record<string, unknown>)[part] : undefined;
    }
  }
  return current;
};

/** A value as one table or `value()` cell: lists joined by `;`, maps as `k=v` pairs. */
export const formatCell = (value: unknown): string => {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(formatCell).join(';');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.every(([, v]) => typeof v !== 'object' || v === null)
      ? entries.map(([k, v]) => `${k}=${formatCell(v)}`).join(',')
      : JSON.stringify(value);
  }
  return String(value);
};

/** `trainingOutput.bestTrialId` → `BEST_TRIAL_ID`: gcloud's header for a field. */
export const headerFor = (path: string): string => {
  const last = path.split('.').pop() ?? path;
  return last
    .replace(/\[\d+\]/g, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase();
};
