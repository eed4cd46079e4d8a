import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseJsonBody, useJsonParser } from '@stratus/http';
import { StratusError, coerceError } from '@stratus/spec';
import { invalidRequest, isPlainObject } from '@stratus/serving';
import {
  elementCount,
  tensorDatatype,
  tensorShape,
  type KServeTensor,
  type RequestedOutput,
} from './kserve-tensors.js';

/**
 * KServe v2's binary tensor data extension (Triton's): a body is a JSON
 * header of `Inference-Header-Content-Length` bytes, then the raw data of
 * each tensor whose `parameters.binary_data_size` is set, in the order the
 * header lists them: little-endian, row-major, BOOL one byte (0 or 1), BYTES
 * each element a 4-byte length then its bytes.
 */
export const HEADER_LENGTH = 'inference-header-content-length';

type Element = number | boolean | string;

/** IEEE 754 half precision bits as a number. */
const fromHalf = (bits: number): number => {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
};

/** Bytes per element and how to read one, for each fixed-size datatype. */
const READERS: Readonly<
  Record<string, [number, (view: DataView, at: number) => number | boolean]>
> = {
  BOOL: [1, (view, at) => view.getUint8(at) === 1],
  INT8: [1, (view, at) => view.getInt8(at)],
  UINT8: [1, (view, at) => view.getUint8(at)],
  INT16: [2, (view, at) => view.getInt16(at, true)],
  UINT16: [2, (view, at) => view.getUint16(at, true)],
  FP16: [2, (view, at) => fromHalf(view.getUint16(at, true))],
  INT32: [4, (view, at) => view.getInt32(at, true)],
  UINT32: [4, (view, at) => view.getUint32(at, true)],
  FP32: [4, (view, at) => view.getFloat32(at, true)],
  INT64: [8, (view, at) => Number(view.getBigInt64(at, true))],
  UINT64: [8, (view, at) => Number(view.getBigUint64(at, true))],
  FP64: [8, (view, at) => view.getFloat64(at, true)],
};

/** BYTES elements: each a 4-byte little-endian length, then that many bytes (read as UTF-8). */
const readBytes = (bytes: Buffer, count: number, where: string): string[] => {
  const elements: string[] = [];
  let at = 0;
  while (elements.length < count) {
    if (at + 4 > bytes.length) {
      throw invalidRequest(
        `${where}: BYTES element ${elements.length} has no 4-byte length (binary_data_size is ${bytes.length})`,
      );
    }
    const length = bytes.readUInt32LE(at);
    if (at + 4 + length > bytes.length) {
      throw invalidRequest(
        `${where}: BYTES element ${elements.length} of ${length} bytes runs past binary_data_size ${bytes.length}`,
      );
    }
    elements.push(bytes.toString('utf8', at + 4, at + 4 + length));
    at += 4 + length;
  }
  if (at !== bytes.length) {
    throw invalidRequest(
      `${where}: ${count} BYTES elements take ${at} bytes, binary_data_size is ${bytes.length}`,
    );
  }
  return elements;
};

/** The elements of one input's binary data, checked against its shape and datatype. */
const readTensor = (bytes: Buffer, input: Record<string, unknown>, where: string): Element[] => {
  const shape = tensorShape(input.shape, where);
  const datatype = tensorDatatype(input.datatype, where);
  const count = elementCount(shape);
  if (datatype === 'BYTES') return readBytes(bytes, count, where);
  const [size, read] = READERS[datatype] ?? [];
  if (size === undefined || read === undefined) {
    throw invalidRequest(`${where}.datatype: ${datatype} has no binary form`);
  }
  if (bytes.length !== count * size) {
    throw invalidRequest(
      `${where}: shape [${shape.join(', ')}] of ${datatype} needs ${count * size} bytes, binary_data_size is ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (datatype === 'BOOL') {
    const bad = bytes.findIndex((byte) => byte > 1);
    if (bad >= 0)
      throw invalidRequest(`${where}: BOOL element ${bad} is ${bytes[bad]}, not 0 or 1`);
  }
  return Array.from({ length: count }, (_, i) => read(view, i * size));
};

/** The header's inputs with the binary ones' `data` read from `binary`, which they must use up. */
const withBinaryInputs = (
  header: Record<string, unknown>,
  binary: Buffer,
): Record<string, unknown> => {
  const { inputs } = header;
  if (!Array.isArray(inputs)) return header;
  let offset = 0;
  const read = inputs.map((input: unknown, index) => {
    const where = `inputs[${index}]`;
    if (!isPlainObject(input) || !isPlainObject(input.parameters)) return input;
    const size = input.parameters.binary_data_size;
    if (size === undefined) return input;
    if (!Number.isSafeInteger(size) || (size as number) < 0) {
      throw invalidRequest(`${where}.parameters.binary_data_size: must be a byte count`);
    }
    if (input.data !== undefined) {
      throw invalidRequest(`${where}: has both data and parameters.binary_data_size; send one`);
    }
    const end = offset + (size as number);
    if (end > binary.length) {
      throw invalidRequest(
        `${where}.parameters.binary_data_size: ${size as number} bytes from byte ${offset} run past the ${binary.length} bytes after the JSON header`,
      );
    }
    const data = readTensor(binary.subarray(offset, end), input, where);
    offset = end;
    return { ...input, data };
  });
  if (offset !== binary.length) {
    throw invalidRequest(
      `the body has ${binary.length - offset} bytes beyond the JSON header and the binary_data_size of its inputs (${offset})`,
    );
  }
  return { ...header, inputs: read };
};

/**
 * An infer body: JSON, or (with `Inference-Header-Content-Length`) a JSON
 * header and binary tensor data, read into the JSON form (`data` lists).
 */
export const readInferBody = (bytes: Buffer, request: FastifyRequest): unknown => {
  const length = request.headers[HEADER_LENGTH];
  if (length === undefined) return parseJsonBody(bytes.toString('utf8'));
  if (typeof length !== 'string' || !/^[0-9]{1,15}$/.test(length)) {
    throw invalidRequest(
      `Inference-Header-Content-Length: "${String(length)}" is not a byte count`,
    );
  }
  if (Number(length) > bytes.length) {
    throw invalidRequest(
      `Inference-Header-Content-Length: ${length} is beyond the body's ${bytes.length} bytes`,
    );
  }
  const header = parseJsonBody(bytes.toString('utf8', 0, Number(length)));
  if (!isPlainObject(header)) {
    throw invalidRequest('the JSON header must be an object {"inputs": [...]}');
  }
  return withBinaryInputs(header, bytes.subarray(Number(length)));
};

/**
 * Infer bodies in `app`: JSON, or JSON and binary tensor data when the
 * request says `Inference-Header-Content-Length` (`application/octet-stream`,
 * or any type, as Triton reads it). A body without a Content-Type is read the same.
 */
export const useInferBodies = (app: FastifyInstance): void => {
  useJsonParser(app, readInferBody);
  const parse = (
    request: FastifyRequest,
    body: Buffer,
    done: (e: Error | null, v?: unknown) => void,
  ) => {
    try {
      done(null, readInferBody(body, request));
    } catch (error) {
      done(coerceError(error), undefined);
    }
  };
  app.addContentTypeParser(
    'application/octet-stream',
    { parseAs: 'buffer' },
    (request, body, done) => parse(request, body as Buffer, done),
  );
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    const type = request.headers['content-type'];
    if (type !== undefined && request.headers[HEADER_LENGTH] === undefined) {
      done(new StratusError('UNSUPPORTED_MEDIA_TYPE', { contentType: type }), undefined);
      return;
    }
    parse(request, body as Buffer, done);
  });
};

/** Bytes per element and how to write one, for the datatypes outputs have. */
const WRITERS: Readonly<Record<string, [number, (view: DataView, at: number, v: number) => void]>> =
  {
    FP32: [4, (view, at, v) => view.setFloat32(at, v, true)],
    INT32: [4, (view, at, v) => view.setInt32(at, v, true)],
  };

/** One output tensor's data in its binary form. */
const writeTensor = (tensor: KServeTensor): Buffer => {
  if (tensor.datatype === 'BYTES') {
    return Buffer.concat(
      tensor.data.map((element) => {
        const bytes = Buffer.from(String(element), 'utf8');
        const length = Buffer.alloc(4);
        length.writeUInt32LE(bytes.length);
        return Buffer.concat([length, bytes]);
      }),
    );
  }
  const writer = WRITERS[tensor.datatype];
  if (writer === undefined)
    throw new Error(`no binary form for output datatype ${tensor.datatype}`);
  const [size, write] = writer;
  const bytes = Buffer.alloc(tensor.data.length * size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  tensor.data.forEach((value, i) => write(view, i * size, value as number));
  return bytes;
};

/** An infer answer: JSON, or a JSON header and binary data of `headerLength` bytes. */
export type InferReply =
  | { readonly json: Record<string, unknown> }
  | { readonly headerLength: number; readonly body: Buffer };

/**
 * The answer to an infer request: outputs it asks for as binary data (an
 * output's `parameters.binary_data`, else `all`: the request's
 * `parameters.binary_data_output`) go after the JSON header, the header
 * giving their `binary_data_size`; with none, plain JSON.
 */
export const inferReply = (
  response: Record<string, unknown> & { readonly outputs: readonly KServeTensor[] },
  requested: readonly RequestedOutput[] | undefined,
  all: boolean,
): InferReply => {
  const chunks: Buffer[] = [];
  const outputs = response.outputs.map((tensor) => {
    const binary = requested?.find((output) => output.name === tensor.name)?.binary ?? all;
    if (!binary) return tensor;
    const bytes = writeTensor(tensor);
    chunks.push(bytes);
    const { data: _data, ...described } = tensor;
    return { ...described, parameters: { binary_data_size: bytes.length } };
  });
  if (chunks.length === 0) return { json: response };
  const header = Buffer.from(JSON.stringify({ ...response, outputs }), 'utf8');
  return { headerLength: header.length, body: Buffer.concat([header, ...chunks]) };
};
