/**
 * The Kubernetes manifests' tenant isolation: Redis auth from the Secret, the NetworkPolicies
 * (who reaches Redis, what workers reach), and the worker pods' security context for the
 * bubblewrap trainer sandbox. Rendered as tests/infra/k8s.test.ts renders them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@stratus/config';
import { makeK8sTrees } from './support/k8s-trees.js';
import { baseName, renderKustomization, type K8sObject } from './support/kustomize.js';
import {
  podLabels,
  policiesFor,
  rulesOf,
  ruleReaches,
  selects,
  type Rule,
} from './support/network-policy.js';
import { record } from './support/repo-files.js';
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

const METADATA_SERVER = '169.254.169.254';
const STRATUS_APPS = ['api', 'predictor', 'worker', 'worker-gpu'];

const secretRef = (w: Workload, name: string): unknown =>
  (w.container.env as Record<string, unknown>[]).find((entry) => entry.name === name)?.valueFrom;

describe.each(treeNames)('k8s %s', (tree) => {
  const docs = rendered[tree];
  const all = workloads(docs);
  const stratus = all.filter((w) => stratusImage(w.image) !== undefined);
  const redis = all.find((w) => w.name === 'redis');
  if (redis === undefined) throw new Error('no redis workload');
  const kind = (k: string): K8sObject[] => docs.filter((doc) => doc.kind === k);

  it('every Redis client takes REDIS_URL, with the password, from the Secret', () => {
    expect(stratus.map((w) => w.name).sort()).toEqual(STRATUS_APPS);
    for (const w of stratus) {
      expect(secretRef(w, 'REDIS_URL'), w.name).toEqual({
        secretKeyRef: {
          name: expect.stringMatching(/^stratus-secrets/) as unknown,
          key: 'REDIS_URL',
        },
      });
      const url = new URL(loadConfig(w.env).redisUrl);
      expect([url.hostname, url.password === ''], w.name).toEqual(['redis', false]);
    }
    for (const map of kind('ConfigMap')) {
      expect(Object.keys(record(map.data ?? {}, 'data'))).not.toContain('REDIS_URL');
    }
  });

  it('Redis requires the Secret’s password, read from a 0600 file rather than its command line', () => {
    expect(secretRef(redis, 'REDISCLI_AUTH')).toEqual({
      secretKeyRef: {
        name: expect.stringMatching(/^stratus-secrets/) as unknown,
        key: 'REDIS_PASSWORD',
      },
    });
    const [shell, flag, script, name] = redis.container.command as string[];
    expect([shell, flag, name]).toEqual(['sh', '-c', 'redis-server']);
    expect(script).toContain('umask 077');
    expect(script).toContain(
      `printf 'requirepass "%s"\\n' "$REDISCLI_AUTH" > /run/redis-auth/auth.conf`,
    );
    expect(script).toContain('exec redis-server /run/redis-auth/auth.conf "$@"');
    expect((redis.container.args as string[]).join(' ')).not.toContain('requirepass');
    const volume = (redis.podSpec.volumes as Record<string, unknown>[]).find(
      (v) => v.name === 'auth',
    );
    expect(record(volume?.emptyDir, 'emptyDir').medium).toBe('Memory');
    // Probes authenticate through REDISCLI_AUTH and fail on NOAUTH.
    for (const probe of ['readinessProbe', 'livenessProbe']) {
      expect(record(record(redis.container[probe], probe).exec, 'exec').command).toEqual([
        'sh',
        '-c',
        'redis-cli ping | grep -qx PONG',
      ]);
    }
  });

  it('KEDA reads the queues with the same password, from the same (generated) Secret', () => {
    const api = stratus.find((w) => w.name === 'api');
    const secretName = record(
      record(secretRef(api as Workload, 'REDIS_URL'), 'ref').secretKeyRef,
      'ref',
    ).name;
    if (tree === 'example') {
      // The overlay generates it with a hash suffix, which must reach every reference.
      expect(kind('Secret').map((secret) => secret.metadata.name)).toContain(secretName);
    }
    const auths = kind('TriggerAuthentication');
    for (const scaled of kind('ScaledObject')) {
      for (const trigger of record(scaled.spec, 'spec').triggers as Record<string, unknown>[]) {
        const ref = String(record(trigger.authenticationRef, 'authenticationRef').name);
        const auth = auths.find((a) => a.metadata.name === ref);
        expect(record(auth?.spec, 'spec').secretTargetRef).toEqual([
          { parameter: 'password', name: secretName, key: 'REDIS_PASSWORD' },
        ]);
      }
    }
  });

  it('denies ingress by default; only the Stratus apps and KEDA reach Redis, on 6379', () => {
    const deny = kind('NetworkPolicy').find((p) => baseName(p) === 'default-deny-ingress');
    expect(record(deny?.spec, 'spec')).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    const rules = policiesFor(docs, podLabels(redis.object), 'Ingress').flatMap((p) =>
      rulesOf(p, 'ingress'),
    );
    expect(rules.map((r) => r.ports)).toEqual([[{ protocol: 'TCP', port: 6379 }]]);
    const peers = rules.flatMap((r) => r.peers ?? []);
    const podPeers = peers.filter((peer) => peer.namespaceSelector === undefined);
    // Exactly the pods of the api, predictor and worker Deployments, and nothing else here.
    for (const w of all) {
      const admitted = podPeers.some((peer) => selects(peer.podSelector, podLabels(w.object)));
      expect(admitted, w.name).toBe(STRATUS_APPS.includes(w.name));
    }
    expect(peers.filter((peer) => peer.namespaceSelector !== undefined)).toEqual([
      {
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'keda' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'keda-operator' } },
      },
    ]);
  });

  it('workers reach only Redis, DNS and HTTPS storage; the metadata server only for GKE tokens', () => {
    for (const name of ['worker', 'worker-gpu']) {
      const w = stratus.find((x) => x.name === name);
      if (w === undefined) throw new Error(`no ${name}`);
      const rules: Rule[] = policiesFor(docs, podLabels(w.object), 'Egress').flatMap((p) =>
        rulesOf(p, 'egress'),
      );
      expect(rules.length, name).toBeGreaterThan(0);
      for (const rule of rules) {
        expect(rule.peers, `${rule.policy}: a rule without peers allows everything`).toBeDefined();
        expect(rule.ports, `${rule.policy}: a rule without ports allows every port`).toBeDefined();
      }
      const ports = new Set(rules.flatMap((r) => (r.ports ?? []).map((p) => Number(p.port))));
      const metadata = rules.filter((r) => ruleReaches(r, METADATA_SERVER));
      if (tree === 'example') {
        // Workload Identity: the worker process fetches its token; trainers have no network.
        expect(metadata.map((r) => [r.policy, r.ports])).toEqual([
          ['worker-gke-metadata', [{ protocol: 'TCP', port: 80 }]],
        ]);
        expect([...ports].sort((a, b) => a - b)).toEqual([53, 80, 443, 988, 6379]);
      } else {
        expect(metadata, name).toEqual([]);
        expect([...ports].sort((a, b) => a - b)).toEqual([53, 443, 6379]);
      }
      // Other pods and cluster services are not storage: private ranges are excluded.
      for (const internal of ['10.4.0.12', '172.20.1.1', '192.168.1.1', '100.64.0.1']) {
        const reaching = rules.filter(
          (r) => ruleReaches(r, internal) && r.peers?.some((p) => p.ipBlock !== undefined),
        );
        expect(reaching, internal).toEqual([]);
      }
      expect(rules.some((r) => ruleReaches(r, '142.250.74.91'))).toBe(true);
    }
  });

  it('worker pods carry the security context bubblewrap needs, and no added capability', () => {
    for (const name of ['worker', 'worker-gpu']) {
      const w = stratus.find((x) => x.name === name);
      if (w === undefined) throw new Error(`no ${name}`);
      expect(w.podSpec.hostUsers, name).toBe(false);
      expect(record(w.podSpec.securityContext, 'pod securityContext').runAsNonRoot).toBe(true);
      expect(w.container.securityContext, name).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'Unconfined' },
        appArmorProfile: { type: 'Unconfined' },
        procMount: 'Unmasked',
      });
    }
    for (const w of stratus.filter((x) => !x.name.startsWith('worker'))) {
      expect(w.podSpec.hostUsers, w.name).toBeUndefined();
      expect(w.container.securityContext, w.name).toBeUndefined();
    }
  });
});
