import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Model, Operation, Version } from '@stratus/spec';
import type { CliRun } from '../cli.test-support.js';
import {
  IRIS_INSTANCES,
  TEST_REDIS_URL,
  unusedPort,
  writeIrisCsv,
} from '../sandbox.test-support.js';
import { builtinJob, startServedSandbox, type ServedSandbox } from '../serve.test-support.js';

/** Poll `url` until it answers 200, failing early with the output of a command that exited. */
const waitUntilUp = async (url: string, running: Promise<CliRun>): Promise<void> => {
  let exited: CliRun | undefined;
  void running.then((run) => (exited = run));
  for (let i = 0; i < 1200; i += 1) {
    if (exited !== undefined) {
      throw new Error(`exited ${exited.code} before ${url} answered: ${exited.stderr}`);
    }
    const ok = await fetch(url).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await sleep(100);
  }
  throw new Error(`${url} did not answer in 120 s`);
};

const labelsOf = (stdout: string): string[] =>
  stdout
    .trim()
    .split('\n')
    .slice(1)
    .map((row) => row.split(/\s+/)[0] ?? '');

describe('models, versions and predict against `stratus serve`', () => {
  let served: ServedSandbox;
  beforeAll(async () => {
    served = await startServedSandbox();
    await writeIrisCsv(join(served.dir, 'iris.csv'));
    await writeFile(join(served.dir, 'instances.jsonl'), `${IRIS_INSTANCES}\n`);
    await writeFile(
      join(served.dir, 'request.json'),
      JSON.stringify({
        instances: IRIS_INSTANCES.split('\n').map((l) => JSON.parse(l) as unknown),
      }),
    );
    expect((await served.run(['storage', 'cp', 'iris.csv', 'gs://demo/data/iris.csv'])).code).toBe(
      0,
    );
    const trained = await served.run([
      '--quiet',
      ...builtinJob('iris_1', 10),
      '--learning-rate',
      '0.05',
      '--seed',
      '7',
      '--stream-logs',
    ]);
    expect(trained.code).toBe(0);
  }, 180_000);
  afterAll(async () => {
    expect((await served.stop()).code).toBe(0);
  }, 60_000);

  it('deploys a version from a job, waits until READY, and predicts the three species', async () => {
    const model = await served.run([
      'models',
      'create',
      'iris',
      '--description',
      'Iris species',
      '--labels',
      'team=demo',
    ]);
    expect(model.code).toBe(0);
    expect(model.stderr).toBe('Created model [iris].\n');
    expect(parse(model.stdout)).toMatchObject({
      name: 'projects/default/models/iris',
      description: 'Iris species',
      labels: { team: 'demo' },
    });

    const created = await served.run([
      'versions',
      'create',
      'v1',
      '--model',
      'iris',
      '--from-job',
      'iris_1',
    ]);
    expect(created.stderr).toBe(
      'Creating version [v1] of model [iris]…\nCreated version [v1] of model [iris]; it is READY.\n',
    );
    expect(created.code).toBe(0);
    expect(parse(created.stdout)).toMatchObject({
      name: 'projects/default/models/iris/versions/v1',
      state: 'READY',
      isDefault: true,
      sourceJob: { jobId: 'iris_1' },
    });

    const table = await served.run([
      'predict',
      '--model',
      'iris',
      '--json-instances',
      'instances.jsonl',
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^LABEL {7}PROBABILITIES$/);
    expect(labelsOf(table.stdout)).toEqual(['setosa', 'versicolor', 'virginica']);

    const json = await served.run([
      'predict',
      '--model',
      'iris',
      '--version',
      'v1',
      '--json-request',
      'request.json',
      '--format',
      'json',
    ]);
    const { predictions } = JSON.parse(json.stdout) as {
      predictions: Array<{ label: string; probabilities: Record<string, number> }>;
    };
    expect(predictions.map((p) => p.label)).toEqual(['setosa', 'versicolor', 'virginica']);
    for (const p of predictions) {
      expect(Object.keys(p.probabilities).sort()).toEqual(['setosa', 'versicolor', 'virginica']);
      expect(Object.values(p.probabilities).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
    const piped = await served.run(
      ['predict', '--model', 'iris', '--json-instances', '-', '--format', 'value(label)'],
      { stdin: IRIS_INSTANCES },
    );
    expect(piped).toEqual({ code: 0, stdout: 'setosa\nversicolor\nvirginica\n', stderr: '' });
  }, 120_000);

  it('creates with --async, lists, describes and switches the default in every format', async () => {
    const started = await served.run([
      'versions',
      'create',
      'v2',
      '--model',
      'iris',
      '--origin',
      'gs://demo/jobs/iris_1/model',
      '--max-batch-size',
      '8',
      '--async',
    ]);
    expect(started.code).toBe(0);
    const operation = parse(started.stdout) as Operation;
    expect(operation).toMatchObject({
      done: false,
      metadata: {
        operationType: 'CREATE_VERSION',
        modelName: 'projects/default/models/iris',
        version: { state: 'CREATING', deploymentUri: 'gs://demo/jobs/iris_1/model' },
      },
    });
    expect(operation.name).toMatch(/^projects\/default\/operations\/\S+$/);
    let state = '';
    for (let i = 0; i < 300 && state !== 'READY'; i += 1) {
      const described = await served.run([
        'versions',
        'describe',
        'v2',
        '--model',
        'iris',
        '--format',
        'value(state)',
      ]);
      state = described.stdout.trim();
      if (state !== 'READY') await sleep(100);
    }
    expect(state).toBe('READY');

    const listed = await served.run(['versions', 'list', '--model', 'iris']);
    const rows = listed.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME +STATE +DEFAULT +SOURCE +CREATED$/);
    expect(rows[1]).toMatch(/^v1 +READY +\* +job iris_1 +\d{4}-/);
    expect(rows[2]).toMatch(/^v2 +READY +gs:\/\/demo\/jobs\/iris_1\/model +\d{4}-/);

    const switched = await served.run(['versions', 'set-default', 'v2', '--model', 'iris']);
    expect(switched.stderr).toBe('Version [v2] is the default of model [iris].\n');
    expect(parse(switched.stdout)).toMatchObject({
      isDefault: true,
      batching: { maxBatchSize: 8 },
    });
    const model = JSON.parse(
      (await served.run(['models', 'describe', 'iris', '--format', 'json'])).stdout,
    ) as Model;
    expect(model.defaultVersion?.name).toBe('projects/default/models/iris/versions/v2');
    const models = (await served.run(['models', 'list'])).stdout.trim().split('\n');
    expect(models[0]).toMatch(/^NAME +DEFAULT_VERSION_NAME +CREATED$/);
    expect(models[1]).toMatch(/^iris +v2 +\d{4}-/);
    expect((await served.run(['models', 'list', '--format', 'value(name)'])).stdout).toBe(
      'projects/default/models/iris\n',
    );
    const versions = JSON.parse(
      (await served.run(['versions', 'list', '--model', 'iris', '--format', 'json'])).stdout,
    ) as Version[];
    expect(versions.map((v) => [v.name.split('/').pop(), v.isDefault === true])).toEqual([
      ['v1', false],
      ['v2', true],
    ]);
  }, 90_000);

  it('`stratus api` and `stratus predictor` serve the same Redis and bucket on their own', async () => {
    const [apiPort, predictorPort] = await Promise.all([unusedPort(), unusedPort()]);
    const env = { REDIS_URL: TEST_REDIS_URL, STRATUS_REDIS_PREFIX: served.prefix };
    const controller = new AbortController();
    const api = served.run(['api', '--port', String(apiPort)], { env, signal: controller.signal });
    const predictor = served.run(['predictor', '--port', String(predictorPort), '--threads', '0'], {
      env,
      signal: controller.signal,
    });
    try {
      await waitUntilUp(`http://127.0.0.1:${apiPort}/healthz`, api);
      await waitUntilUp(`http://127.0.0.1:${predictorPort}/healthz`, predictor);
      const viaApi = await served.run([
        '--api-url',
        `http://127.0.0.1:${apiPort}`,
        'models',
        'list',
        '--format',
        'value(name,defaultVersion.state)',
      ]);
      expect(viaApi.stdout).toBe('projects/default/models/iris\tREADY\n');
      // The API alone has no predictor mounted; the predictor alone answers :predict.
      const noPredict = await served.run(
        [
          '--api-url',
          `http://127.0.0.1:${apiPort}`,
          'predict',
          '--model',
          'iris',
          '--json-instances',
          '-',
        ],
        { stdin: IRIS_INSTANCES },
      );
      expect(noPredict.code).toBe(1);
      const viaPredictor = await served.run(
        [
          '--api-url',
          `http://127.0.0.1:${predictorPort}`,
          'predict',
          '--model',
          'iris',
          '--json-instances',
          '-',
          '--format',
          'value(label)',
        ],
        { stdin: IRIS_INSTANCES },
      );
      expect(viaPredictor.stdout).toBe('setosa\nversicolor\nvirginica\n');
    } finally {
      controller.abort();
    }
    const [apiRun, predictorRun] = await Promise.all([api, predictor]);
    expect(apiRun.code).toBe(0);
    expect(apiRun.stdout).toBe(`Stratus API is listening: http://127.0.0.1:${apiPort}\n`);
    expect(apiRun.stderr).toBe('Stopping: open log streams end, queues close…\n');
    expect(predictorRun.code).toBe(0);
    expect(predictorRun.stdout).toBe(
      `Stratus predictor is listening: http://127.0.0.1:${predictorPort} (model calls on the event loop)\n`,
    );
  }, 240_000);

  it('fails a version whose bundle is missing with its reason, and deletes in order', async () => {
    const failed = await served.run([
      'versions',
      'create',
      'broken',
      '--model',
      'iris',
      '--origin',
      'gs://demo/nothing/here',
      '--framework',
      'onnx',
    ]);
    expect(failed.code).toBe(1);
    const lines = failed.stderr.split('\n');
    expect(lines[0]).toBe('Creating version [broken] of model [iris]…');
    expect(lines[1]).toMatch(
      /^ERROR: \(stratus\.versions\.create\) BUNDLE_INVALID: Model bundle gs:\/\/demo\/nothing\/here is invalid: .+$/,
    );
    expect(lines.slice(2)).toEqual(['']);
    const described = parse(
      (await served.run(['versions', 'describe', 'broken', '--model', 'iris'])).stdout,
    ) as Version;
    expect(described).toMatchObject({
      state: 'FAILED',
      framework: 'ONNX',
      errorMessage: 'Model bundle gs://demo/nothing/here is invalid: model.onnx not found',
    });
    expect(lines[1]).toContain(described.errorMessage);

    const refused = await served.run(['models', 'delete', 'iris']);
    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.models.delete) MODEL_HAS_VERSIONS: Model "projects/default/models/iris" still has 3 version(s); delete them first\n',
    });
    for (const version of ['broken', 'v1', 'v2']) {
      const deleted = await served.run(['versions', 'delete', version, '--model', 'iris']);
      expect(deleted).toEqual({
        code: 0,
        stdout: '',
        stderr: `Deleted version [${version}] of model [iris].\n`,
      });
    }
    expect((await served.run(['models', 'delete', 'iris'])).stderr).toBe('Deleted model [iris].\n');
    const gone = await served.run(['models', 'describe', 'iris']);
    expect(gone).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.models.describe) MODEL_NOT_FOUND: Model "projects/default/models/iris" not found\n',
    });
    expect(await served.run(['models', 'list'])).toEqual({
      code: 0,
      stdout: '',
      stderr: 'Listed 0 items.\n',
    });
  }, 90_000);

  it('refuses bad flag combinations as usage errors (exit 2) before calling the server', async () => {
    expect(await served.run(['versions', 'create', 'v9', '--model', 'iris'])).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR: (stratus.versions.create) give exactly one of --origin and --from-job (or a --config with deploymentUri or sourceJob)\n',
    });
    expect(
      await served.run([
        'versions',
        'create',
        'v9',
        '--model',
        'iris',
        '--origin',
        'gs://a/b',
        '--trial',
        '2',
      ]),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERROR: (stratus.versions.create) --trial needs --from-job\n',
    });
    expect(
      await served.run([
        'versions',
        'create',
        'v9',
        '--model',
        'iris',
        '--origin',
        'gs://demo/m',
        '--framework',
        'torch',
      ]),
    ).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR: (stratus.versions.create) --framework must be one of TENSORFLOW_JS, ONNX, not "torch"\n',
    });
    expect(await served.run(['versions', 'list'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus.versions.list) required option '--model <model>' not specified\n",
    });
    expect(await served.run(['predict', '--model', 'iris'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'ERROR: (stratus.predict) give exactly one of --json-instances and --json-request\n',
    });
    expect(await served.run(['predict', '--model', 'iris', '--version'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "ERROR: (stratus.predict) option '--version <version>' argument missing\n",
    });
  });
});
