/** The auth matrix of every prediction route (as the all-in-one server documents them). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScaleModel } from '@stratus/serving/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from './predictor.test-support.js';

let f: PredictorFixture;
let server: TestServer;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/scale/1', 1);
  server = await f.serve();
  expect((await f.deploy('m', 'v1', 'gs://demo/scale/1')).state).toBe('READY');
}, 60_000);
afterAll(() => f.close());

type Caller = 'none' | 'bad' | 'viewer' | 'editor' | 'other' | 'admin';
const CALLERS: readonly Caller[] = ['none', 'bad', 'viewer', 'editor', 'other', 'admin'];
/** Kubernetes probes: no token needed (a bad one is not even looked at). */
const OPEN = { none: 200, bad: 200, viewer: 200, editor: 200, other: 200, admin: 200 };
const ANY_TOKEN = { none: 401, bad: 401, viewer: 200, editor: 200, other: 200, admin: 200 };
const READ = { none: 401, bad: 401, viewer: 200, editor: 200, other: 404, admin: 200 };
const WRITE = { none: 401, bad: 401, viewer: 403, editor: 200, other: 404, admin: 200 };
/** classify/regress on a raw model: authorized callers get the 400 that says it is not a Stratus model. */
const WRITE_RAW = { ...WRITE, editor: 400, admin: 400 };

const instances = { instances: [[1, 2]] };
const examples = { examples: [{ x: 1 }] };
const tensors = { inputs: [{ name: 'xy', shape: [1, 2], datatype: 'FP32', data: [1, 2] }] };

/** Operation as /openapi.json names it → the request and who may make it. */
const ROWS: ReadonlyArray<readonly [string, string, unknown, Readonly<Record<Caller, number>>]> = [
  [
    'POST /v1/projects/{project}/models/{model}:predict',
    '/v1/projects/default/models/m:predict',
    instances,
    WRITE,
  ],
  [
    'POST /v1/projects/{project}/models/{model}/versions/{version}:predict',
    '/v1/projects/default/models/m/versions/v1:predict',
    instances,
    WRITE,
  ],
  ['GET /v1/models/{model}', '/v1/models/m', undefined, READ],
  ['GET /v1/models/{model}/versions/{version}', '/v1/models/m/versions/v1', undefined, READ],
  ['GET /v1/models/{model}/metadata', '/v1/models/m/metadata', undefined, READ],
  [
    'GET /v1/models/{model}/versions/{version}/metadata',
    '/v1/models/m/versions/v1/metadata',
    undefined,
    READ,
  ],
  ['POST /v1/models/{model}:predict', '/v1/models/m:predict', instances, WRITE],
  [
    'POST /v1/models/{model}/versions/{version}:predict',
    '/v1/models/m/versions/v1:predict',
    instances,
    WRITE,
  ],
  ['POST /v1/models/{model}:classify', '/v1/models/m:classify', examples, WRITE_RAW],
  [
    'POST /v1/models/{model}/versions/{version}:classify',
    '/v1/models/m/versions/v1:classify',
    examples,
    WRITE_RAW,
  ],
  ['POST /v1/models/{model}:regress', '/v1/models/m:regress', examples, WRITE_RAW],
  [
    'POST /v1/models/{model}/versions/{version}:regress',
    '/v1/models/m/versions/v1:regress',
    examples,
    WRITE_RAW,
  ],
  ['GET /v1/models/{model}/labels/{label}', '/v1/models/m/labels/stable', undefined, READ],
  [
    'GET /v1/models/{model}/labels/{label}/metadata',
    '/v1/models/m/labels/stable/metadata',
    undefined,
    READ,
  ],
  [
    'POST /v1/models/{model}/labels/{label}:predict',
    '/v1/models/m/labels/stable:predict',
    instances,
    WRITE,
  ],
  [
    'POST /v1/models/{model}/labels/{label}:classify',
    '/v1/models/m/labels/stable:classify',
    examples,
    WRITE_RAW,
  ],
  [
    'POST /v1/models/{model}/labels/{label}:regress',
    '/v1/models/m/labels/stable:regress',
    examples,
    WRITE_RAW,
  ],
  ['GET /v2', '/v2', undefined, ANY_TOKEN],
  ['GET /v2/health/live', '/v2/health/live', undefined, OPEN],
  ['GET /v2/health/ready', '/v2/health/ready', undefined, OPEN],
  ['GET /v2/models/{model}', '/v2/models/m', undefined, READ],
  ['GET /v2/models/{model}/ready', '/v2/models/m/ready', undefined, READ],
  ['POST /v2/models/{model}/infer', '/v2/models/m/infer', tensors, WRITE],
  ['GET /v2/models/{model}/versions/{version}', '/v2/models/m/versions/v1', undefined, READ],
  [
    'GET /v2/models/{model}/versions/{version}/ready',
    '/v2/models/m/versions/v1/ready',
    undefined,
    READ,
  ],
  [
    'POST /v2/models/{model}/versions/{version}/infer',
    '/v2/models/m/versions/v1/infer',
    tensors,
    WRITE,
  ],
];

const tokenOf = (caller: Caller): string | undefined =>
  caller === 'none'
    ? undefined
    : caller === 'bad'
      ? 'stratus_not-a-real-token'
      : caller === 'other'
        ? f.tokens.otherEditor
        : f.tokens[caller];

describe('auth matrix of the prediction routes', () => {
  it('covers every prediction operation the server documents', async () => {
    const { body } = await server.call<{
      paths: Record<string, Record<string, { tags?: string[] }>>;
    }>('GET', '/openapi.json');
    const documented = Object.entries(body.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([, operation]) => operation.tags?.includes('predict') === true)
        .map(([method]) => `${method.toUpperCase()} ${path}`),
    );
    expect(documented.sort()).toEqual(ROWS.map(([operation]) => operation).sort());
  });

  const cases = ROWS.flatMap(([operation, url, body, expected]) =>
    CALLERS.map((caller) => [operation, caller, expected[caller], url, body] as const),
  );
  it.each(cases)('%s as %s → %i', async (operation, caller, status, url, body) => {
    const token = tokenOf(caller);
    const reply = await server.call<Record<string, unknown>>(
      operation.split(' ')[0] ?? 'GET',
      url,
      {
        ...(token === undefined ? {} : { token }),
        ...(body === undefined ? {} : { body }),
      },
    );
    expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(status);
    if (status === 400) expect(JSON.stringify(reply.body)).toContain('this is a raw layers model');
    if (status === 404) expect(JSON.stringify(reply.body)).toContain('projects/default/models/m');
    if (status === 401)
      expect(reply.headers.get('www-authenticate')).toBe('Bearer realm="stratus"');
  });
});
