import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, Model, Operation, Version } from '@stratus/spec';
import { StratusClient } from '@stratus/client';
import { writeIrisCsv } from '../sandbox.test-support.js';
import { READ_MODIFY_TRIES, readModifyWrite } from './resource-updates.js';
import { builtinJob, startServedSandbox, type ServedSandbox } from '../serve.test-support.js';

const json = <T>(stdout: string): T => JSON.parse(stdout) as T;

describe('update commands, versions create --config and operations against `stratus serve`', () => {
  let served: ServedSandbox;
  beforeAll(async () => {
    served = await startServedSandbox();
    await writeIrisCsv(join(served.dir, 'iris.csv'));
    expect((await served.run(['storage', 'cp', 'iris.csv', 'gs://demo/data/iris.csv'])).code).toBe(
      0,
    );
  }, 90_000);
  afterAll(async () => {
    expect((await served.stop()).code).toBe(0);
  }, 60_000);

  it('updates a job’s labels: merged, removed, cleared, and seen by the label filter', async () => {
    const submitted = await served.run([
      ...builtinJob('labelled_1', 1),
      '--labels',
      'team=x,tier=gold',
    ]);
    expect(submitted.code).toBe(0);
    const updated = await served.run([
      'jobs',
      'update',
      'labelled_1',
      '--update-labels',
      'stage=prod,team=y',
      '--remove-labels',
      'tier',
      '--format',
      'json',
    ]);
    expect(updated.code).toBe(0);
    expect(updated.stderr).toBe('Updated job [labelled_1].\n');
    expect(json<Job>(updated.stdout).labels).toEqual({ team: 'y', stage: 'prod' });
    const filtered = await served.run([
      'jobs',
      'list',
      '--filter',
      'labels.stage=prod',
      '--format',
      'value(jobId)',
    ]);
    expect(filtered.stdout).toBe('labelled_1\n');
    const cleared = await served.run([
      'jobs',
      'update',
      'labelled_1',
      '--clear-labels',
      '--update-labels',
      'only=one',
      '--format',
      'json',
    ]);
    expect(json<Job>(cleared.stdout).labels).toEqual({ only: 'one' });
    const nothing = await served.run(['jobs', 'update', 'labelled_1']);
    expect(nothing).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'ERROR: (stratus.jobs.update) nothing to update: give at least one of --update-labels, --remove-labels or --clear-labels\n',
    });
  });

  it('reads and patches again when the etag went stale in between, a few times at most', async () => {
    const client = new StratusClient({ baseUrl: served.apiUrl, token: served.adminToken });
    await client.models.create({ name: 'raced', labels: { n: '0' } });
    /** A read-then-patch whose first `racing` tries lose to another writer between read and patch. */
    const raced = (racing: number) => {
      let tries = 0;
      return readModifyWrite(async () => {
        tries += 1;
        const current = await client.models.get('raced');
        if (tries <= racing) {
          await client.models.patch('raced', {
            updateMask: ['labels'],
            body: { labels: { n: String(tries) } },
          });
        }
        await client.models.patch('raced', {
          updateMask: ['description'],
          body: {
            description: `after ${tries} tries`,
            ...(current.etag === undefined ? {} : { etag: current.etag }),
          },
        });
        return tries;
      });
    };
    expect(await raced(2)).toBe(3);
    expect((await client.models.get('raced')).description).toBe('after 3 tries');
    const lost = await raced(READ_MODIFY_TRIES).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(lost).toMatchObject({ code: 409, status: 'ABORTED', reason: 'ETAG_MISMATCH' });
  });

  it('updates a model and a version deployed from a --config file; describes, cancels and waits on operations', async () => {
    expect((await served.run(['models', 'create', 'cfg', '--labels', 'a=b'])).code).toBe(0);
    const model = await served.run([
      'models',
      'update',
      'cfg',
      '--description',
      'configured',
      '--remove-labels',
      'a',
      '--format',
      'json',
    ]);
    expect(model.code).toBe(0);
    expect(json<Model>(model.stdout)).toMatchObject({ description: 'configured' });
    expect(json<Model>(model.stdout).labels).toBeUndefined();

    await writeFile(
      join(served.dir, 'version.yaml'),
      [
        'name: ignored',
        'deploymentUri: gs://demo/nowhere/v1',
        'runtimeVersion: "2.11"',
        'machineType: mls1-c1-m2',
        'manualScaling:',
        '  nodes: 1',
        'description: from the file',
        '',
      ].join('\n'),
    );
    const created = await served.run([
      'versions',
      'create',
      'v1',
      '--model',
      'cfg',
      '--config',
      'version.yaml',
      '--description',
      'from the flag',
      '--machine-type',
      'n1-standard-2',
      '--async',
      '--format',
      'json',
    ]);
    expect(created.code).toBe(0);
    const operation = json<Operation>(created.stdout);
    expect(operation.metadata.version).toMatchObject({
      name: 'projects/default/models/cfg/versions/v1',
      description: 'from the flag',
      runtimeVersion: '2.11',
      machineType: 'n1-standard-2',
      manualScaling: { nodes: 1 },
      deploymentUri: 'gs://demo/nowhere/v1',
    });
    const opId = operation.name.split('/').pop() ?? '';
    const described = await served.run(['operations', 'describe', opId, '--format', 'json']);
    expect(json<Operation>(described.stdout).name).toBe(operation.name);

    // Cancelled here, or failed first by the predictor (there is no bundle): done with an error either way.
    const cancelled = await served.run(['operations', 'cancel', opId, '--format', 'json']);
    expect(cancelled.code).toBe(0);
    expect(json<Operation>(cancelled.stdout)).toMatchObject({ done: true, error: {} });
    const waited = await served.run(['operations', 'wait', operation.name, '--format', 'json']);
    expect(waited.code).toBe(1);
    expect(waited.stderr).toMatch(
      /^Waiting for operation \[create_cfg_v1-\S+\]…\nERROR: \(stratus\.operations\.wait\) [A-Z_]+: .+\n$/,
    );
    expect(json<Operation>(waited.stdout).done).toBe(true);

    const scaled = await served.run([
      'versions',
      'update',
      'v1',
      '--model',
      'cfg',
      '--nodes',
      '3',
      '--update-labels',
      'stage=dev',
      '--format',
      'json',
    ]);
    expect(scaled.code).toBe(0);
    expect(json<Version>(scaled.stdout)).toMatchObject({
      manualScaling: { nodes: 3 },
      labels: { stage: 'dev' },
      machineType: 'n1-standard-2',
    });
    const auto = await served.run([
      'versions',
      'update',
      'v1',
      '--model',
      'cfg',
      '--min-nodes',
      '1',
    ]);
    expect(auto.code).toBe(1);
    expect(auto.stderr).toBe(
      'ERROR: (stratus.versions.update) INVALID_VERSION_SPEC: Invalid version: manualScaling: set either autoScaling or manualScaling, not both\n',
    );

    // An update operation is done at once and has no error: wait exits 0.
    const response = await fetch(
      `${served.apiUrl}/v1/projects/default/models/cfg?updateMask=description`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${served.adminToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ description: 'patched' }),
      },
    );
    const update = (await response.json()) as Operation;
    const ok = await served.run(['operations', 'wait', update.name, '--format', 'json']);
    expect(ok.code).toBe(0);
    expect(json<Operation>(ok.stdout)).toMatchObject({
      done: true,
      metadata: { operationType: 'UPDATE_MODEL' },
    });
    const already = await served.run(['operations', 'cancel', update.name]);
    expect(already.stderr).toContain(
      `Operation [${update.name.split('/').pop() ?? ''}] is already done; nothing to cancel.\n`,
    );

    // operations list: newest first, filtered by the server, update operations included.
    const listed = await served.run([
      'operations',
      'list',
      '--filter',
      'metadata.modelName="projects/default/models/cfg"',
      '--format',
      'json',
    ]);
    expect(listed.code).toBe(0);
    const names = json<Operation[]>(listed.stdout).map((op) => op.name);
    expect(names[0]).toBe(update.name);
    expect(names).toContain(operation.name);
    const creates = await served.run([
      'operations',
      'list',
      '--filter',
      'metadata.operationType=CREATE_VERSION AND done=true',
      '--format',
      'value(name)',
    ]);
    expect(creates.code).toBe(0);
    expect(creates.stdout.trim().split('\n')).toContain(operation.name);
    const one = await served.run(['operations', 'list', '--limit', '1', '--format', 'value(name)']);
    expect(one.stdout).toBe(`${update.name}\n`);
    const bad = await served.run(['operations', 'list', '--filter', 'owner=me']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown field "owner"');
  });
});
