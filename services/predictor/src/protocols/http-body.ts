import { StratusError } from '@stratus/spec';
import { readPredictJson } from './route-kit.js';

const invalid = (detail: string): StratusError =>
  new StratusError('INVALID_PREDICT_REQUEST', { detail });

/** Standard or URL-safe base64, as Google's JSON mapping writes `bytes`. */
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

const mediaType = (contentType: string): string =>
  (contentType.split(';')[0] ?? '').trim().toLowerCase();

/**
 * The predict request as Cloud ML's discovery document types it, `{httpBody: HttpBody}`,
 * which Google's generated clients (the googleapis Node client) send as typed: the JSON
 * request as base64 `data`, with its `contentType`. Such a body becomes the request it
 * carries, read as a plain body is (numeric instances packed); any other body is returned
 * as it is (the JSON request itself, as curl, gcloud and the Python client send it).
 */
export const unwrapHttpBody = (body: unknown): unknown => {
  if (typeof body !== 'object' || body === null || !('httpBody' in body)) return body;
  const beside = Object.keys(body).find((key) => key !== 'httpBody');
  if (beside !== undefined) {
    throw invalid(`${beside}: unknown field beside httpBody; send the request in httpBody.data`);
  }
  const { httpBody } = body;
  if (typeof httpBody !== 'object' || httpBody === null || Array.isArray(httpBody)) {
    throw invalid('httpBody: must be an object with "contentType" and "data"');
  }
  const { contentType, data, ...rest } = httpBody as Record<string, unknown>;
  const unknown = Object.keys(rest)[0];
  if (unknown !== undefined) {
    throw invalid(`httpBody.${unknown}: unknown field; send "contentType" and "data"`);
  }
  if (
    contentType !== undefined &&
    (typeof contentType !== 'string' || mediaType(contentType) !== 'application/json')
  ) {
    throw invalid(
      `httpBody.contentType: ${JSON.stringify(contentType)} is not supported; only "application/json" is`,
    );
  }
  if (typeof data !== 'string' || data.length === 0) {
    throw invalid('httpBody.data: is required: the JSON request, base64-encoded');
  }
  if (!BASE64.test(data)) throw invalid('httpBody.data: is not base64');
  try {
    return readPredictJson(Buffer.from(data, 'base64'));
  } catch (error) {
    if (error instanceof StratusError && error.reason === 'INVALID_JSON') {
      throw invalid(`httpBody.data: does not decode to JSON: ${error.message}`);
    }
    throw error;
  }
};
