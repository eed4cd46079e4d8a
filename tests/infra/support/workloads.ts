import { containersOf, type K8sObject } from './kustomize.js';
import { isRecord, record } from './repo-files.js';

/** One container of a Deployment or StatefulSet, with the environment Kubernetes would give it. */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly object: K8sObject;
  readonly podSpec: Record<string, unknown>;
  readonly container: Record<string, unknown>;
  readonly image: string;
  /** Variable → value, from envFrom ConfigMaps/Secrets and env (later wins). */
  readonly env: Readonly<Record<string, string>>;
}

/** What a secretKeyRef to a Secret the manifests do not define stands for (the operator's). */
export const OPERATOR_SECRET = 'operator-supplied-secret-0123456789';

/** Keys whose operator-supplied value has a shape: REDIS_URL carries the password. */
const OPERATOR_SECRETS: Readonly<Record<string, string>> = {
  REDIS_URL: `redis://:${OPERATOR_SECRET}@redis:6379`,
};

const find = (docs: readonly K8sObject[], kind: string, name: unknown): K8sObject | undefined =>
  docs.find((doc) => doc.kind === kind && doc.metadata.name === name);

const dataOf = (doc: K8sObject | undefined): Record<string, string> => {
  if (doc === undefined || !isRecord(doc.data)) return {};
  const data = doc.data as Record<string, string>;
  return doc.kind === 'Secret'
    ? Object.fromEntries(
        Object.entries(data).map(([key, value]) => [key, Buffer.from(value, 'base64').toString()]),
      )
    : data;
};

/** Every container of every Deployment and StatefulSet in `docs`. */
export const workloads = (docs: readonly K8sObject[]): Workload[] =>
  docs
    .filter((doc) => doc.kind === 'Deployment' || doc.kind === 'StatefulSet')
    .flatMap((object) => {
      const podSpec = record(record(record(object.spec, 'spec').template, 'template').spec, 'pod');
      return containersOf(object).map((container) => {
        const env: Record<string, string> = {};
        for (const from of (container.envFrom ?? []) as Record<string, unknown>[]) {
          if (isRecord(from.configMapRef)) {
            const map = find(docs, 'ConfigMap', from.configMapRef.name);
            if (map === undefined) throw new Error(`${object.metadata.name}: no ConfigMap`);
            Object.assign(env, dataOf(map));
          }
          if (isRecord(from.secretRef)) {
            Object.assign(env, dataOf(find(docs, 'Secret', from.secretRef.name)));
          }
        }
        for (const entry of (container.env ?? []) as Record<string, unknown>[]) {
          const name = String(entry.name);
          if (typeof entry.value === 'string') env[name] = entry.value;
          else if (isRecord(entry.valueFrom) && isRecord(entry.valueFrom.secretKeyRef)) {
            const ref = entry.valueFrom.secretKeyRef;
            const key = String(ref.key);
            env[name] =
              dataOf(find(docs, 'Secret', ref.name))[key] ??
              OPERATOR_SECRETS[key] ??
              OPERATOR_SECRET;
          } else if (isRecord(entry.valueFrom) && isRecord(entry.valueFrom.configMapKeyRef)) {
            const ref = entry.valueFrom.configMapKeyRef;
            env[name] = dataOf(find(docs, 'ConfigMap', ref.name))[String(ref.key)] ?? '';
          } else throw new Error(`${object.metadata.name}: env ${name} has no value`);
        }
        return {
          kind: object.kind,
          name: object.metadata.name,
          object,
          podSpec,
          container,
          image: String(container.image),
          env,
        };
      });
    });

/** The Stratus image a workload runs (`api`, `worker`, …), or undefined for others (Redis). */
export const stratusImage = (image: string): string | undefined =>
  /(?:^|\/)stratus\/([a-z-]+):[^/]+$/.exec(image)?.[1];
