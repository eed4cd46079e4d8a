/**
 * The dashboard in headless Chromium against a real all-in-one server (API +
 * predictor + a worker child, real Redis under its own prefix, a local bucket
 * in a temp STRATUS_HOME): sign in through the printed URL, submit an Iris
 * tuning job from the form, watch the curves grow over SSE, deploy the best
 * trial, predict from the generated form, cancel a second job. Then (issue 10,
 * security) markup in each user-controlled string the dashboard shows stays
 * text. Screenshots go to .artifacts/screenshots/ (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Browser, Page, Request } from 'playwright-core';
import { checkLabels, type Job, type Version } from '@stratus/spec';
import {
  injectedMarkup,
  launchChromium,
  unnamedControls,
  watchInjectedMarkup,
} from './support/browser.js';
import { trainerTarball } from './faults/support/trainer-tarball.js';
import {
  ROOT,
  apiCall,
  irisTraining,
  openE2eEnv,
  waitForJob,
  type E2eEnv,
} from './support/stratus-e2e.js';

const SHOTS = join(ROOT, '.artifacts', 'screenshots');

let env: E2eEnv;
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let dashboardUrl = '';
let base = '';

beforeAll(async () => {
  // Build the dashboard when its dist/ is missing or stale (a no-op after `npm run build`).
  const build = spawnSync(process.execPath, ['scripts/build-dashboard.mjs'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  expect(build.status).toBe(0);
  await mkdir(SHOTS, { recursive: true });
  env = await openE2eEnv({ STRATUS_WORKER_CONCURRENCY: '2', LOG_LEVEL: 'warn' });
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
  // Chromium starts while the server does (assigned as soon as it is up, so afterAll closes it
  // even when the server fails to start).
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
  const [printed] = await Promise.all([started, launching]);
  base = new URL(printed).origin;
  // The operator supplied STRATUS_ADMIN_TOKEN, so the banner prints no token: sign in as they
  // would, with the token they hold.
  expect(printed).toBe(`${base}/`);
  dashboardUrl = `${base}/?token=${encodeURIComponent(env.adminToken)}`;
}, 240_000);

const stopServer = async (): Promise<void> => {
  if (server === undefined || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server?.once('exit', resolve));
  server.kill('SIGTERM');
  await exited;
};

afterAll(async () => {
  await Promise.all([browser?.close(), stopServer()]);
  await env?.close();
}, 60_000);

const shot = (page: Page, name: string): Promise<Buffer> =>
  page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

const expectAllControlsNamed = async (page: Page): Promise<void> => {
  expect(await unnamedControls(page)).toEqual([]);
};

/** Markup that sets `window.__xss` to `where` if a page ever parses it as HTML. */
const imgPayload = (where: string): string => `<img src=x onerror="window.__xss='${where}'">`;
const scriptPayload = (where: string): string => `<script>window.__xss='${where}'</script>`;

/**
 * A custom trainer that echoes its first argument, reports one metric under `tag`, writes
 * `stderr` and fails: its module name, arguments, log lines, error message, metric tag and
 * hyperparameter value are all strings a user controls.
 */
const xssTrainer = (tag: string, stderr: string): string => `
import { appendFileSync } from 'node:fs';
console.log('received ' + process.argv[2]);
appendFileSync(process.env.CLOUD_ML_HP_METRIC_FILE, JSON.stringify({
  ${JSON.stringify(tag)}: '0.5', global_step: '1', timestamp: Date.now() / 1000, trial: '1',
}) + '\\n');
console.error(${JSON.stringify(stderr)});
process.exitCode = 1;
`;

/** The number of points the training-curve chart of `metric` draws. */
const chartPoints = async (page: Page, metric: string): Promise<number> => {
  const value = await page
    .locator(`figure[data-metric="${metric}"] .chart`)
    .getAttribute('data-points', { timeout: 1000 })
    .catch(() => null);
  return value === null ? 0 : Number(value);
};

describe('dashboard', () => {
  it('signs in from a ?token= URL, tunes Iris from the form, deploys the best trial and predicts', async () => {
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

    // Sign in through a `?token=` URL: the token leaves the address bar for localStorage.
    await page.goto(dashboardUrl);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    // The address names the project shown, so it can be shared.
    await page.waitForURL(`${base}/?project=default`);
    expect(await page.evaluate("localStorage.getItem('stratus.token')")).toBe(env.adminToken);

    // A range with min > max: the error shows at the Min field and nothing is sent.
    await page.getByRole('button', { name: 'Submit job' }).click();
    const form = page.getByRole('form', { name: 'Submit job' });
    await form.getByLabel('Job ID').fill('iris_ui_tune');
    await form.getByLabel('Epochs').fill('8');
    await form.getByLabel('Batch size').fill('16');
    await form.getByLabel('Tune hyperparameters').check();
    await form.getByLabel('Max trials').fill('3');
    await form.getByLabel('Max parallel trials').fill('2');
    const param = form.getByRole('group', { name: 'Parameter 1' });
    await param.getByLabel('Min').fill('0.5');
    await param.getByLabel('Max').fill('0.01');
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    const minField = param.locator('.field', { has: page.getByLabel('Min') });
    await expect
      .poll(() => minField.locator('.field-error').textContent())
      .toBe('minValue (0.5) must be less than maxValue (0.01)');
    expect(await param.getByLabel('Min').getAttribute('aria-invalid')).toBe('true');
    expect(jobPosts).toHaveLength(0);
    await expectAllControlsNamed(page);
    await shot(page, 'jobs-submit-form-error');

    // Fix the range and submit: the app goes to the job's page.
    await param.getByLabel('Min').fill('0.003');
    await param.getByLabel('Max').fill('0.1');
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    await page.waitForURL(`${base}/jobs/iris_ui_tune?project=default`);
    expect(jobPosts).toHaveLength(1);
    // Gone if the page reloads: the curves must grow in this very page.
    await page.evaluate('window.stillThisPage = true');

    // The loss curve grows while the job runs, without a reload.
    const seen: number[] = [];
    // A timeout guard for the loop; the assertions are on the job's state and the chart.
    const deadline = Date.now() + 150_000;
    let state = '';
    while (Date.now() < deadline) {
      seen.push(await chartPoints(page, 'loss'));
      state = (
        await apiCall<Job>(base, env.adminToken, 'GET', '/v1/projects/default/jobs/iris_ui_tune')
      ).body.state;
      if (state === 'SUCCEEDED' || state === 'FAILED') break;
      await page.waitForTimeout(150);
    }
    expect(state).toBe('SUCCEEDED');
    const growing = seen.filter(
      (n, i) => i > 0 && n > (seen[i - 1] ?? 0) && (seen[i - 1] ?? 0) > 0,
    );
    expect(growing.length, `points seen: ${seen.join(',')}`).toBeGreaterThan(0);
    // The job's own badge (the state timeline shows a pending SUCCEEDED from the start).
    const jobHead = page.locator('.job-page > .page-head');
    await jobHead.getByText('SUCCEEDED', { exact: true }).waitFor();
    // 3 trials × 8 epochs of loss once the stream has caught up.
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 10_000 }).toBe(24);
    await expect.poll(() => chartPoints(page, 'val_accuracy'), { timeout: 10_000 }).toBe(24);
    expect(await page.evaluate('window.stillThisPage')).toBe(true);

    // Trials sorted by objective: the best one comes first.
    const job = (
      await apiCall<Job>(base, env.adminToken, 'GET', '/v1/projects/default/jobs/iris_ui_tune')
    ).body;
    const best = job.trainingOutput?.bestTrialId ?? '';
    const bestValue = job.trainingOutput?.trials?.find((t) => t.trialId === best)?.finalMetric
      ?.objectiveValue;
    await expect.poll(() => page.locator('table.trials-table tbody tr').count()).toBe(3);
    await page.getByRole('button', { name: /^Objective/ }).click();
    const objectives = async (): Promise<number[]> =>
      (await page.locator('table.trials-table tbody tr td.objective').allTextContents()).map(
        Number,
      );
    await expect.poll(objectives).toEqual([...(await objectives())].sort((a, b) => b - a));
    expect((await objectives())[0]).toBeCloseTo(bestValue ?? Number.NaN, 3);
    await page.locator(`tr[data-trial-id="${best}"]`).getByText('★ best').waitFor();
    await page.getByRole('log', { name: 'Job logs' }).getByText(/trial/i).first().waitFor();
    await expectAllControlsNamed(page);
    await shot(page, 'job');

    // Deploy the best trial; the version becomes READY.
    // As ONNX: the trainer exported model.onnx beside model.json, and ONNX Runtime serves it.
    await page.getByLabel('Model name').fill('iris_ui');
    await page.getByLabel('Framework').selectOption('ONNX');
    await page.getByRole('button', { name: 'Deploy best trial' }).click();
    await expect
      .poll(() => page.locator('.deploy-status').textContent(), { timeout: 120_000 })
      .toBe('Deployed iris_ui version v1: READY');

    // Models page: the version, READY and default; predict from the generated form.
    await page.getByRole('link', { name: 'Models' }).click();
    const card = page.locator('[data-model="iris_ui"]');
    await card.getByText('READY').waitFor();
    await card.getByText('default', { exact: true }).waitFor();
    await card.locator('tr[data-version="v1"] td', { hasText: /^ONNX$/ }).waitFor();
    const predict = card.getByRole('form', { name: 'Try a prediction with iris_ui' });
    await predict.getByLabel('sepal_length').fill('5.1');
    await predict.getByLabel('sepal_width').fill('3.5');
    await predict.getByLabel('petal_length').fill('1.4');
    await predict.getByLabel('petal_width').fill('0.2');
    await predict.getByRole('button', { name: 'Predict' }).click();
    await expect
      .poll(() => predict.locator('.predicted-label').textContent(), { timeout: 30_000 })
      .toBe('setosa');
    await expect.poll(() => predict.locator('.bars li').count()).toBe(3);
    await expectAllControlsNamed(page);
    await shot(page, 'models');

    // Workers page: the all-in-one worker on the wasm backend, and the queues.
    await page.getByRole('link', { name: 'Workers' }).click();
    await page.locator('tr[data-worker] td', { hasText: 'wasm' }).first().waitFor();
    await page.locator('tr[data-queue="cpu"]').waitFor();
    await expectAllControlsNamed(page);
    await shot(page, 'workers');

    // Cancel a second (long) job from the jobs table.
    const long = await apiCall(base, env.adminToken, 'POST', '/v1/projects/default/jobs', {
      jobId: 'iris_ui_long',
      labels: { team: 'ui' },
      trainingInput: irisTraining('iris_ui_long', { epochs: 5000 }),
    });
    expect(long.status).toBe(200);
    await page.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('button', { name: 'Cancel job iris_ui_long' }).click();
    const cancelled = await waitForJob(base, env.adminToken, 'iris_ui_long', ['CANCELLED'], 60_000);
    expect(cancelled.state).toBe('CANCELLED');
    await page.locator('tr[data-job-id="iris_ui_long"]').getByText('CANCELLED').waitFor();

    // Label filter and state filter narrow the table (server-side).
    await page.getByLabel('Labels').fill('team=ui');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.locator('tr[data-job-id]').count()).toBe(1);
    await page.getByLabel('Labels').fill('');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.getByLabel('State').selectOption('SUCCEEDED');
    await expect.poll(() => page.locator('tr[data-job-id]').count()).toBe(1);
    await expect
      .poll(() => page.locator('tr[data-job-id]').first().getAttribute('data-job-id'))
      .toBe('iris_ui_tune');
    await page.getByLabel('State').selectOption('');
    await expect.poll(() => page.locator('tr[data-job-id]').count()).toBe(2);
    await expectAllControlsNamed(page);
    await shot(page, 'jobs');

    // A narrow screen: nothing overflows sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect
      .poll(async () => Number(await page.evaluate('document.documentElement.scrollWidth')))
      .toBeLessThanOrEqual(390);
    await shot(page, 'jobs-narrow');
    await page.goto(`${base}/jobs/iris_ui_tune`);
    await page.getByRole('heading', { name: 'Training curves' }).waitFor();
    await expect.poll(() => chartPoints(page, 'loss'), { timeout: 10_000 }).toBe(24);
    expect(Number(await page.evaluate('document.documentElement.scrollWidth'))).toBeLessThanOrEqual(
      390,
    );
    await shot(page, 'job-narrow');

    // Log out: back to the login page, the token forgotten.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Stratus' }).waitFor();
    expect(await page.evaluate("localStorage.getItem('stratus.token')")).toBeNull();
    await page.getByLabel('Token').fill('not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expectAllControlsNamed(page);
    await shot(page, 'login');

    expect(pageErrors).toEqual([]);
    await context.close();
  }, 420_000);

  it('shows markup in user-controlled strings as text and never runs it', async () => {
    const MODULE = `${imgPayload('module')}.mjs`;
    const ARG = scriptPayload('log');
    const PROBE = imgPayload('trial');
    const TAG = imgPayload('metric');
    const STDERR = imgPayload('error');
    const DESCRIPTION = imgPayload('description');
    const DEPLOY_URI = `gs://demo/models/${imgPayload('uri')}/`;
    const LABEL = imgPayload('label');
    const token = env.adminToken;

    // A failing custom tuning job whose every free-form string carries markup, and a model
    // whose description and (missing) bundle URI do; both are under way while the page opens.
    await env.storage.write(
      'gs://demo/packages/xss.tgz',
      trainerTarball({ 'package.json': '{"type":"module"}', [MODULE]: xssTrainer(TAG, STDERR) }),
    );
    const created = await apiCall(base, token, 'POST', '/v1/projects/default/jobs', {
      jobId: 'xss_probe',
      trainingInput: {
        scaleTier: 'BASIC',
        region: 'local',
        jobDir: 'gs://demo/jobs/xss_probe',
        packageUris: ['gs://demo/packages/xss.tgz'],
        module: MODULE,
        args: [ARG],
        hyperparameters: {
          goal: 'MAXIMIZE',
          hyperparameterMetricTag: TAG,
          maxTrials: 1,
          params: [{ parameterName: 'probe', type: 'CATEGORICAL', categoricalValues: [PROBE] }],
        },
      },
    });
    expect(created.status).toBe(200);
    const model = await apiCall(base, token, 'POST', '/v1/projects/default/models', {
      name: 'xss_model',
      description: DESCRIPTION,
    });
    expect(model.status).toBe(200);
    const versions = '/v1/projects/default/models/xss_model/versions';
    const version = await apiCall(base, token, 'POST', versions, {
      name: 'v1',
      deploymentUri: DEPLOY_URI,
    });
    expect(version.status).toBe(200);

    // No CSP here: it would block inline handlers and hide an escaping bug. The dashboard's
    // CSP is a second layer, checked in services/api/src/plugins/dashboard.test.ts.
    const context = await browser!.newContext({
      bypassCSP: true,
      viewport: { width: 1280, height: 900 },
    });
    await watchInjectedMarkup(context);
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        pageErrors.push(message.text());
      }
    });
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    // An <img src=x> that made it into the DOM would fetch …/x at once.
    const imageFetches: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/x')) imageFetches.push(request.url());
    });
    await page.goto(dashboardUrl);
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();

    // Label values may not hold markup, and the form says so quoting the value as typed.
    await page.getByRole('button', { name: 'Submit job' }).click();
    const form = page.getByRole('form', { name: 'Submit job' });
    await form.getByLabel('Job ID').fill('xss_label');
    await form.getByLabel('Labels').fill(`team=${LABEL}`);
    await form.getByRole('button', { name: 'Submit', exact: true }).click();
    const labelError = checkLabels({ team: LABEL }, 'labels')[0]?.description ?? '';
    expect(labelError).toContain(LABEL);
    await expect
      .poll(() =>
        form
          .locator('.field', { has: page.getByLabel('Labels') })
          .locator('.field-error')
          .textContent(),
      )
      .toBe(labelError);
    await page.getByRole('button', { name: 'Close form' }).click();

    // The jobs table: the module name in the Algorithm column.
    const failed = await waitForJob(base, token, 'xss_probe', ['FAILED', 'SUCCEEDED'], 60_000);
    expect(failed.state).toBe('FAILED');
    expect(failed.errorMessage).toContain(MODULE);
    expect(failed.errorMessage).toContain(STDERR);
    const row = page.locator('tr[data-job-id="xss_probe"]');
    await expect
      .poll(() => row.locator('td').nth(2).textContent(), { timeout: 10_000 })
      .toBe(MODULE);

    // The job page: overview, error, spec, trials, curve title and log lines.
    await row.getByRole('link', { name: 'xss_probe' }).click();
    await page.locator('.job-page > .page-head').getByText('FAILED', { exact: true }).waitFor();
    await expect
      .poll(() => page.locator('.job-page p.error').first().textContent())
      .toBe(failed.errorMessage);
    expect(await page.locator('dl.overview dd').first().textContent()).toBe(MODULE);
    await page.getByRole('button', { name: 'Show spec' }).click();
    expect(await page.locator('pre.spec').textContent()).toBe(
      JSON.stringify(failed.trainingInput, null, 2),
    );
    expect(await page.locator('pre.spec').textContent()).toContain(ARG);
    await expect
      .poll(() => page.locator('tr[data-trial-id="1"] td').allTextContents())
      .toContain(PROBE);
    await expect.poll(() => page.locator('figure.curve .u-title').allTextContents()).toContain(TAG);
    const logs = page.getByRole('log', { name: 'Job logs' });
    await logs.getByText(`received ${ARG}`, { exact: true }).waitFor();
    await logs.getByText(STDERR, { exact: true }).waitFor();

    // The models page: the description, and the version's bundle URI and load error.
    await page.getByRole('link', { name: 'Models' }).click();
    const card = page.locator('[data-model="xss_model"]');
    await expect.poll(() => card.locator('.page-head .muted').textContent()).toBe(DESCRIPTION);
    const versionRow = card.locator('tr[data-version="v1"]');
    await expect.poll(() => versionRow.locator('td').nth(4).textContent()).toBe(DEPLOY_URI);
    const versionNow = async (): Promise<Version> =>
      (await apiCall<Version>(base, token, 'GET', `${versions}/v1`)).body;
    await expect.poll(async () => (await versionNow()).state, { timeout: 60_000 }).toBe('FAILED');
    const deployed = await versionNow();
    expect(deployed.errorMessage).toContain(imgPayload('uri'));
    await expect
      .poll(() => versionRow.locator('.error').textContent(), { timeout: 10_000 })
      .toBe(` ${deployed.errorMessage ?? ''}`);

    // Nothing ran, nothing was parsed into elements, nothing was fetched.
    expect(await page.evaluate('typeof window.__xss')).toBe('undefined');
    expect(await injectedMarkup(page)).toEqual([]);
    expect(await page.locator('main img, main script, main [onerror]').count()).toBe(0);
    expect(imageFetches).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 120_000);

  it('claims, grants and revokes buckets from the Buckets page', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const claimed = await apiCall(base, env.adminToken, 'POST', '/v1/projects/beta/buckets', {
      name: 'beta-ui',
    });
    expect(claimed.status).toBe(200);

    await page.goto(dashboardUrl);
    await page.getByRole('link', { name: 'Buckets' }).click();
    await page.getByRole('heading', { name: 'Buckets' }).waitFor();
    expect(page.url()).toBe(`${base}/buckets?project=default`);

    const claim = page.getByRole('form', { name: 'Claim a bucket' });
    await claim.getByLabel('Bucket').fill('ui-data');
    await claim.getByRole('button', { name: 'Claim' }).click();
    const row = page.locator('tr[data-bucket="ui-data"]');
    await row.getByText('OWNER', { exact: true }).waitFor();
    expect(await row.locator('td').first().textContent()).toBe('gs://ui-data');

    // Another project's bucket: the API's 403 is shown, and it stays beta's.
    await claim.getByLabel('Bucket').fill('beta-ui');
    await claim.getByRole('button', { name: 'Claim' }).click();
    await expect
      .poll(() => claim.getByRole('alert').textContent())
      .toBe('Permission denied: name: bucket "beta-ui" belongs to another project');
    expect(await page.locator('tr[data-bucket="beta-ui"]').count()).toBe(0);

    await row.getByLabel('Project to grant access to ui-data').fill('beta');
    await row.getByLabel('Role to grant on ui-data').selectOption('WRITER');
    await row.getByRole('button', { name: 'Grant access to ui-data' }).click();
    const grant = row.locator('li[data-grant="beta"]');
    await grant.waitFor();
    expect(await grant.textContent()).toContain('beta: WRITER');
    const betaView = async () =>
      (
        await apiCall<{ buckets: unknown[] }>(
          base,
          env.adminToken,
          'GET',
          '/v1/projects/beta/buckets',
        )
      ).body.buckets;
    expect(await betaView()).toContainEqual({ name: 'ui-data', owner: 'default', role: 'WRITER' });
    await expectAllControlsNamed(page);
    await shot(page, 'buckets');
    // /buckets is a served client route: a reload lands on the same page.
    await page.reload();
    await grant.waitFor();

    await row.getByRole('button', { name: "Revoke beta's access to ui-data" }).click();
    await expect.poll(() => grant.count()).toBe(0);
    expect(await betaView()).not.toContainEqual(expect.objectContaining({ name: 'ui-data' }));
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('carries the project in every URL: shared links open their project, links keep it', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A job of project gamma: its job dir in gamma's own bucket, Iris read from demo (granted).
    const setUp: [string, unknown][] = [
      ['/v1/projects/default/buckets', { name: 'demo' }],
      ['/v1/projects/default/buckets/demo:grant', { project: 'gamma', role: 'READER' }],
      ['/v1/projects/gamma/buckets', { name: 'gamma-ui' }],
    ];
    for (const [path, body] of setUp) {
      expect((await apiCall(base, env.adminToken, 'POST', path, body)).status).toBe(200);
    }
    const created = await apiCall(base, env.adminToken, 'POST', '/v1/projects/gamma/jobs', {
      jobId: 'gamma_job',
      trainingInput: {
        ...irisTraining('gamma_job', { epochs: 1 }),
        jobDir: 'gs://gamma-ui/jobs/gamma_job',
      },
    });
    expect(created.status).toBe(200);

    await page.goto(dashboardUrl);
    await page.waitForURL(`${base}/?project=default`);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link', { name: 'Models' }).getAttribute('href')).toBe(
      '/models?project=default',
    );

    // A link to a job of another project, opened in this signed-in browser: that project's job,
    // and the project switcher follows.
    await page.goto(`${base}/jobs/gamma_job?project=gamma`);
    await page.getByRole('heading', { name: /gamma_job/ }).waitFor();
    expect(await page.locator('#project-input').inputValue()).toBe('gamma');
    expect(await page.evaluate("localStorage.getItem('stratus.project')")).toBe('gamma');
    const crumb = page.locator('.job-page h1').getByRole('link', { name: 'Jobs' });
    expect(await crumb.getAttribute('href')).toBe('/jobs?project=gamma');
    await crumb.click();
    await page.waitForURL(`${base}/jobs?project=gamma`);
    await page.locator('tr[data-job-id="gamma_job"]').waitFor();
    expect(
      await page.locator('tr[data-job-id="gamma_job"]').getByRole('link').getAttribute('href'),
    ).toBe('/jobs/gamma_job?project=gamma');
    await nav.getByRole('link', { name: 'Models' }).click();
    await page.waitForURL(`${base}/models?project=gamma`);

    // Switching project from a job's page goes to the other project's job list.
    await page.goto(`${base}/jobs/gamma_job?project=gamma`);
    await page.getByRole('heading', { name: /gamma_job/ }).waitFor();
    await page.locator('#project-input').fill('default');
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.waitForURL(`${base}/jobs?project=default`);
    expect(await page.locator('#project-input').inputValue()).toBe('default');
    await page.getByRole('heading', { name: 'Jobs' }).waitFor();
    await expect.poll(() => page.locator('tr[data-job-id="gamma_job"]').count()).toBe(0);

    // An address without a (valid) project gets the one shown; back returns to the last page.
    await page.goto(`${base}/workers?project=Not_Valid`);
    await page.waitForURL(`${base}/workers?project=default`);
    await page.goBack();
    await page.waitForURL(`${base}/jobs?project=default`);

    // Signed out, a shared link asks for the token with its project filled in.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.goto(`${base}/jobs/gamma_job?project=gamma`);
    expect(await page.getByLabel('Project').inputValue()).toBe('gamma');
    await page.getByLabel('Token').fill(env.adminToken);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: /gamma_job/ }).waitFor();
    expect(page.url()).toBe(`${base}/jobs/gamma_job?project=gamma`);
    await expectAllControlsNamed(page);
    await shot(page, 'job-shared-link');

    await apiCall(base, env.adminToken, 'POST', '/v1/projects/gamma/jobs/gamma_job:cancel', {});
    expect(pageErrors).toEqual([]);
    await context.close();
  }, 120_000);
});
