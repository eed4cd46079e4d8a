/** The label flags of an `update` command, as commander parsed them. */
export interface LabelUpdateFlags {
  readonly updateLabels?: Record<string, string>;
  readonly removeLabels?: readonly string[];
  readonly clearLabels?: boolean;
}

/** Whether any label flag was given (so `labels` joins the update mask). */
export const changesLabels = (flags: LabelUpdateFlags): boolean =>
  flags.updateLabels !== undefined ||
  flags.removeLabels !== undefined ||
  flags.clearLabels === true;

/** The labels after the flags, as gcloud applies them: clear, then remove, then update. */
export const updatedLabels = (
  current: Readonly<Record<string, string>> | undefined,
  flags: LabelUpdateFlags,
): Record<string, string> => {
  const labels: Record<string, string> = flags.clearLabels === true ? {} : { ...current };
  for (const key of flags.removeLabels ?? []) delete labels[key];
  return { ...labels, ...flags.updateLabels };
};
