import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createStorage } from './create-storage.js';
import { runStorageConformance } from './conformance.test-support.js';

let root: string | undefined;

runStorageConformance('local', async () => {
  root = await mkdtemp(join(tmpdir(), 'stratus-storage-local-'));
  return createStorage({ backend: 'local', root: join(root, 'buckets') });
});

afterAll(async () => {
  if (root !== undefined) await rm(root, { recursive: true, force: true });
});
