/**
 * Batch prediction in the dashboard, in headless Chromium against a real
 * all-in-one server (API, predictor, a worker child; real Redis under its own
 * prefix; a local bucket in a temp STRATUS_HOME): a deployed model scores a
 * 3,000-row JSON Lines object submitted from the "New batch prediction" form;
 * the job page shows the progress bar and counts until SUCCEEDED, and the jobs
 * list reads the job as a batch prediction with its progress. Screenshots go
 * to .artifacts/screenshots/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page, Request } from 'playwright-core';
import { selectBackend } from '@stratus/bundle';
import type { Job, Operation } from '@stratus/spec';
import { saveScaleModel } from '@stratus/serving/testing';
import { launchChromium, unnamedControls } from './support/browser.js';
import { ROOT, apiCall, openE2eEnv, type E2eEnv } from './support/stratus-e2e.js';

const SHOTS = join(ROOT, '.artifacts', 'screenshots');
const ROWS = 3000;
const p = '/v1/projects/default';

let env: E2eEnv;
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let base = '';

const call = <T = unknown>(method: string, path: string, body?: unknown) =>
  apiCall<T>(base, env.adminToken, method, path, body);

beforeAll(async () => {
  // Build the dashboard when its dist/ is missing or stale (a no-op after `npm run build`).
  const build = spawnSync(process.execPath, ['scripts/build-dashboard.mjs'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  expect(build.status).toBe(0);
  await mkdir(SHOTS, { recursive: true });
  // 8 KiB shards: the ~30 KB input runs as a handful of shards, one at a time (maxWorkerCount 1).
  env = await openE2eEnv({ LOG_LEVEL: 'warn', STRATUS_BATCH_SHARD_BYTES: '8192' });
  server = spawn(
    process.execPath,
    ['--import', 'tsx', '--conditions=stratus-src', 'services/serve/src/main.ts'],
    {
      cwd: ROOT,
      env: { ...env.env, HOME: env.home, XDG_CONFIG_HOME: join(env.home, 'xdg') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const child = server;
  const launching = launchChromium().then((launched) => {
    browser = launched;
  });
  const started = new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`stratus serve exited ${String(code)}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Stratus is running: (\S+)$/.exec(line);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
  });
  // A model `y = 2·x` on 2 inputs (deployed below as v1 of `doubler`), and rows [i mod 10, 1].
  const writing = (async () => {
    // This process only builds the model: the pure-JS backend does that at once.
    await selectBackend('cpu');
    await saveScaleModel(env.storage, 'gs://demo/models/doubler/', 2);
    const lines: string[] = [];
    for (let i = 0; i < ROWS; i += 1) lines.push(JSON.stringify([i % 10, 1]));
    await env.storage.write('gs://demo/batch/ui/part-0.jsonl', `${lines.join('\n')}\n`);
  })();
  const [printed] = await Promise.all([started, launching, writing]);
  base = new URL(printed).origin;
  expect((await call('POST', `${p}/models`, { name: 'doubler' })).status).toBe(200);
  const created = await call<Operation>('POST', `${p}/models/doubler/versions`, {
    name: 'v1',
    deploymentUri: 'gs://demo/models/doubler/',
  });
  expect(created.status).toBe(200);
  let operation = created.body;
  // A guard on the loop; the assertion is on the operation's outcome.
  for (let i = 0; i < 600 && operation.done !== true; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    operation = (await call<Operation>('GET', `/v1/${created.body.name}`)).body;
  }
  expect([operation.done, operation.error]).toEqual([true, undefined]);
}, 240_000);

afterAll(async () => {
  const stopping =
    server === undefined || server.exitCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          server?.once('exit', resolve);
          server?.kill('SIGTERM');
        });
  await Promise.all([browser?.close(), stopping]);
  await env?.close();
}, 60_000);

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('dashboard: batch prediction', () => {
  it('submits a batch prediction from the form and follows it to SUCCEEDED with its counts', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The browser logs every non-2xx fetch; the app shows those itself.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    const jobPosts: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/v1\/projects\/[^/]+\/jobs$/.test(request.url()))
        jobPosts.push(request);
    });
    await page.goto(`${base}/?token=${encodeURIComponent(env.adminToken)}`);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();

    // The form validates as the API does: a bad output path shows at its field, nothing is sent.
    await page.getByRole('button', { name: 'New batch prediction' }).click();
    const form = page.getByRole('form', { name: 'New batch prediction' });
    await form.getByLabel('Job ID').fill('score_ui');
    expect(await form.getByLabel('Output path').inputValue()).toBe(
      'gs://demo/predictions/score_ui/',
    );
    await expect.poll(() => form.getByLabel('Model').locator('option').count()).toBe(2);
    await form.getByLabel('Model').selectOption('doubler');
    await expect.poll(() => form.getByLabel('Version').locator('option').count()).toBe(2);
    await form.getByLabel('Input paths').fill('gs://demo/batch/nothing-*.jsonl');
    await form.getByLabel('Output path').fill('s3://elsewhere/out/');
    await form.getByLabel('Batch size').fill('100');
    await form.getByLabel('Max workers').fill('1');
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    const fieldError = (label: string) =>
      form.locator('.field', { has: page.getByLabel(label) }).locator('.field-error');
    await expect.poll(() => fieldError('Output path').textContent()).toBe('must start with gs://');
    expect(await form.getByLabel('Output path').getAttribute('aria-invalid')).toBe('true');
    expect(jobPosts).toHaveLength(0);

    // Inputs that match no object pass the form but not the API: its field error shows there.
    await form.getByLabel('Output path').fill('gs://demo/predictions/score_ui/');
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    await expect.poll(() => fieldError('Input paths').count()).toBe(1);
    expect(await fieldError('Input paths').textContent()).toBe(
      'no object matches "gs://demo/batch/nothing-*.jsonl"',
    );
    expect(jobPosts).toHaveLength(1);
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, 'batch-form-error');

    // A real input and version v1: the app goes to the job's page.
    await form.getByLabel('Input paths').fill('gs://demo/batch/ui/*.jsonl');
    await form.getByLabel('Version').selectOption('v1');
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(`${base}/jobs/score_ui?project=default`);
    expect(jobPosts).toHaveLength(2);
    expect(JSON.parse(jobPosts[1]?.postData() ?? '{}')).toEqual({
      jobId: 'score_ui',
      predictionInput: {
        region: 'local',
        dataFormat: 'JSON',
        outputDataFormat: 'JSON',
        inputPaths: ['gs://demo/batch/ui/*.jsonl'],
        outputPath: 'gs://demo/predictions/score_ui/',
        versionName: 'projects/default/models/doubler/versions/v1',
        batchSize: 100,
        maxWorkerCount: 1,
      },
    });
    // Gone if the page reloads: the progress must move in this very page.
    await page.evaluate('window.stillThisPage = true');

    // The overview names what the job scores; no training-only section is shown.
    const overview = page.getByRole('region', { name: 'Overview' });
    await overview
      .getByText('projects/default/models/doubler/versions/v1', { exact: true })
      .waitFor();
    await overview.getByText('gs://demo/batch/ui/*.jsonl', { exact: true }).waitFor();
    await overview.getByText('JSON → JSON', { exact: true }).waitFor();
    for (const title of ['Training curves', 'Trials', 'Deploy']) {
      expect(await page.getByRole('heading', { name: title, exact: true }).count()).toBe(0);
    }

    // The bar, polled, until the job ends: it never goes back, and it ends full.
    const bar = page.getByRole('progressbar', { name: 'Rows processed' });
    const seen: number[] = [];
    // A guard on the loop; the assertions are on the job's state and the bar.
    const deadline = Date.now() + 120_000;
    let state = '';
    while (Date.now() < deadline) {
      seen.push(Number(await bar.getAttribute('value')));
      state = (await call<Job>('GET', `${p}/jobs/score_ui`)).body.state;
      if (state === 'SUCCEEDED' || state === 'FAILED') break;
      await page.waitForTimeout(200);
    }
    expect(state).toBe('SUCCEEDED');
    expect(seen.filter((n, i) => i > 0 && n < (seen[i - 1] ?? 0))).toEqual([]);
    await page.locator('.job-page > .page-head').getByText('SUCCEEDED', { exact: true }).waitFor();
    await expect.poll(() => bar.getAttribute('value')).toBe('100');
    const job = (await call<Job>('GET', `${p}/jobs/score_ui`)).body;
    const shards = job.predictionOutput?.shardCount ?? 0;
    expect(shards).toBeGreaterThan(1);
    const progress = page.getByRole('region', { name: 'Progress' });
    expect(await progress.locator('.progress-rows').textContent()).toBe(
      '3,000 / 3,000 rows (100%)',
    );
    expect(await progress.locator('.progress-shards').textContent()).toBe(
      `${shards} of ${shards} shards completed`,
    );
    expect(await progress.locator('.progress-rate').textContent()).toMatch(/^[\d,]+ rows\/s$/);
    expect(await progress.locator('[data-count="predictions"]').textContent()).toBe('3,000');
    expect(await progress.locator('[data-count="errors"]').textContent()).toBe('0');
    expect(Number(await progress.locator('[data-count="node-hours"]').textContent())).toBe(
      Number(job.predictionOutput?.nodeHours?.toPrecision(4)),
    );
    expect(await page.getByRole('button', { name: 'Cancel job score_ui' }).count()).toBe(0);
    expect(await page.evaluate('window.stillThisPage')).toBe(true);
    expect(await unnamedControls(page)).toEqual([]);
    await shot(page, 'batch-job');

    // The jobs list: a batch prediction, with its progress.
    await page.getByRole('link', { name: 'Jobs' }).first().click();
    const row = page.locator('tr[data-job-id="score_ui"]');
    await row.getByText('batch prediction', { exact: true }).waitFor();
    await row.getByText('3,000 / 3,000 rows (100%)').waitFor();
    await shot(page, 'batch-jobs');

    // The rows were scored by v1: 2·[x, 1].
    const results = (
      await env.storage.read(
        'gs://demo/predictions/score_ui/prediction.results-00000-of-' +
          String(shards).padStart(5, '0'),
      )
    )
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { source: { line: number }; prediction: number[] });
    expect(results[0]).toEqual({
      source: { uri: 'gs://demo/batch/ui/part-0.jsonl', line: 1 },
      prediction: [0, 2],
    });
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 240_000);
});
