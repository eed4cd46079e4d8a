/** A job, trial or version state with its colour. */
export const StateBadge = ({ state }: { state: string }) => (
  <span className={`badge state-${state.toLowerCase()}`}>{state}</span>
);
