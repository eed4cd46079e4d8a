/** The `<option>`s of a select: one per value, shown as `label(value)` (the value itself by default). */
export const Options = <V extends string | number>({
  values,
  label = String,
}: {
  values: readonly V[];
  label?: (value: V) => string;
}) => (
  <>
    {values.map((value) => (
      <option key={value} value={value}>
        {label(value)}
      </option>
    ))}
  </>
);
