import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSandbox, type CliSandbox } from '../cli.test-support.js';
import { Session } from '../session.js';
import { draftJob } from './job-input.js';

describe('job assembly from --config and flags', () => {
  let sandbox: CliSandbox;
  let session: Session;
  beforeEach(async () => {
    sandbox = await cliSandbox();
    session = new Session(
      {
        stdout: { write: () => true },
        stderr: { write: () => true },
        stdin: process.stdin,
        env: sandbox.env,
        cwd: sandbox.dir,
        homeDir: sandbox.dir,
      },
      {},
    );
  });
  afterEach(() => sandbox.cleanup());

  it('lets flags override the file field by field; labels merge; user args replace args', async () => {
    await writeFile(
      join(sandbox.dir, 'job.yaml'),
      [
        'labels: {team: a, env: dev}',
        'trainingInput:',
        '  jobDir: gs://demo/jobs/from-file',
        '  region: europe',
        '  builtinAlgorithm: {name: dnn_classifier, trainingData: gs://demo/d.csv, labelColumn: y, epochs: 5, hiddenUnits: [8]}',
        '  hyperparameters: {goal: MAXIMIZE, maxTrials: 2, params: [{parameterName: dropout, type: DOUBLE, minValue: 0, maxValue: 0.5}]}',
      ].join('\n'),
    );
    const draft = await draftJob(
      session,
      'j1',
      {
        config: 'job.yaml',
        jobDir: 'gs://demo/jobs/j1',
        epochs: 40,
        hiddenUnits: [32, 16],
        labels: { env: 'prod' },
        scaleTier: 'CUSTOM',
        masterAccelerator: { count: '1', type: 'NVIDIA_TESLA_T4' },
      },
      [],
    );
    expect(draft).toEqual({
      jobId: 'j1',
      labels: { team: 'a', env: 'prod' },
      trainingInput: {
        jobDir: 'gs://demo/jobs/j1',
        region: 'europe',
        scaleTier: 'CUSTOM',
        masterConfig: { acceleratorConfig: { count: 1, type: 'NVIDIA_TESLA_T4' } },
        builtinAlgorithm: {
          name: 'dnn_classifier',
          trainingData: 'gs://demo/d.csv',
          labelColumn: 'y',
          epochs: 40,
          hiddenUnits: [32, 16],
        },
        hyperparameters: {
          goal: 'MAXIMIZE',
          maxTrials: 2,
          params: [{ parameterName: 'dropout', type: 'DOUBLE', minValue: 0, maxValue: 0.5 }],
        },
      },
    });
    await writeFile(
      join(sandbox.dir, 'ti.json'),
      '{"jobDir": "gs://b/j", "module": "a.js", "args": ["--x=1"]}',
    );
    const custom = await draftJob(
      session,
      'j2',
      { config: 'ti.json', packages: ['gs://b/p.tgz'] },
      ['--y=2'],
    );
    expect(custom.trainingInput).toEqual({
      jobDir: 'gs://b/j',
      module: 'a.js',
      packageUris: ['gs://b/p.tgz'],
      args: ['--y=2'],
    });
  });

  it('maps the gcloud flags to Cloud ML fields; --staging-bucket is the jobDir base', async () => {
    await writeFile(
      join(sandbox.dir, 'cloudml.yaml'),
      [
        'trainingInput:',
        '  scaleTier: CUSTOM',
        '  module: trainer/old.mjs',
        '  packageUris: [gs://demo/p.tgz]',
        '  region: us-central1',
      ].join('\n'),
    );
    const draft = await draftJob(
      session,
      'j3',
      {
        config: 'cloudml.yaml',
        stagingBucket: 'gs://demo/staging/',
        masterMachineType: 'standard_gpu',
        runtimeVersion: '2.11',
        pythonVersion: '3.7',
        moduleName: 'trainer.task',
      },
      [],
    );
    expect(draft.trainingInput).toEqual({
      scaleTier: 'CUSTOM',
      packageUris: ['gs://demo/p.tgz'],
      region: 'us-central1',
      jobDir: 'gs://demo/staging/j3',
      masterType: 'standard_gpu',
      runtimeVersion: '2.11',
      pythonVersion: '3.7',
      pythonModule: 'trainer.task',
    });
    const given = await draftJob(
      session,
      'j4',
      { jobDir: 'gs://demo/jobs/j4', stagingBucket: 'gs://demo/staging' },
      [],
    );
    expect(given.trainingInput.jobDir).toBe('gs://demo/jobs/j4');
  });

  it('fails in one line with exit 1 for an unreadable, invalid or misshapen config file', async () => {
    const submit = (config: string) =>
      sandbox.run([
        'jobs',
        'submit',
        'training',
        'j1',
        '--config',
        config,
        '--api-url',
        'http://127.0.0.1:9',
      ]);
    expect(await submit('missing.yaml')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'ERROR: (stratus.jobs.submit.training) INVALID_ARGUMENT: --config missing.yaml does not exist\n',
    });
    await writeFile(
      join(sandbox.dir, 'bad.yaml'),
      'trainingInput:\n  jobDir: gs://b/j\n   region: x\n',
    );
    const bad = await submit('bad.yaml');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /^ERROR: \(stratus\.jobs\.submit\.training\) INVALID_ARGUMENT: --config bad\.yaml is not valid YAML at line 2, column 11: Nested mappings are not allowed in compact mappings\n$/,
    );
    await writeFile(join(sandbox.dir, 'list.yaml'), '- a\n- b\n');
    expect((await submit('list.yaml')).stderr).toBe(
      'ERROR: (stratus.jobs.submit.training) INVALID_ARGUMENT: --config list.yaml must hold a mapping (the trainingInput fields)\n',
    );
    await writeFile(
      join(sandbox.dir, 'extra.yaml'),
      'trainingInput: {jobDir: gs://b/j}\nstate: RUNNING\n',
    );
    expect((await submit('extra.yaml')).stderr).toBe(
      'ERROR: (stratus.jobs.submit.training) INVALID_ARGUMENT: --config extra.yaml has an unknown top-level field "state" (allowed: jobId, labels, trainingInput)\n',
    );
    await writeFile(
      join(sandbox.dir, 'unknown.yaml'),
      'jobDir: gs://b/j\nbuiltinAlgorithm: {name: dnn_classifier, trainingData: gs://b/d.csv, labelColumn: y}\nepochs: 3\n',
    );
    const unknown = await submit('unknown.yaml');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(
      /^ERROR: \(stratus\.jobs\.submit\.training\) INVALID_JOB_SPEC: Invalid job: trainingInput\.epochs: /,
    );
  });

  it('refuses contradictory or misplaced flags as usage errors (exit 2)', async () => {
    const both = await sandbox.run(['jobs', 'submit', 'training', 'j', '--stream-logs', '--async']);
    expect(both).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR: (stratus.jobs.submit.training) --stream-logs and --async contradict each other; pick one\n',
    });
    const noJobDir = await sandbox.run([
      'jobs',
      'submit',
      'training',
      'j',
      '--package-path',
      '.',
      '--module-name',
      'a.js',
    ]);
    expect(noJobDir.stderr).toBe(
      'ERROR: (stratus.jobs.submit.training) --package-path needs --job-dir or --staging-bucket: the package is uploaded to {jobDir}/packages/\n',
    );
    const stray = await sandbox.run([
      'jobs',
      'submit',
      'training',
      'j',
      'stray',
      '--',
      '--epochs=3',
    ]);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toBe(
      'ERROR: (stratus.jobs.submit.training) unexpected argument "stray"; trainer arguments go after --, e.g. -- --epochs=20\n',
    );
    const format = await sandbox.run(['jobs', 'list', '--format', 'xml']);
    expect(format).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR: (stratus.jobs.list) --format must be json, yaml, table, table(FIELD,...), value(FIELD,...) or csv[no-heading](FIELD,...) (got "xml")\n',
    });
  });
});
