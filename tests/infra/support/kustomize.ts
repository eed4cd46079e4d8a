import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { isRecord, list, parseEnvFile, parseYamlDocuments, record } from './repo-files.js';

/**
 * Render a kustomization: with `kubectl kustomize` when kubectl is installed, else with the
 * small subset of kustomize the Stratus manifests use (resources, components, namespace, labels,
 * configMap/secret generators, images, JSON 6902 patches; no name hashes).
 */

export type K8sObject = Record<string, unknown> & {
  kind: string;
  metadata: Record<string, unknown> & { name: string };
};

export const hasKubectl = (): boolean =>
  spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

const asObjects = (docs: unknown[], where: string): K8sObject[] =>
  docs
    .filter((doc) => doc !== null)
    .map((doc, index) => {
      const object = record(doc, `${where} document ${index}`);
      const metadata = record(object.metadata, `${where} document ${index} metadata`);
      if (typeof object.kind !== 'string' || typeof object.apiVersion !== 'string') {
        throw new Error(`${where} document ${index} has no apiVersion/kind`);
      }
      if (typeof metadata.name !== 'string') throw new Error(`${where} document ${index}: no name`);
      return object as K8sObject;
    });

export const renderWithKubectl = (dir: string): K8sObject[] => {
  const result = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`kubectl kustomize ${dir}: ${result.stderr}`);
  return asObjects(parseYamlDocuments(result.stdout, `kubectl kustomize ${dir}`), dir);
};

const pointer = (path: string): string[] =>
  path
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));

/** Apply one JSON 6902 operation (add, replace, remove) in place. */
const applyOp = (target: unknown, op: Record<string, unknown>): void => {
  const parts = pointer(String(op.path));
  const last = parts.pop() ?? '';
  let parent: unknown = target;
  for (const part of parts) {
    parent = Array.isArray(parent) ? parent[Number(part)] : record(parent, op.path as string)[part];
  }
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (op.op === 'add') parent.splice(index, 0, op.value);
    else if (op.op === 'replace') parent[index] = op.value;
    else if (op.op === 'remove') parent.splice(index, 1);
    else throw new Error(`unsupported patch op ${String(op.op)}`);
    return;
  }
  const object = record(parent, String(op.path));
  if (op.op === 'add' || op.op === 'replace') object[last] = op.value;
  else if (op.op === 'remove') delete object[last];
  else throw new Error(`unsupported patch op ${String(op.op)}`);
};

const containersOf = (object: K8sObject): Record<string, unknown>[] => {
  const spec = isRecord(object.spec) ? object.spec : {};
  const template = isRecord(spec.template) ? spec.template : {};
  const podSpec = isRecord(template.spec) ? template.spec : {};
  return Array.isArray(podSpec.containers) ? (podSpec.containers as Record<string, unknown>[]) : [];
};

const generatorData = (dir: string, generator: Record<string, unknown>): Record<string, string> => {
  const data: Record<string, string> = {};
  for (const literal of (generator.literals ?? []) as string[]) {
    const at = literal.indexOf('=');
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  for (const file of (generator.envs ?? []) as string[]) {
    for (const [key, value] of parseEnvFile(readFileSync(join(dir, file), 'utf8')))
      data[key] = value;
  }
  return data;
};

/** Apply one kustomization or component directory on top of `docs`. */
const applyLayer = (dir: string, docs: K8sObject[]): K8sObject[] => {
  const k = record(parseYaml(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')), dir);
  for (const resource of (k.resources ?? []) as string[]) {
    const path = resolve(dir, resource);
    if (statSync(path).isDirectory()) docs.push(...applyLayer(path, []));
    else docs.push(...asObjects(parseYamlDocuments(readFileSync(path, 'utf8'), path), path));
  }
  for (const component of (k.components ?? []) as string[])
    applyLayer(resolve(dir, component), docs);
  const generators: Array<[string, 'ConfigMap' | 'Secret']> = [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ];
  for (const [field, kind] of generators) {
    for (const generator of list(k[field] ?? [], field).map((g) => record(g, field))) {
      let data = generatorData(dir, generator);
      if (kind === 'Secret') {
        data = Object.fromEntries(
          Object.entries(data).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
        );
      }
      const existing = docs.find((d) => d.kind === kind && d.metadata.name === generator.name);
      if (generator.behavior === 'merge' && existing !== undefined) {
        existing.data = { ...record(existing.data ?? {}, 'data'), ...data };
      } else {
        docs.push({ apiVersion: 'v1', kind, metadata: { name: String(generator.name) }, data });
      }
    }
  }
  for (const patch of list(k.patches ?? [], 'patches').map((p) => record(p, 'patch'))) {
    const target = record(patch.target, 'patch target');
    const name = new RegExp(`^(?:${String(target.name)})$`);
    const ops = list(parseYaml(String(patch.patch)), 'patch ops');
    for (const doc of docs.filter((d) => d.kind === target.kind && name.test(d.metadata.name))) {
      for (const op of ops) applyOp(doc, record(op, 'patch op'));
    }
  }
  for (const image of list(k.images ?? [], 'images').map((i) => record(i, 'image'))) {
    for (const container of docs.flatMap(containersOf)) {
      const [name, tag] = String(container.image).split(':');
      if (name !== image.name) continue;
      container.image = `${String(image.newName ?? name)}:${String(image.newTag ?? tag)}`;
    }
  }
  for (const label of list(k.labels ?? [], 'labels').map((l) => record(l, 'label'))) {
    for (const doc of docs) {
      doc.metadata.labels = {
        ...record(doc.metadata.labels ?? {}, 'labels'),
        ...record(label.pairs, 'pairs'),
      };
    }
  }
  if (typeof k.namespace === 'string') {
    for (const doc of docs) {
      if (doc.kind === 'Namespace') doc.metadata.name = k.namespace;
      else doc.metadata.namespace = k.namespace;
    }
  }
  return docs;
};

export const renderWithFallback = (dir: string): K8sObject[] => {
  if (!existsSync(join(dir, 'kustomization.yaml')))
    throw new Error(`${dir}: no kustomization.yaml`);
  return applyLayer(dir, []);
};

/** `kubectl kustomize` when available, else the fallback. */
export const renderKustomization = (dir: string): K8sObject[] =>
  hasKubectl() ? renderWithKubectl(dir) : renderWithFallback(dir);

/** A generated ConfigMap's or Secret's name without the content hash kustomize appends. */
export const baseName = (object: K8sObject): string =>
  object.kind === 'ConfigMap' || object.kind === 'Secret'
    ? object.metadata.name.replace(/-[a-z0-9]{10}$/, '')
    : object.metadata.name;

export { containersOf };
