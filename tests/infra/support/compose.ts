import { isRecord, parseEnvFile, parseYamlFile, readRepoFile, record } from './repo-files.js';

/** docker-compose.yml with `<<` merges applied, and .env.example's values. */
export const loadCompose = (): {
  compose: Record<string, unknown>;
  services: Record<string, Record<string, unknown>>;
  dotenv: Map<string, string>;
} => {
  const compose = record(parseYamlFile('docker-compose.yml'), 'docker-compose.yml');
  const services = Object.fromEntries(
    Object.entries(record(compose.services, 'services')).map(([name, service]) => [
      name,
      record(service, `service ${name}`),
    ]),
  );
  return { compose, services, dotenv: parseEnvFile(readRepoFile('.env.example')) };
};

/** What the operator adds to .env before `docker compose up` (docs/operations.md). */
export const OPERATOR_DOTENV: Readonly<Record<string, string>> = {
  STRATUS_ADMIN_TOKEN: 'a'.repeat(48),
  REDIS_PASSWORD: 'b'.repeat(64),
};

/**
 * Compose's interpolation of `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `${VAR:?error}`
 * (the forms docker-compose.yml uses), from `vars`.
 */
export const interpolate = (text: string, vars: ReadonlyMap<string, string>): string =>
  text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g,
    (_match, name: string, colon: string, kind: string | undefined, rest: string) => {
      const value = vars.get(name);
      const missing = value === undefined || (colon === ':' && value === '');
      if (!missing) return value;
      if (kind === '?') throw new Error(`compose would stop: ${name}: ${rest}`);
      return kind === '-' ? rest : '';
    },
  );

/** Every `${VAR…}` name used anywhere in `text`. */
export const interpolatedNames = (text: string): Set<string> =>
  new Set([...text.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] ?? ''));

/** A service's `environment:` after interpolation with .env.example plus the operator's values. */
export const serviceEnv = (
  service: Record<string, unknown>,
  dotenv: ReadonlyMap<string, string>,
): Record<string, string> => {
  const vars = new Map([...dotenv, ...Object.entries(OPERATOR_DOTENV)]);
  const environment = service.environment ?? {};
  if (!isRecord(environment)) throw new Error('environment must be a mapping');
  return Object.fromEntries(
    Object.entries(environment).map(([name, value]) => [name, interpolate(String(value), vars)]),
  );
};

/** `HOST:CONTAINER` port mappings of a service, as numbers. */
export const publishedPorts = (
  service: Record<string, unknown>,
  dotenv: ReadonlyMap<string, string>,
): Array<{ host: number; container: number }> =>
  ((service.ports ?? []) as unknown[]).map((entry) => {
    const [host, container] = interpolate(String(entry), dotenv).split(':');
    return { host: Number(host), container: Number(container) };
  });

/** The URL a `node -e fetch(…)` healthcheck calls. */
export const healthcheckUrl = (service: Record<string, unknown>): URL | undefined => {
  if (!isRecord(service.healthcheck)) return undefined;
  const test = (service.healthcheck.test ?? []) as unknown[];
  if (!test.every((part) => typeof part === 'string')) throw new Error('healthcheck: not strings');
  const match = /fetch\('([^']+)'\)/.exec(test.join(' '));
  return match === null ? undefined : new URL(match[1] ?? '');
};
