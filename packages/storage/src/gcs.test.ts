import { afterAll } from 'vitest';
import { createStorage } from './create-storage.js';
import { runStorageConformance } from './conformance.test-support.js';
import type { GcsEmulator } from './gcs-emulator.test-support.js';
import { startGcsEmulator } from './gcs-emulator.test-support.js';

let emulator: GcsEmulator | undefined;

runStorageConformance(
  'gcs (firebase-tools emulator)',
  async () => {
    emulator = await startGcsEmulator();
    return createStorage({
      backend: 'gcs',
      projectId: 'stratus-test',
      emulatorHost: emulator.host,
    });
  },
  { quirks: { prefixesRepeatOnEveryPage: true } },
);

afterAll(async () => {
  await emulator?.stop();
});
