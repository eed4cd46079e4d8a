/** @stratus/client's model, version, operation and predict methods against a real server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StratusClient } from '@stratus/client';
import { apiErrorOf as apiError, clientsFor } from '@stratus/client/testing';
import {
  openPredictorFixture,
  type PredictorFixture,
  saveScaleModel,
  type TestServer,
} from '@stratus/predictor/testing';
import { inApi } from './support/predictor-in-api.js';

let f: PredictorFixture;
let server: TestServer;
let client: StratusClient;
beforeAll(async () => {
  f = await openPredictorFixture();
  await saveScaleModel(f.trial.storage, 'gs://demo/c/one', 1);
  await saveScaleModel(f.trial.storage, 'gs://demo/c/five', 5);
  server = await f.serve({}, undefined, inApi);
  ({ editor: client } = clientsFor(server.url, 'default', f.tokens));
}, 60_000);
afterAll(() => f.close());

describe('StratusClient: models, versions, operations, predict', () => {
  it('deploys, waits for READY, predicts, switches the default and cleans up', async () => {
    expect((await client.models.create({ name: 'cli', description: 'x' })).name).toBe(
      'projects/default/models/cli',
    );
    const created = await client.versions.create('cli', {
      name: 'one',
      deploymentUri: 'gs://demo/c/one',
    });
    const done = await client.operations.wait(created.name, { intervalMs: 20 });
    expect(done.response).toMatchObject({ state: 'READY', isDefault: true });
    expect(await client.predict('cli', [[1, 2]])).toEqual({ predictions: [[1, 2]] });

    const second = await client.versions.create('cli', {
      name: 'five',
      deploymentUri: 'gs://demo/c/five',
    });
    await client.operations.wait(second.name.split('/').pop() ?? '', { intervalMs: 20 });
    expect(await client.predict('cli', [[1, 2]], { version: 'five' })).toEqual({
      predictions: [[5, 10]],
    });
    expect((await client.versions.setDefault('cli', 'five')).isDefault).toBe(true);
    expect((await client.models.get('cli')).defaultVersion?.name).toBe(
      'projects/default/models/cli/versions/five',
    );
    const page = await client.versions.list('cli', { pageSize: 1 });
    expect(page.versions.map((version) => version.name)).toEqual([
      'projects/default/models/cli/versions/five',
    ]);
    const all = [];
    for await (const version of client.versions.listAll('cli', { pageSize: 1 })) all.push(version);
    expect(all.map((version) => version.name.split('/').pop())).toEqual(['five', 'one']);
    expect((await client.models.list()).models.map((model) => model.name)).toEqual([
      'projects/default/models/cli',
    ]);

    const refused = await apiError(client.versions.delete('cli', 'five'));
    expect([refused.code, refused.reason]).toEqual([400, 'DEFAULT_VERSION_DELETE']);
    expect((await client.versions.delete('cli', 'one')).done).toBe(true);
    const bad = await apiError(client.predict('cli', [[1, 2, 3]]));
    expect([bad.code, bad.reason, bad.message]).toEqual([
      400,
      'INVALID_PREDICT_REQUEST',
      'Invalid prediction request: instances[0]: input "xy" has shape [3]; the model takes [2] per instance',
    ]);
    await client.versions.delete('cli', 'five');
    expect((await client.models.delete('cli')).metadata.operationType).toBe('DELETE_MODEL');
    const gone = await apiError(client.models.get('cli'));
    expect([gone.code, gone.reason]).toEqual([404, 'MODEL_NOT_FOUND']);
  });
});
