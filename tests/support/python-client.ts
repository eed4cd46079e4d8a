/**
 * Requests shaped as google-api-python-client sends them: its http.py headers, and the
 * standard system parameters it adds (`alt=json` on every call; `fields`, `prettyPrint`
 * and `$.xgafv` when the caller asks).
 */

/** The headers google-api-python-client sends (its http.py), with a bearer token. */
export const pythonHeaders = (token: string, body: boolean): Record<string, string> => ({
  accept: 'application/json',
  'accept-encoding': 'gzip, deflate',
  'user-agent': '(gzip)',
  'x-goog-api-client': 'gdcl/2.150.0 gl-python/3.11.9',
  authorization: `Bearer ${token}`,
  ...(body ? { 'content-type': 'application/json' } : {}),
});

/** The query google-api-python-client builds for a call with `fields` (and no other parameters). */
export const pythonQuery = (fields: string): string =>
  `?alt=json&prettyPrint=false&%24.xgafv=2&fields=${encodeURIComponent(fields)}`;
