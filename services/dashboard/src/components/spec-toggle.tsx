import { useState } from 'react';

/** A "Show spec" button that reveals `spec` (a job's input) as indented JSON. */
export const SpecToggle = ({ spec }: { spec: unknown }) => {
  const [shown, setShown] = useState(false);
  return (
    <>
      <button type="button" className="secondary small" onClick={() => setShown((s) => !s)}>
        {shown ? 'Hide spec' : 'Show spec'}
      </button>
      {shown ? <pre className="spec">{JSON.stringify(spec, null, 2)}</pre> : null}
    </>
  );
};
