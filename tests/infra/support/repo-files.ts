import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse as parseYaml } from 'yaml';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const readRepoFile = (path: string): string => readFileSync(`${ROOT}${path}`, 'utf8');

/** Parse one YAML document, with `<<` merge keys (compose's x- anchors use them). */
export const parseYamlFile = (path: string): unknown =>
  parseYaml(readRepoFile(path), { merge: true });

/** Parse a multi-document YAML text; a syntax error in any document throws, naming `where`. */
export const parseYamlDocuments = (text: string, where: string): unknown[] =>
  parseAllDocuments(text).map((doc, index) => {
    if (doc.errors.length > 0) {
      throw new Error(`${where} document ${index}: ${doc.errors.map((e) => e.message).join('; ')}`);
    }
    return doc.toJS() as unknown;
  });

/** The version of the root package.json: the tag every image is built with. */
export const repoVersion = (): string =>
  (JSON.parse(readRepoFile('package.json')) as { version: string }).version;

/** `NAME=value` lines of an env file (comments and blank lines skipped). */
export const parseEnvFile = (text: string): Map<string, string> => {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(trimmed);
    if (match === null) throw new Error(`not NAME=value: ${line}`);
    entries.set(match[1] ?? '', match[2] ?? '');
  }
  return entries;
};

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** `value` as a record, or a thrown error naming `what`. */
export const record = (value: unknown, what: string): Record<string, unknown> => {
  if (!isRecord(value)) throw new Error(`${what} is not a mapping`);
  return value;
};

/** `value` as an array, or a thrown error naming `what`. */
export const list = (value: unknown, what: string): unknown[] => {
  if (!Array.isArray(value)) throw new Error(`${what} is not a list`);
  return value;
};

/**
 * Variables deployment files may set although packages/config does not read them, each with
 * the code that does. Anything else must be a name `configEnvNames()` returns.
 */
export const FOREIGN_ENV: Readonly<Record<string, string>> = {
  GOOGLE_APPLICATION_CREDENTIALS: 'google-auth-library, under @google-cloud/storage (gcs backend)',
  REDIS_PASSWORD: "the Redis StatefulSet's requirepass and KEDA's TriggerAuthentication (k8s)",
};

/** The Stratus images: name → its Dockerfile and the workspace whose bin it runs. */
export const IMAGES = {
  api: { dockerfile: 'infra/docker/api.Dockerfile', workspace: 'services/api' },
  worker: { dockerfile: 'infra/docker/worker.Dockerfile', workspace: 'services/worker' },
  'worker-gpu': { dockerfile: 'infra/docker/worker-gpu.Dockerfile', workspace: 'services/worker' },
  predictor: { dockerfile: 'infra/docker/predictor.Dockerfile', workspace: 'services/predictor' },
} as const;
export type ImageName = keyof typeof IMAGES;
export const IMAGE_NAMES = Object.keys(IMAGES) as ImageName[];
