/** Where one tar entry may be written, or why it may not. */
export type EntryPathCheck =
  | { readonly ok: true; readonly top: string; readonly relative: string }
  | { readonly ok: false; readonly reason: string };

/**
 * Checks a tar entry's path before anything touches the disk and strips its top-level folder
 * (`package/` in `npm pack` output). Refused: absolute paths, drive letters, backslashes, NUL
 * bytes and any `..` segment, even one that would stay inside (no entry needs it, and refusing
 * outright leaves nothing to get wrong). `relative` is '' for the top folder itself.
 */
export function checkEntryPath(raw: string): EntryPathCheck {
  if (raw.includes('\0')) return { ok: false, reason: 'contains a NUL byte' };
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    return { ok: false, reason: 'is an absolute path' };
  }
  if (raw.includes('\\')) return { ok: false, reason: 'contains a backslash' };
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ok: false, reason: 'climbs out with ".."' };
  const [top, ...rest] = segments;
  if (top === undefined) return { ok: false, reason: 'has an empty path' };
  return { ok: true, top, relative: rest.join('/') };
}
