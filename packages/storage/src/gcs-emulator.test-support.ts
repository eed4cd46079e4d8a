/**
 * Starts the Cloud Storage emulator from firebase-tools in this process, as a
 * real HTTP server speaking the GCS JSON API on 127.0.0.1 and a free port.
 *
 * `StorageEmulator.start()` would first launch the Java rules runtime, which
 * only the Firebase (rules-checked) endpoints need. The GCS JSON API routes use
 * the admin storage layer, which never consults rules, so we skip `start()`:
 * we build the emulator's express app with its own `createApp` and listen on it
 * ourselves. Two pieces of global emulator state need care:
 * - the emulator registry must know our host and port, because the resumable
 *   upload and bucket routes build URLs from it;
 * - blobs go to a private temp dir (the default is shared by every emulator
 *   on the machine, and `stop()` would delete it).
 * One behaviour is brought in line with real GCS: the emulator stamps
 * generations with `Date.now()` (milliseconds), so two uploads finishing in
 * the same millisecond would share a generation and etag. Real GCS uses
 * unique microsecond generations; while running, new objects get those.
 *
 * Run as a script (see `runAsScript` below) it serves until SIGTERM and prints
 * one JSON line `{"host", "port", "blobsDir"}` once seeded: fault tests kill it
 * and start it again on the same port under running Stratus processes.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseStorageUri } from './uri.js';

const require = createRequire(import.meta.url);
const EMULATOR_DIR = 'firebase-tools/lib/emulator';
const STORAGE = 'storage';

interface EmulatorArgs {
  projectId: string;
  host: string;
  port: number;
  auto_download: boolean;
}
interface StorageEmulatorInstance {
  readonly args: EmulatorArgs;
}
type StorageEmulatorClass = new (args: EmulatorArgs) => StorageEmulatorInstance;
interface StoredFileOptions {
  generation?: number;
}
type StoredFileMetadataClass = new (opts: StoredFileOptions, ...rest: unknown[]) => object;
interface MetadataModule {
  StoredFileMetadata: StoredFileMetadataClass;
}
interface EmulatorModules {
  StorageEmulator: StorageEmulatorClass;
  metadata: MetadataModule;
  createApp: (projectId: string, emulator: StorageEmulatorInstance) => Promise<RequestListener>;
  registry: {
    set: (name: string, instance: StorageEmulatorInstance) => void;
    clear: (name: string) => void;
  };
}

const loadEmulator = (): EmulatorModules => {
  const storage = require(`${EMULATOR_DIR}/storage/index.js`) as {
    StorageEmulator: StorageEmulatorClass;
  };
  const server = require(`${EMULATOR_DIR}/storage/server.js`) as Pick<EmulatorModules, 'createApp'>;
  const registry = require(`${EMULATOR_DIR}/registry.js`) as {
    EmulatorRegistry: EmulatorModules['registry'];
  };
  return {
    StorageEmulator: storage.StorageEmulator,
    metadata: require(`${EMULATOR_DIR}/storage/metadata.js`) as MetadataModule,
    createApp: server.createApp,
    registry: registry.EmulatorRegistry,
  };
};

// The storage layer looks `StoredFileMetadata` up on the module at each upload
// or copy, so swapping the export reaches every new object.
const useMicrosecondGenerations = (metadata: MetadataModule): (() => void) => {
  const original = metadata.StoredFileMetadata;
  let last = 0;
  metadata.StoredFileMetadata = class extends original {
    constructor(opts: StoredFileOptions, ...rest: unknown[]) {
      if (opts.generation === undefined) {
        last = Math.max(Math.floor((performance.timeOrigin + performance.now()) * 1000), last + 1);
      }
      super(opts.generation === undefined ? { ...opts, generation: last } : opts, ...rest);
    }
  };
  return () => {
    metadata.StoredFileMetadata = original;
  };
};

/** A running emulator: `host` is what STORAGE_EMULATOR_HOST / `emulatorHost` take. */
export interface GcsEmulator {
  readonly host: string;
  readonly port: number;
  /** Where its blobs live (removed by `stop()`). */
  readonly blobsDir: string;
  /** `METHOD /path?query` of every request served so far, oldest first. */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

/** An object the emulator holds before it answers anyone. */
export interface SeedObject {
  readonly uri: string;
  readonly data: Uint8Array | string;
}

export interface GcsEmulatorOptions {
  /** Port to listen on (a restarted emulator takes its predecessor's). @defaultValue 0 (a free one) */
  readonly port?: number;
  /**
   * Objects uploaded before any other request is served (requests that come
   * in meanwhile wait): a restarted emulator then comes back with its data, as
   * a real bucket does after an outage. @defaultValue []
   */
  readonly seed?: readonly SeedObject[];
}

// Marks the emulator's own seeding uploads, which pass while other requests wait.
const SEED_HEADER = 'x-stratus-emulator-seed';

const uploadSeed = async (host: string, object: SeedObject): Promise<void> => {
  const { bucket, name } = parseStorageUri(object.uri);
  const url = new URL(`${host}/upload/storage/v1/b/${encodeURIComponent(bucket)}/o`);
  url.searchParams.set('uploadType', 'media');
  url.searchParams.set('name', name);
  const response = await fetch(url, {
    method: 'POST',
    headers: { [SEED_HEADER]: '1', 'content-type': 'application/octet-stream' },
    body: object.data,
  });
  if (!response.ok) throw new Error(`seeding ${object.uri} answered ${response.status}`);
  await response.body?.cancel();
};

/** Start the firebase-tools Cloud Storage emulator on 127.0.0.1 and a free port. */
export const startGcsEmulator = async (options: GcsEmulatorOptions = {}): Promise<GcsEmulator> => {
  const { StorageEmulator, createApp, registry, metadata } = loadEmulator();
  const restoreGenerations = useMicrosecondGenerations(metadata);
  const blobs = await mkdtemp(join(tmpdir(), 'stratus-gcs-emulator-'));
  class PrivateBlobsEmulator extends StorageEmulator {
    getPersistenceTmpDir(): string {
      return blobs;
    }
  }
  const emulator = new PrivateBlobsEmulator({
    projectId: 'stratus-test',
    host: '127.0.0.1',
    port: 0,
    auto_download: false,
  });
  const app = await createApp('stratus-test', emulator);
  const requests: string[] = [];
  let seeded: Promise<unknown> | undefined;
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    if (seeded === undefined || request.headers[SEED_HEADER] !== undefined) {
      app(request, response);
    } else {
      void seeded.then(
        () => app(request, response),
        () => response.destroy(),
      );
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  emulator.args.port = (server.address() as AddressInfo).port;
  registry.set(STORAGE, emulator);
  const host = `http://127.0.0.1:${emulator.args.port}`;
  const stop = async (): Promise<void> => {
    registry.clear(STORAGE);
    restoreGenerations();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(blobs, { recursive: true, force: true });
  };
  if ((options.seed?.length ?? 0) > 0) {
    seeded = Promise.all((options.seed ?? []).map((object) => uploadSeed(host, object)));
    await seeded.catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    seeded = undefined;
  }
  return { host, port: emulator.args.port, blobsDir: blobs, requests, stop };
};

/**
 * `--port N --seed gs://bucket/name=/local/file ... [--standby]`: serve until
 * SIGTERM. With `--standby` it loads the emulator, prints `{"standby":true}`
 * and only listens once a line arrives on stdin, so a test can bring a killed
 * emulator back in milliseconds instead of the seconds firebase-tools takes to load.
 */
const runAsScript = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      seed: { type: 'string', multiple: true, default: [] },
      standby: { type: 'boolean', default: false },
    },
  });
  const seed = await Promise.all(
    values.seed.map(async (pair) => {
      const at = pair.indexOf('=');
      return { uri: pair.slice(0, at), data: await readFile(pair.slice(at + 1)) };
    }),
  );
  if (values.standby) {
    loadEmulator();
    process.stdout.write(`${JSON.stringify({ standby: true })}\n`);
    await once(createInterface({ input: process.stdin }), 'line');
  }
  const emulator = await startGcsEmulator({ port: Number(values.port), seed });
  const { host, port, blobsDir } = emulator;
  process.stdout.write(`${JSON.stringify({ host, port, blobsDir })}\n`);
  process.once('SIGTERM', () => void emulator.stop().then(() => process.exit(0)));
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await runAsScript();
