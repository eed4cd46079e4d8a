/**
 * Storage traversal through every API field that takes a storage URI (issue 10,
 * security): each hostile URI is a 400 naming the field, and nothing is read or
 * written outside the bucket root. The app is the all-in-one one (predictor
 * mounted, so an accepted deploymentUri would be read at once).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobInput } from '@stratus/spec';
import { exampleJob, openFuzzApp, SEED, type FuzzApp } from './support/fuzz-app.js';

const HOSTILE = [
  'gs://demo/../outside/secret.txt',
  'gs://demo/jobs/../../outside/secret.txt',
  'gs://demo/./x',
  'gs://demo/%2e%2e/outside/secret.txt',
  'gs://demo/%2E%2E%2Foutside%2Fsecret.txt',
  'gs://demo/a%2fb',
  'gs://demo/a%5c..%5cb',
  'gs://demo//etc/passwd',
  'gs://demo/a\\..\\..\\outside',
  'gs://demo/a\u0000b',
  'gs://demo/a%00b',
  'gs://demo/a\u0085b',
  'gs://demo/\ud800x',
  'gs://../outside',
  'gs://./x',
  '/etc/passwd',
  'file:///etc/passwd',
  '../../outside/secret.txt',
  '..\\..\\outside',
  'C:\\Windows\\win.ini',
  'http://127.0.0.1:6379/x',
  'GS://demo/x',
];

type Field = readonly [field: string, job: (uri: string) => JobInput];

const builtin = (jobId: string) => {
  const job = exampleJob(jobId);
  const algo = job.trainingInput.builtinAlgorithm;
  if (algo === undefined) throw new Error('the example job has a builtinAlgorithm');
  return { job, algo };
};

const JOB_FIELDS: readonly Field[] = [
  [
    'trainingInput.jobDir',
    (uri) => {
      const job = exampleJob('trav');
      return { ...job, trainingInput: { ...job.trainingInput, jobDir: uri } };
    },
  ],
  [
    'trainingInput.builtinAlgorithm.trainingData',
    (uri) => {
      const { job, algo } = builtin('trav');
      return {
        ...job,
        trainingInput: { ...job.trainingInput, builtinAlgorithm: { ...algo, trainingData: uri } },
      };
    },
  ],
  [
    'trainingInput.builtinAlgorithm.validationData',
    (uri) => {
      const { job, algo } = builtin('trav');
      const { validationSplit: _, ...rest } = algo;
      return {
        ...job,
        trainingInput: { ...job.trainingInput, builtinAlgorithm: { ...rest, validationData: uri } },
      };
    },
  ],
  [
    'trainingInput.packageUris[1]',
    (uri) => {
      const { builtinAlgorithm: _, ...trainingInput } = exampleJob('trav').trainingInput;
      return {
        jobId: 'trav',
        trainingInput: {
          ...trainingInput,
          packageUris: ['gs://demo/packages/ok.tgz', uri],
          module: 'task.mjs',
        },
      };
    },
  ],
];

/** Every file under `dir` with its size and mtime, for a before/after comparison. */
const tree = async (dir: string): Promise<Map<string, string>> => {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const info = await stat(file);
    files.set(path.relative(dir, file), `${info.size}:${info.mtimeMs}`);
  }
  return files;
};

let f: FuzzApp;
let home: string;
let sentinel: string;
beforeAll(async () => {
  f = await openFuzzApp();
  home = path.dirname(f.bucketsRoot);
  // What `gs://demo/../outside/secret.txt` would reach on a naive local backend.
  sentinel = path.join(f.bucketsRoot, 'outside', 'secret.txt');
  await writeFile(path.join(home, 'outside-secret.txt'), 'outside');
}, 120_000);
afterAll(() => f?.close());

describe('storage traversal through URI fields', () => {
  it('refuses every hostile URI in every job URI field with a 400 naming the field', async () => {
    const before = await tree(home);
    for (const [field, job] of JOB_FIELDS) {
      for (const uri of HOSTILE) {
        const response = await f.inject('POST', `/v1/projects/${f.project}/jobs`, {
          token: f.tokens.editor,
          body: JSON.stringify(job(uri)),
          contentType: 'application/json',
        });
        const context = `${field} = ${JSON.stringify(uri)}`;
        expect(response.statusCode, context).toBe(400);
        const error = (response.json() as { error: { message: string; details: unknown[] } }).error;
        expect(error.message, context).toContain(field);
      }
    }
    expect(await f.store.jobs.find(f.project, 'trav')).toBeUndefined();
    expect(await tree(home)).toEqual(before);
  });

  it('refuses every hostile deploymentUri with a 400 naming it, and the predictor reads nothing', async () => {
    const before = await tree(home);
    for (const [i, uri] of HOSTILE.entries()) {
      const response = await f.inject(
        'POST',
        `/v1/projects/${f.project}/models/${SEED.model}/versions`,
        {
          token: f.tokens.editor,
          body: JSON.stringify({ name: `trav_${i}`, deploymentUri: uri }),
          contentType: 'application/json',
        },
      );
      const context = `deploymentUri = ${JSON.stringify(uri)}`;
      expect(response.statusCode, context).toBe(400);
      expect((response.json() as { error: { message: string } }).error.message, context).toContain(
        'deploymentUri',
      );
    }
    const { versions } = await f.store.versions.list(f.project, SEED.model);
    expect(versions.map((v) => v.name.split('/').pop()).sort()).toEqual([
      SEED.irisVersion,
      SEED.rawVersion,
    ]);
    expect(await tree(home)).toEqual(before);
    await expect(stat(sentinel)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readFile(path.join(home, 'outside-secret.txt'), 'utf8')).toBe('outside');
  });
});
