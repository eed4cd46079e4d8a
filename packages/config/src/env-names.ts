import { loadConfig } from './config.js';

/**
 * Every environment variable {@link loadConfig} reads, sorted. It is found by
 * watching loadConfig read an empty environment, so it cannot drift from the
 * parser; `env-names.test.ts` checks that no variable is read only on some path.
 * Deployment files (compose, Kubernetes, Dockerfiles) are tested against it.
 */
export const configEnvNames = (): readonly string[] => {
  const names = new Set<string>();
  const env = new Proxy<Record<string, string | undefined>>(
    {},
    {
      get: (_target, name) => {
        if (typeof name === 'string') names.add(name);
        return undefined;
      },
    },
  );
  loadConfig(env, { homeDir: '/', cwd: '/', cpuCount: 1 });
  return Object.freeze([...names].sort());
};
