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
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
  /** `METHOD /path?query` of every request served so far, oldest first. */
  readonly requests: readonly string[];
  stop(): Promise<void>;
}

/** Start the firebase-tools Cloud Storage emulator on 127.0.0.1 and a free port. */
export const startGcsEmulator = async (): Promise<GcsEmulator> => {
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
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    app(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  emulator.args.port = (server.address() as AddressInfo).port;
  registry.set(STORAGE, emulator);
  return {
    host: `http://127.0.0.1:${emulator.args.port}`,
    requests,
    stop: async () => {
      registry.clear(STORAGE);
      restoreGenerations();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(blobs, { recursive: true, force: true });
    },
  };
};
