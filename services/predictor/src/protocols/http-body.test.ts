/**
 * Cloud ML predict with the body Google's generated clients send: the googleapis Node
 * client types the request as `{httpBody: {contentType, data}}` (the JSON request, base64)
 * and sends it as typed. It was a 400 "instances: is required" before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveScaleModel } from '@stratus/serving/testing';
import {
  httpCall,
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from '../predictor.test-support.js';

let f: PredictorFixture;
let server: TestServer;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/http-body/two', 2);
  server = await f.serve();
  expect((await f.deploy('doubler', 'v1', 'gs://demo/http-body/two')).state).toBe('READY');
}, 60_000);
afterAll(() => f.close());

const MODEL = '/v1/projects/default/models/doubler';
const base64 = (text: string): string => Buffer.from(text).toString('base64');

const predict = (path: string, body: unknown) =>
  httpCall<{ predictions?: unknown[]; error?: { code: number; message: string } }>(
    `${server.url}${path}`,
    'POST',
    { token: f.tokens.editor, body },
  );

describe('Cloud ML predict with an HttpBody request', () => {
  it('answers {httpBody: {contentType, data}} as the JSON request it carries', async () => {
    for (const path of [`${MODEL}:predict`, `${MODEL}/versions/v1:predict`]) {
      const request = {
        instances: [
          [1, 2],
          [3, 4],
        ],
      };
      const plain = await predict(path, request);
      expect(plain.body).toEqual({
        predictions: [
          [2, 4],
          [6, 8],
        ],
      });
      for (const contentType of ['application/json', 'application/json; charset=utf-8']) {
        const wrapped = await predict(path, {
          httpBody: { contentType, data: base64(JSON.stringify(request)) },
        });
        expect([path, contentType, wrapped.status, wrapped.body]).toEqual([
          path,
          contentType,
          200,
          plain.body,
        ]);
      }
      // contentType may be left out, and URL-safe base64 is read as well.
      const bare = await predict(path, {
        httpBody: { data: base64(JSON.stringify(request)).replace(/\+/g, '-').replace(/\//g, '_') },
      });
      expect(bare.body).toEqual(plain.body);
    }
  });

  it('checks the request inside as a plain one (instances that are not all numbers)', async () => {
    const reply = await predict(`${MODEL}:predict`, {
      httpBody: { data: base64(JSON.stringify({ instances: [[1, 'x']] })) },
    });
    expect(reply.status).toBe(400);
    expect(reply.body.error?.message).toBe(
      'Invalid prediction request: instances[0]: input "xy" must be a finite number, got a string',
    );
  });

  it('answers 400 naming the field for a malformed HttpBody', async () => {
    const data = base64('{"instances": [[1, 2]]}');
    const cases: [unknown, string][] = [
      ['a string', 'httpBody: must be an object with "contentType" and "data"'],
      [
        { contentType: 'application/json' },
        'httpBody.data: is required: the JSON request, base64-encoded',
      ],
      [{ data: 42 }, 'httpBody.data: is required: the JSON request, base64-encoded'],
      [{ data: '{"instances": [[1, 2]]}' }, 'httpBody.data: is not base64'],
      [
        { contentType: 'text/csv', data },
        'httpBody.contentType: "text/csv" is not supported; only "application/json" is',
      ],
      [
        { data, extensions: [] },
        'httpBody.extensions: unknown field; send "contentType" and "data"',
      ],
    ];
    for (const [httpBody, message] of cases) {
      const reply = await predict(`${MODEL}:predict`, { httpBody });
      expect([reply.status, reply.body.error?.message]).toEqual([
        400,
        `Invalid prediction request: ${message}`,
      ]);
    }
    const notJson = await predict(`${MODEL}:predict`, { httpBody: { data: base64('[1,') } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error?.message).toMatch(
      /^Invalid prediction request: httpBody\.data: does not decode to JSON: Request body is not valid JSON: /,
    );
    const beside = await predict(`${MODEL}:predict`, {
      httpBody: { data },
      instances: [[1, 2]],
    });
    expect([beside.status, beside.body.error?.message]).toEqual([
      400,
      'Invalid prediction request: instances: unknown field beside httpBody; send the request in httpBody.data',
    ]);
  });
});
