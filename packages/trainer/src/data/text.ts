/** Text helpers of the training data pass: locale-free order, class order, detached slices. */

/** Code-unit order, independent of the locale, so sorted vocabularies and classes are reproducible. */
export const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sort class names: numerically when every one is a number, else in code-unit order. */
export function sortClasses(classes: Iterable<string>): string[] {
  const list = [...classes];
  const numeric = list.every((c) => c.trim() !== '' && Number.isFinite(Number(c)));
  return numeric
    ? list.sort((a, b) => Number(a) - Number(b) || compareText(a, b))
    : list.sort(compareText);
}

/**
 * A copy of `text` that does not pin the string it was sliced from: V8 keeps
 * a whole 1 MiB input chunk alive for any long slice of it stored in a map.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : Buffer.from(text, 'utf8').toString('utf8');
}
