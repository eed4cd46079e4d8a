/**
 * KServe v2's binary tensor data extension over real HTTP. Bodies are built
 * here by hand from the spec (a JSON header of Inference-Header-Content-Length
 * bytes, then each binary tensor little-endian, BYTES as 4-byte length + bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IRIS_EXAMPLES, saveGraphModel, saveScaleModel, trainIris } from '@stratus/serving/testing';
import { mulberry32 } from '@stratus/trainer/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  type TestServer,
} from './predictor.test-support.js';

let f: PredictorFixture;
let server: TestServer;
beforeAll(async () => {
  f = await openPredictorFixture();
  const iris = await trainIris(f.trial, 'gs://demo/jobs/iris_b');
  await saveScaleModel(f.trial.storage, 'gs://demo/scale/three', 3);
  await saveGraphModel(f.trial.storage, 'gs://demo/graph/v1');
  server = await f.serve();
  expect((await f.deploy('iris', 'v1', iris)).state).toBe('READY');
  expect((await f.deploy('scale', 'v1', 'gs://demo/scale/three')).state).toBe('READY');
  expect((await f.deploy('graph', 'v1', 'gs://demo/graph/v1')).state).toBe('READY');
}, 120_000);
afterAll(() => f.close());

const FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] as const;
const column = (name: (typeof FEATURES)[number]) =>
  IRIS_EXAMPLES.map((example) => example.instance[name]);
const labels = IRIS_EXAMPLES.map((example) => example.label);

/** `values` as little-endian elements of `size` bytes written by `write`. */
const pack = (
  values: readonly number[],
  size: number,
  write: (buffer: Buffer, value: number, at: number) => void,
): Buffer => {
  const buffer = Buffer.alloc(values.length * size);
  values.forEach((value, i) => write(buffer, value, i * size));
  return buffer;
};
const fp32 = (values: readonly number[]) => pack(values, 4, (b, v, at) => b.writeFloatLE(v, at));
const fp64 = (values: readonly number[]) => pack(values, 8, (b, v, at) => b.writeDoubleLE(v, at));
/** BYTES elements: a 4-byte little-endian length, then the UTF-8 bytes. */
const bytesOf = (values: readonly string[]) =>
  Buffer.concat(
    values.map((value) => {
      const text = Buffer.from(value, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32LE(text.length);
      return Buffer.concat([length, text]);
    }),
  );

interface BinaryReply {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
}

/** POST a JSON header and binary tensors to `path`; Content-Type as given (none by default, as tritonclient sends). */
const post = async (
  path: string,
  header: unknown,
  binary: readonly Buffer[],
  headers: Record<string, string> = {},
): Promise<BinaryReply> => {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${f.tokens.editor}`,
      'inference-header-content-length': String(json.length),
      ...headers,
    },
    body: Buffer.concat([json, ...binary]),
  });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
};

interface Output {
  readonly name: string;
  readonly datatype: string;
  readonly shape: number[];
  readonly data?: unknown[];
  readonly parameters?: { binary_data_size: number };
}

/** A binary reply as its JSON header and the bytes after it. */
const split = (reply: BinaryReply): { header: { outputs: Output[] }; binary: Buffer } => {
  const length = Number(reply.headers.get('inference-header-content-length'));
  return {
    header: JSON.parse(reply.bytes.subarray(0, length).toString('utf8')) as { outputs: Output[] },
    binary: reply.bytes.subarray(length),
  };
};

const floatsOf = (bytes: Buffer): number[] =>
  Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));

const X = [1, 0, 0, 0, 0, 0, 5, 0];

describe('KServe binary tensor data', () => {
  it('says so in the server metadata', async () => {
    const metadata = await server.call('GET', '/v2', { token: f.tokens.viewer });
    expect(metadata.body).toMatchObject({ extensions: ['binary_tensor_data'] });
  });

  it('round-trips FP32 tensors: binary in, binary out, the same numbers as JSON', async () => {
    const json = await server.call<{ outputs: Output[] }>('POST', '/v2/models/graph/infer', {
      token: f.tokens.editor,
      body: { inputs: [{ name: 'x', shape: [2, 4], datatype: 'FP32', data: X }] },
    });
    const expected = json.body.outputs[0]?.data;
    expect(expected).toHaveLength(6);
    const header = {
      inputs: [
        { name: 'x', shape: [2, 4], datatype: 'FP32', parameters: { binary_data_size: 32 } },
      ],
      parameters: { binary_data_output: true },
    };
    // No Content-Type (tritonclient), Triton's application/octet-stream, and a JSON type: all read alike.
    for (const type of [undefined, 'application/octet-stream', 'application/json']) {
      const reply = await post(
        '/v2/models/graph/infer',
        header,
        [fp32(X)],
        type === undefined ? {} : { 'content-type': type },
      );
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toBe('application/octet-stream');
      const { header: answer, binary } = split(reply);
      expect(answer).toEqual({
        model_name: 'graph',
        model_version: 'v1',
        outputs: [
          { name: 'probs', datatype: 'FP32', shape: [2, 3], parameters: { binary_data_size: 24 } },
        ],
      });
      expect(floatsOf(binary)).toEqual(expected);
    }
    // Binary in, JSON out when the request does not ask for binary outputs.
    const plain = await post('/v2/models/graph/infer', { inputs: header.inputs }, [fp32(X)]);
    expect(plain.headers.get('inference-header-content-length')).toBeNull();
    expect(JSON.parse(plain.bytes.toString('utf8'))).toEqual(json.body);
  });

  it('mixes JSON and binary inputs and outputs on a Stratus bundle', async () => {
    const binary = (name: (typeof FEATURES)[number], datatype: string, size: number) => ({
      name,
      shape: [3],
      datatype,
      parameters: { binary_data_size: size },
    });
    const header = {
      id: 'mixed',
      inputs: [
        binary('sepal_length', 'FP32', 12),
        { name: 'sepal_width', shape: [3], datatype: 'FP32', data: column('sepal_width') },
        binary('petal_length', 'FP64', 24),
        binary('petal_width', 'FP32', 12),
      ],
      // Every output binary but probabilities, which stays JSON.
      parameters: { binary_data_output: true },
      outputs: [{ name: 'label' }, { name: 'probabilities', parameters: { binary_data: false } }],
    };
    const reply = await post('/v2/models/iris/infer', header, [
      fp32(column('sepal_length')),
      fp64(column('petal_length')),
      fp32(column('petal_width')),
    ]);
    expect(reply.status).toBe(200);
    const { header: answer, binary: bytes } = split(reply);
    const [label, probabilities] = answer.outputs;
    const encodedLabels = bytesOf(labels);
    expect(label).toEqual({
      name: 'label',
      datatype: 'BYTES',
      shape: [3],
      parameters: { binary_data_size: encodedLabels.length },
    });
    // The labels, each a 4-byte length and its bytes, are all the binary data.
    expect(bytes).toEqual(encodedLabels);
    const json = await server.call<{ outputs: Output[] }>('POST', '/v2/models/iris/infer', {
      token: f.tokens.editor,
      body: {
        // The same numbers: those sent as FP32 rounded to float32 as they were.
        inputs: FEATURES.map((name) => ({
          name,
          shape: [3],
          datatype: 'FP32',
          data: name === 'petal_length' ? column(name) : column(name).map(Math.fround),
        })),
      },
    });
    expect(probabilities).toEqual(json.body.outputs[1]);
    expect(answer).toMatchObject({ model_name: 'iris', id: 'mixed' });
  });

  it('reads every numeric datatype, BOOL, FP16 and BYTES', async () => {
    const cases: Array<[string, Buffer, number[]]> = [
      ['INT8', Buffer.from([1, 0xfe]), [3, -6]],
      ['UINT8', Buffer.from([1, 0xfe]), [3, 762]],
      ['INT16', pack([1, -2], 2, (b, v, at) => b.writeInt16LE(v, at)), [3, -6]],
      ['UINT16', pack([1, 65535], 2, (b, v, at) => b.writeUInt16LE(v, at)), [3, 196605]],
      ['INT32', pack([1, -2], 4, (b, v, at) => b.writeInt32LE(v, at)), [3, -6]],
      ['UINT32', pack([1, 2], 4, (b, v, at) => b.writeUInt32LE(v, at)), [3, 6]],
      ['INT64', pack([1, -2], 8, (b, v, at) => b.writeBigInt64LE(BigInt(v), at)), [3, -6]],
      ['UINT64', pack([1, 2], 8, (b, v, at) => b.writeBigUInt64LE(BigInt(v), at)), [3, 6]],
      // Half precision: 0x3800 is 0.5, 0xc000 is -2.
      ['FP16', pack([0x3800, 0xc000], 2, (b, v, at) => b.writeUInt16LE(v, at)), [1.5, -6]],
      ['FP32', fp32([0.25, 2]), [0.75, 6]],
      ['FP64', fp64([1, 2]), [3, 6]],
      ['BOOL', Buffer.from([1, 0]), [3, 0]],
    ];
    for (const [datatype, data, expected] of cases) {
      const reply = await post(
        '/v2/models/scale/infer',
        {
          inputs: [
            { name: 'xy', shape: [1, 2], datatype, parameters: { binary_data_size: data.length } },
          ],
        },
        [data],
      );
      const body = JSON.parse(reply.bytes.toString('utf8')) as { outputs: Output[] };
      expect([datatype, reply.status, body.outputs[0]?.data]).toEqual([datatype, 200, expected]);
    }
    // BYTES are read as strings: a Stratus bundle's numeric feature says what it got.
    const words = bytesOf(['long', 'short']);
    const reply = await post(
      '/v2/models/iris/infer',
      {
        inputs: [
          {
            name: 'petal_length',
            shape: [2],
            datatype: 'BYTES',
            parameters: { binary_data_size: words.length },
          },
        ],
      },
      [words],
    );
    expect([reply.status, JSON.parse(reply.bytes.toString('utf8'))]).toEqual([
      400,
      {
        error:
          'Invalid prediction request: inputs row 0: feature "petal_length" expects a number, got "long"',
      },
    ]);
  });

  it('refuses malformed binary bodies with 400 {"error": "..."} naming the input', async () => {
    const input = (datatype: string, size: number, shape = [1, 4]) => ({
      inputs: [{ name: 'x', shape, datatype, parameters: { binary_data_size: size } }],
    });
    const cases: Array<[unknown, Buffer[], string]> = [
      [
        input('FP32', 12),
        [fp32([1, 2, 3])],
        'inputs[0]: shape [1, 4] of FP32 needs 16 bytes, binary_data_size is 12',
      ],
      [
        input('FP99', 16),
        [fp32(X.slice(4))],
        'inputs[0].datatype: "FP99" is not a KServe v2 datatype',
      ],
      [
        input('FP32', 16),
        [fp32([1, 2])],
        'inputs[0].parameters.binary_data_size: 16 bytes from byte 0 run past the 8 bytes after the JSON header',
      ],
      [
        input('FP32', 16),
        [fp32([1, 2, 3, 4, 5])],
        'the body has 4 bytes beyond the JSON header and the binary_data_size of its inputs (16)',
      ],
      [input('FP32', -1), [], 'inputs[0].parameters.binary_data_size: must be a byte count'],
      [input('BOOL', 4), [Buffer.from([1, 0, 2, 1])], 'inputs[0]: BOOL element 2 is 2, not 0 or 1'],
      [
        input('BYTES', 6, [1]),
        [Buffer.from([9, 0, 0, 0, 65, 66])],
        'inputs[0]: BYTES element 0 of 9 bytes runs past binary_data_size 6',
      ],
      [
        input('BYTES', 11, [1]),
        [bytesOf(['abc']), Buffer.from([0, 0, 0, 0])],
        'inputs[0]: 1 BYTES elements take 7 bytes, binary_data_size is 11',
      ],
      [
        { ...input('FP32', 16), parameters: { binary_data_output: 'yes' } },
        [fp32(X.slice(4))],
        'parameters.binary_data_output: must be true or false',
      ],
      [
        {
          ...input('FP32', 16),
          outputs: [{ name: 'probs', parameters: { binary_data: 1 } }],
        },
        [fp32(X.slice(4))],
        'outputs[0].parameters.binary_data: must be true or false',
      ],
    ];
    for (const [header, binary, message] of cases) {
      const reply = await post('/v2/models/graph/infer', header, binary);
      expect([reply.status, JSON.parse(reply.bytes.toString('utf8'))]).toEqual([
        400,
        { error: `Invalid prediction request: ${message}` },
      ]);
    }
  });

  it('refuses a header length the body cannot hold, other body types and bodies over the limit', async () => {
    const send = async (body: Buffer, headers: Record<string, string>) => {
      const response = await fetch(`${server.url}/v2/models/graph/infer`, {
        method: 'POST',
        headers: { authorization: `Bearer ${f.tokens.editor}`, ...headers },
        body,
      });
      return [response.status, await response.json()] as const;
    };
    const header = Buffer.from('{"inputs": []}');
    expect(await send(header, { 'inference-header-content-length': '999' })).toEqual([
      400,
      {
        error: `Invalid prediction request: Inference-Header-Content-Length: 999 is beyond the body's ${header.length} bytes`,
      },
    ]);
    expect(await send(header, { 'inference-header-content-length': '1e3' })).toEqual([
      400,
      {
        error:
          'Invalid prediction request: Inference-Header-Content-Length: "1e3" is not a byte count',
      },
    ]);
    expect(await send(header, { 'content-type': 'text/plain' })).toEqual([
      415,
      { error: 'Content-Type "text/plain" is not supported; send application/json' },
    ]);
    // The JSON route's body limit holds for binary bodies too.
    const big = Buffer.concat([header, Buffer.alloc(1_600_000)]);
    expect(
      await send(big, {
        'content-type': 'application/octet-stream',
        'inference-header-content-length': String(header.length),
      }),
    ).toEqual([413, { error: 'Request body is too large' }]);
  });
});

describe('random binary bodies', () => {
  it('answer 200 or 400, never anything else', async () => {
    const next = mulberry32(20);
    const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
    const datatypes = ['FP32', 'FP16', 'FP64', 'INT8', 'INT64', 'UINT32', 'BOOL', 'BYTES', 'FP99'];
    const statuses = new Map<number, number>();
    for (let run = 0; run < 300; run += 1) {
      // Half the bodies fit the scale model (xy: [n, 2] FP32), the other half are anything.
      const fits = next() < 0.5;
      const rows = pick([1, 2, 3]);
      const shape = fits ? [rows, 2] : [pick([0, 1, 2, 3]), pick([1, 2, 4, 5])];
      const datatype = fits ? 'FP32' : pick(datatypes);
      const size = fits ? rows * 8 : pick([0, 1, 2, 4, 8, 16, 32, 33]);
      const header = Buffer.from(
        JSON.stringify({
          inputs: [{ name: 'xy', shape, datatype, parameters: { binary_data_size: size } }],
          ...(next() < 0.3 ? { parameters: { binary_data_output: pick([true, false, 1]) } } : {}),
        }),
      );
      const binary = Buffer.from(
        Array.from({ length: fits ? size : pick([0, size, size, size + 3]) }, () =>
          pick([0, 1, 2, 255, 64]),
        ),
      );
      // Sometimes the header length is off by a little, or the header is cut short.
      const length = header.length + (fits ? 0 : pick([0, 0, -1, 1, -header.length]));
      const response = await fetch(`${server.url}/v2/models/scale/infer`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${f.tokens.editor}`,
          'inference-header-content-length': String(length),
        },
        body: Buffer.concat([header, binary]),
      });
      await response.arrayBuffer();
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    }
    expect([...statuses.keys()].sort()).toEqual([200, 400]);
  });
});
