import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStratusError } from '@stratus/spec';
import { createGcsStorage } from './gcs-storage.js';
import { emulatorEndpoint } from './gcs-client.js';
import type { GcsEmulator } from './gcs-emulator.test-support.js';
import { startGcsEmulator } from './gcs-emulator.test-support.js';
import { expectStratusError, uniqueBucket } from './conformance-fixture.test-support.js';

const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

describe('gcs backend specifics', () => {
  let emulator: GcsEmulator;
  beforeAll(async () => {
    emulator = await startGcsEmulator();
  });
  afterAll(async () => {
    await emulator.stop();
  });

  it('normalises the emulator address', () => {
    expect(emulatorEndpoint('127.0.0.1:9199')).toBe('http://127.0.0.1:9199');
    expect(emulatorEndpoint('http://localhost:9199/')).toBe('http://localhost:9199');
    expect(emulatorEndpoint('https://gcs.test')).toBe('https://gcs.test');
  });

  it('uses simple uploads below the threshold and resumable ones above, keeping metadata', async () => {
    const storage = createGcsStorage({
      emulatorHost: emulator.host.replace('http://', ''),
      resumableThreshold: 1024,
    });
    const bucket = uniqueBucket();
    const small = Buffer.alloc(100, 1);
    const large = Buffer.alloc(4096, 2);
    const uploads = () =>
      emulator.requests.filter((r) => r.startsWith('POST /upload/') && r.includes(bucket));
    const a = await storage.write(`gs://${bucket}/small.json`, small, {
      contentType: 'application/json',
    });
    expect(uploads()).toEqual([expect.stringContaining('uploadType=multipart')]);
    const b = await storage.write(`gs://${bucket}/large.bin`, large);
    expect(uploads()[1]).toContain('uploadType=resumable');
    expect(a).toMatchObject({ size: 100, contentType: 'application/json' });
    expect(a.md5Hash).toBe(createHash('md5').update(small).digest('base64'));
    expect(b.md5Hash).toBe(createHash('md5').update(large).digest('base64'));
    expect((await storage.read(`gs://${bucket}/large.bin`)).equals(large)).toBe(true);
    expect((await storage.stat(`gs://${bucket}/small.json`)).contentType).toBe('application/json');
  });

  it('reports an unreachable server as STORAGE_UNAVAILABLE (retryable), naming op and URI', async () => {
    const port = await closedPort();
    const storage = createGcsStorage({ emulatorHost: `http://127.0.0.1:${port}`, maxRetries: 0 });
    await expectStratusError(storage.stat('gs://abc/x'), 'STORAGE_UNAVAILABLE', 'stat gs://abc/x');
    await expectStratusError(storage.read('gs://abc/x'), 'STORAGE_UNAVAILABLE', 'read gs://abc/x');
    await expectStratusError(
      storage.write('gs://abc/x', 'data'),
      'STORAGE_UNAVAILABLE',
      'write gs://abc/x',
    );
    await expectStratusError(
      storage.list('gs://abc/p/'),
      'STORAGE_UNAVAILABLE',
      'list gs://abc/p/',
    );
    const error: unknown = await storage.exists('gs://abc/x').catch((caught: unknown) => caught);
    expect(isStratusError(error) && error.retryable).toBe(true);
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});
