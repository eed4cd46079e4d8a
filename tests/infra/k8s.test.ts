import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configEnvNames, loadConfig } from '@stratus/config';
import { bullmqPrefix, queueName, queueWaitListKey } from '@stratus/store';
import { makeK8sTrees } from './support/k8s-trees.js';
import {
  baseName,
  hasKubectl,
  renderKustomization,
  renderWithFallback,
  type K8sObject,
} from './support/kustomize.js';
import {
  FOREIGN_ENV,
  IMAGE_NAMES,
  ROOT,
  isRecord,
  parseYamlDocuments,
  record,
  repoVersion,
} from './support/repo-files.js';
import { stratusImage, workloads, type Workload } from './support/workloads.js';

const trees = makeK8sTrees();
afterAll(() => trees.dispose());

const rendered = {
  base: renderKustomization(trees.base),
  example: renderKustomization(trees.example),
  gcsKey: renderKustomization(trees.gcsKey),
};
type TreeName = keyof typeof rendered;
const treeNames = Object.keys(rendered) as TreeName[];
const known = new Set([...configEnvNames(), ...Object.keys(FOREIGN_ENV)]);

const find = (docs: readonly K8sObject[], kind: string, name: string): K8sObject => {
  const found = docs.find((doc) => doc.kind === kind && baseName(doc) === name);
  if (found === undefined) throw new Error(`no ${kind} ${name}`);
  return found;
};
const stratusWorkloads = (tree: TreeName): Workload[] =>
  workloads(rendered[tree]).filter((w) => stratusImage(w.image) !== undefined);
const workload = (tree: TreeName, name: string): Workload => {
  const found = stratusWorkloads(tree).find((w) => w.name === name);
  if (found === undefined) throw new Error(`no workload ${name}`);
  return found;
};
const spec = (doc: K8sObject): Record<string, unknown> => record(doc.spec, `${doc.kind} spec`);

describe('infra/k8s files', () => {
  const yamlFiles = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? yamlFiles(join(dir, entry.name))
        : entry.name.endsWith('.yaml')
          ? [join(dir, entry.name)]
          : [],
    );

  it('every manifest parses', () => {
    const files = yamlFiles('infra/k8s');
    expect(files.length).toBeGreaterThanOrEqual(12);
    for (const file of files) {
      const docs = parseYamlDocuments(readFileSync(join(ROOT, file), 'utf8'), file);
      expect(docs.length, file).toBeGreaterThan(0);
    }
  });

  it.each(treeNames)('%s renders every resource Stratus needs', (tree) => {
    const kinds = rendered[tree].map((doc) => `${doc.kind}/${baseName(doc)}`).sort();
    expect(kinds).toEqual(
      expect.arrayContaining([
        'ConfigMap/stratus-config',
        'Deployment/api',
        'Deployment/predictor',
        'Deployment/worker',
        'Deployment/worker-gpu',
        'HorizontalPodAutoscaler/predictor',
        'Ingress/stratus',
        'Namespace/stratus',
        'NetworkPolicy/default-deny-ingress',
        'NetworkPolicy/http-from-ingress',
        'NetworkPolicy/redis-clients',
        'NetworkPolicy/worker-egress',
        'ScaledObject/worker',
        'ScaledObject/worker-gpu',
        'Service/api',
        'Service/predictor',
        'Service/redis',
        'ServiceAccount/stratus',
        'StatefulSet/redis',
        'TriggerAuthentication/redis-auth',
      ]),
    );
    for (const doc of rendered[tree]) {
      if (doc.kind !== 'Namespace') expect(doc.metadata.namespace, kinds.join()).toBe('stratus');
    }
  });

  it('the example overlay defines the Secret of the admin token and the Redis password', () => {
    const secret = find(rendered.example, 'Secret', 'stratus-secrets');
    const data = Object.fromEntries(
      Object.entries(record(secret.data, 'data')).map(([k, v]) => [
        k,
        Buffer.from(String(v), 'base64').toString(),
      ]),
    );
    expect(Object.keys(data).sort()).toEqual([
      'REDIS_PASSWORD',
      'REDIS_URL',
      'STRATUS_ADMIN_TOKEN',
    ]);
    // One password, twice: redis-server's requirepass and the clients' REDIS_URL.
    expect(decodeURIComponent(new URL(data.REDIS_URL ?? '').password)).toBe(data.REDIS_PASSWORD);
    const api = workload('example', 'api');
    expect(api.env.STRATUS_ADMIN_TOKEN).toBe('replace-with-openssl-rand-hex-24');
    expect(api.env.REDIS_URL).toBe(data.REDIS_URL);
  });
});

describe.each(treeNames)('k8s %s', (tree) => {
  const docs = rendered[tree];

  it('sets only variables packages/config reads, with values it accepts', () => {
    const all = stratusWorkloads(tree);
    expect(all.map((w) => w.name).sort()).toEqual(['api', 'predictor', 'worker', 'worker-gpu']);
    for (const w of all) {
      const unknown = Object.keys(w.env).filter((name) => !known.has(name));
      expect(unknown, `unknown variables in ${w.name}`).toEqual([]);
      expect(() => loadConfig(w.env), w.name).not.toThrow();
    }
    for (const doc of docs.filter((d) => d.kind === 'ConfigMap' || d.kind === 'Secret')) {
      for (const key of Object.keys(record(doc.data ?? {}, 'data'))) {
        expect(known.has(key), `${doc.kind} ${doc.metadata.name} key ${key}`).toBe(true);
      }
    }
  });

  it.each(['api', 'predictor'])(
    '%s listens where its Service, probes and Ingress point',
    (name) => {
      const w = workload(tree, name);
      const config = loadConfig(w.env);
      expect(config.host).toBe('0.0.0.0');
      const ports = w.container.ports as Array<Record<string, unknown>>;
      expect(ports).toEqual([{ name: 'http', containerPort: config.port }]);
      const probe = (field: string): Record<string, unknown> =>
        record(record(w.container[field], field).httpGet, `${field}.httpGet`);
      expect(probe('readinessProbe')).toEqual({ path: '/readyz', port: 'http' });
      expect(probe('livenessProbe')).toEqual({ path: '/healthz', port: 'http' });
      const service = find(docs, 'Service', name);
      const servicePorts = spec(service).ports as Array<Record<string, unknown>>;
      expect(servicePorts.map((p) => p.targetPort)).toEqual(['http']);
      expect(record(spec(service).selector, 'selector')).toEqual(
        record(record(spec(w.object).selector, 'selector').matchLabels, 'matchLabels'),
      );
      const ingress = spec(find(docs, 'Ingress', 'stratus'));
      const backends = (ingress.rules as Array<Record<string, unknown>>).flatMap((rule) =>
        (record(rule.http, 'http').paths as Array<Record<string, unknown>>).map((path) =>
          record(record(path.backend, 'backend').service, 'service'),
        ),
      );
      expect(backends).toContainEqual({ name, port: { name: servicePorts[0]?.name } });
    },
  );

  it.each(['worker', 'worker-gpu'])(
    'KEDA scales %s on the BullMQ lists packages/store names for its queues',
    (name) => {
      const w = workload(tree, name);
      const config = loadConfig(w.env);
      const scaled = spec(find(docs, 'ScaledObject', name));
      expect(record(scaled.scaleTargetRef, 'scaleTargetRef').name).toBe(name);
      const triggers = (scaled.triggers as Array<Record<string, unknown>>).map(
        (trigger): Record<string, unknown> => ({
          type: trigger.type,
          name: trigger.name,
          ...record(trigger.metadata, 'metadata'),
        }),
      );
      const redisUrl = new URL(config.redisUrl);
      const namespace = w.object.metadata.namespace;
      const address = `${redisUrl.hostname}.${String(namespace)}.svc.cluster.local:${redisUrl.port || 6379}`;
      const expected = config.queues.flatMap((queue) => [
        { name: 'waiting', listName: queueWaitListKey(config.redisPrefix, queue) },
        {
          name: 'running',
          listName: `${bullmqPrefix(config.redisPrefix)}:${queueName(config.redisPrefix, queue)}:active`,
        },
      ]);
      expect(triggers.map(({ name: n, listName }) => ({ name: n, listName }))).toEqual(expected);
      for (const trigger of triggers) {
        expect(trigger.type).toBe('redis');
        expect(trigger.address).toBe(address);
      }
      const modifiers = record(record(scaled.advanced, 'advanced').scalingModifiers, 'modifiers');
      expect(modifiers.formula).toBe('waiting + running');
      // Pods wanted = trials waiting or running / trials one pod runs.
      expect(Number(modifiers.target)).toBe(config.workerConcurrency);
    },
  );

  it('Redis is the Service REDIS_URL names, persisted with AOF and noeviction', () => {
    const config = loadConfig(workload(tree, 'api').env);
    const url = new URL(config.redisUrl);
    const service = find(docs, 'Service', url.hostname);
    expect((spec(service).ports as Array<Record<string, unknown>>)[0]?.port).toBe(
      Number(url.port || 6379),
    );
    const redis = find(docs, 'StatefulSet', 'redis');
    const [container] = workloads([redis]).map((w) => w.container);
    const args = ((container?.args ?? []) as string[]).join(' ');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--maxmemory-policy noeviction');
    const claims = spec(redis).volumeClaimTemplates as Array<Record<string, unknown>>;
    expect(claims.map((claim) => record(claim.metadata, 'claim').name)).toEqual(['data']);
    expect(container?.volumeMounts).toEqual([
      { name: 'data', mountPath: '/data' },
      { name: 'auth', mountPath: '/run/redis-auth' },
    ]);
  });

  it('GPU workers ask for one GPU per trial on GPU nodes, and pull the gpu queue', () => {
    const w = workload(tree, 'worker-gpu');
    const config = loadConfig(w.env);
    expect(config.queues).toEqual(['gpu']);
    expect(config.tfjsBackend).toBe('tensorflow');
    const limits = record(record(w.container.resources, 'resources').limits, 'limits');
    expect(limits['nvidia.com/gpu']).toBe(config.workerConcurrency);
    expect(Object.keys(record(w.podSpec.nodeSelector, 'nodeSelector')).length).toBe(1);
    expect(w.podSpec.tolerations).toContainEqual({
      key: 'nvidia.com/gpu',
      operator: 'Exists',
      effect: 'NoSchedule',
    });
    expect(stratusImage(w.image)).toBe('worker-gpu');
    expect(loadConfig(workload(tree, 'worker').env).queues).toEqual(['cpu']);
  });

  it('gives workers time to hand their trials back, and the API and predictor none extra', () => {
    for (const w of stratusWorkloads(tree)) {
      const grace = Number(w.podSpec.terminationGracePeriodSeconds);
      // The worker's own shutdown waits up to 10 s per trial process; leave room for uploads.
      if (w.name.startsWith('worker')) expect(grace, w.name).toBeGreaterThanOrEqual(60);
      else expect(grace, w.name).toBeGreaterThanOrEqual(10);
      expect(w.podSpec.serviceAccountName).toBe('stratus');
      expect(record(w.podSpec.securityContext, 'securityContext').runAsNonRoot).toBe(true);
      const home = loadConfig(w.env).home;
      const mounts = w.container.volumeMounts as Array<Record<string, unknown>>;
      expect(
        mounts.map((m) => m.mountPath),
        w.name,
      ).toContain(home);
    }
  });

  it('runs each Stratus image as stratus/<name> at the repository version (or the overlay’s)', () => {
    const images = stratusWorkloads(tree).map((w) => w.image);
    for (const image of images) {
      const name = stratusImage(image);
      expect(IMAGE_NAMES).toContain(name);
      if (tree !== 'example') expect(image).toBe(`stratus/${String(name)}:${repoVersion()}`);
      else expect(image).toMatch(/^[a-z0-9.-]+\/[a-z0-9/-]+\/stratus\/[a-z-]+:[\w.-]+$/);
    }
    expect(new Set(images.map(stratusImage))).toEqual(new Set(IMAGE_NAMES));
  });

  it('the predictor autoscaler targets the predictor Deployment on CPU', () => {
    const hpa = spec(find(docs, 'HorizontalPodAutoscaler', 'predictor'));
    expect(hpa.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      name: 'predictor',
    });
    const predictor = workload(tree, 'predictor');
    const requests = record(record(predictor.container.resources, 'r').requests, 'requests');
    expect(requests.cpu).toBeDefined();
  });
});

describe('k8s gcs-key component', () => {
  it('points GOOGLE_APPLICATION_CREDENTIALS at the mounted key in every Stratus pod', () => {
    for (const w of stratusWorkloads('gcsKey')) {
      const path = w.env.GOOGLE_APPLICATION_CREDENTIALS ?? '';
      const mounts = w.container.volumeMounts as Array<Record<string, unknown>>;
      const mount = mounts.find((m) => path.startsWith(`${String(m.mountPath)}/`));
      expect(mount, w.name).toBeDefined();
      const volume = (w.podSpec.volumes as Array<Record<string, unknown>>).find(
        (v) => v.name === mount?.name,
      );
      expect(record(volume?.secret, 'secret').secretName).toBe('stratus-gcs-key');
    }
  });
});

describe.runIf(hasKubectl())('the fallback renderer', () => {
  it.each(treeNames)('agrees with kubectl kustomize on %s', (tree) => {
    const dir = { base: trees.base, example: trees.example, gcsKey: trees.gcsKey }[tree];
    const summary = (docs: K8sObject[]): unknown =>
      workloads(docs)
        .map((w) => ({ name: w.name, image: w.image, env: w.env, ns: w.object.metadata.namespace }))
        .sort((a, b) => a.name.localeCompare(b.name));
    expect(summary(renderWithFallback(dir))).toEqual(summary(rendered[tree]));
    expect(isRecord(rendered[tree][0])).toBe(true);
  });
});
