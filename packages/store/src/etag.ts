/**
 * The etag the API shows for a stored `rev` (the per-resource counter every
 * change bumps): base64, as Cloud ML's etags are bytes in JSON.
 */
export const etagOf = (rev: string | undefined): string | undefined =>
  rev === undefined ? undefined : Buffer.from(`rev:${rev}`).toString('base64');
