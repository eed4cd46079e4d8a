import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthcheckUrl, loadCompose, serviceEnv } from './support/compose.js';
import { makeK8sTrees } from './support/k8s-trees.js';
import { renderKustomization } from './support/kustomize.js';
import { startLiveServer, type LiveServer } from './support/live-server.js';
import { record } from './support/repo-files.js';
import { workloads } from './support/workloads.js';

/**
 * Every HTTP path a deployment file probes, asked of the real server that image runs (started
 * with that file's environment): a renamed route fails here, not in a rollout.
 */

type Image = 'api' | 'predictor';
const IMAGES: readonly Image[] = ['api', 'predictor'];

const { services, dotenv } = loadCompose();
const trees = makeK8sTrees();
const example = renderKustomization(trees.example);
trees.dispose();

/** image → env of the k8s container, and every path probed for it by compose or k8s. */
const probed = (image: Image): { env: Record<string, string>; paths: string[] } => {
  const w = workloads(example).find((candidate) => candidate.name === image);
  if (w === undefined) throw new Error(`no ${image} Deployment`);
  const k8sPaths = ['readinessProbe', 'livenessProbe', 'startupProbe']
    .filter((field) => w.container[field] !== undefined)
    .map((field) => String(record(record(w.container[field], field).httpGet, 'httpGet').path));
  const composePath = healthcheckUrl(record(services[image], image))?.pathname;
  return {
    env: { ...serviceEnv(record(services[image], image), dotenv), ...w.env },
    paths: [...new Set([...k8sPaths, ...(composePath === undefined ? [] : [composePath])])],
  };
};

describe.each(IMAGES)('the %s server answers every probe the deployment files use', (image) => {
  const { env, paths } = probed(image);
  let server: LiveServer;
  beforeAll(async () => {
    server = await startLiveServer(image, env);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(paths)('GET %s → 200 without a token', async (path) => {
    const response = await fetch(`${server.url}${path}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { status: string }).status).toBe('ok');
  });

  it('probes /readyz and /healthz', () => {
    expect(paths.sort()).toEqual(['/healthz', '/readyz']);
  });
});

describe('the API metrics route (scraped by Prometheus, docs/operations.md)', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await startLiveServer('api', probed('api').env);
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves Prometheus text to the admin token and nothing without one', async () => {
    const token = probed('api').env.STRATUS_ADMIN_TOKEN ?? '';
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const response = await fetch(`${server.url}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const metric of ['stratus_queue_trials', 'stratus_workers', 'stratus_jobs']) {
      expect(text).toContain(`# TYPE ${metric} gauge`);
    }
    expect(text).toContain('# TYPE stratus_http_request_duration_seconds histogram');
  });
});
