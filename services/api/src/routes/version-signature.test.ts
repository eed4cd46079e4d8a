import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, openTestApi, type TestApi } from '../api.test-support.js';

let t: TestApi;
beforeAll(async () => {
  t = await openTestApi({ dashboardDir: false });
});
afterAll(() => t.close());

const base = '/v1/projects/demo/models';
const as = (method: string, url: string, body?: unknown) =>
  t.call(method, url, { token: t.tokens.editor, ...(body === undefined ? {} : { body }) });

const manifest = {
  format: 'stratus-bundle',
  version: 1,
  algorithm: 'dnn_classifier',
  preprocessing: {
    version: 1,
    features: [
      { kind: 'numeric', name: 'bill_length', mean: 43.9, std: 5.4, hasMissing: false },
      {
        kind: 'categorical',
        name: 'island',
        vocabulary: ['Biscoe', 'Dream', 'Torgersen'],
        oov: 3,
        missing: 4,
      },
    ],
    label: { kind: 'classification', name: 'species', classes: ['Adelie', 'Gentoo'] },
    inputShape: [6],
  },
  metrics: { accuracy: 0.97, val_accuracy: 0.95 },
  hyperparameters: { learningRate: '0.01' },
  trainingData: 'gs://demo/data/penguins.csv',
  epochs: 20,
  tfjsVersion: '4.22.0',
  backend: 'wasm',
  createTime: '2026-01-01T00:00:00.000Z',
};

const deploy = async (version: string, uri: string): Promise<void> => {
  const created = await as('POST', `${base}/penguins/versions`, {
    name: version,
    deploymentUri: uri,
  });
  expect(created.statusCode).toBe(200);
};

describe('GET …/versions/{v}/signature', () => {
  it("describes a Stratus bundle's features, vocabularies and classes", async () => {
    expect((await as('POST', base, { name: 'penguins' })).statusCode).toBe(200);
    await t.storage.write('gs://demo/penguins/v1/stratus.json', JSON.stringify(manifest));
    await deploy('v1', 'gs://demo/penguins/v1');
    const response = await t.call('GET', `${base}/penguins/versions/v1/signature`, {
      token: t.tokens.viewer,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      format: 'stratus',
      algorithm: 'dnn_classifier',
      inputs: [
        { name: 'bill_length', kind: 'numeric', mean: 43.9 },
        { name: 'island', kind: 'categorical', vocabulary: ['Biscoe', 'Dream', 'Torgersen'] },
      ],
      output: { kind: 'classification', classes: ['Adelie', 'Gentoo'] },
    });
  });

  it('calls a bundle without stratus.json raw, and a broken one BUNDLE_INVALID', async () => {
    await deploy('raw', 'gs://demo/penguins/raw');
    const raw = await as('GET', `${base}/penguins/versions/raw/signature`);
    expect(raw.json()).toEqual({ format: 'raw', inputs: [], output: { kind: 'raw' } });

    await t.storage.write('gs://demo/penguins/bad/stratus.json', '{not json');
    await deploy('bad', 'gs://demo/penguins/bad');
    const bad = await as('GET', `${base}/penguins/versions/bad/signature`);
    expect(bad.statusCode).toBe(400);
    expect(errorOf(bad)).toMatchObject({
      reason: 'BUNDLE_INVALID',
      message:
        'Model bundle gs://demo/penguins/bad/stratus.json is invalid: stratus.json is not valid JSON',
    });

    const { label: _label, ...unlabelled } = manifest.preprocessing;
    await t.storage.write(
      'gs://demo/penguins/nolabel/stratus.json',
      JSON.stringify({ ...manifest, preprocessing: unlabelled }),
    );
    await deploy('nolabel', 'gs://demo/penguins/nolabel');
    const noLabel = await as('GET', `${base}/penguins/versions/nolabel/signature`);
    expect(noLabel.statusCode).toBe(400);
    expect(errorOf(noLabel)).toMatchObject({
      reason: 'BUNDLE_INVALID',
      message:
        'Model bundle gs://demo/penguins/nolabel/stratus.json is invalid: stratus.json field "preprocessing.label" is required',
    });
  });

  it('is 404 for an unknown version, and for another project’s token', async () => {
    const missing = await as('GET', `${base}/penguins/versions/nope/signature`);
    expect(missing.statusCode).toBe(404);
    const other = await t.call('GET', `${base}/penguins/versions/v1/signature`, {
      token: t.tokens.otherEditor,
    });
    expect(other.statusCode).toBe(404);
    const anonymous = await t.call('GET', `${base}/penguins/versions/v1/signature`);
    expect(anonymous.statusCode).toBe(401);
  });
});
