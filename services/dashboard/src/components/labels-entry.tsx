/** A job's labels as one `Labels` entry of an overview list (nothing when it has none). */
export const LabelsEntry = ({
  labels,
}: {
  labels: Readonly<Record<string, string>> | undefined;
}) =>
  labels === undefined ? null : (
    <>
      <dt>Labels</dt>
      <dd>
        {Object.entries(labels)
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}
      </dd>
    </>
  );
