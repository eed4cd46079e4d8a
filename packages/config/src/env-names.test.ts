import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configEnvNames } from './env-names.js';

describe('configEnvNames', () => {
  it('names every variable config.ts reads, including ones read only on some paths', async () => {
    const source = await readFile(new URL('./config.ts', import.meta.url), 'utf8');
    const named = new Set<string>();
    for (const match of source.matchAll(
      /(?:\b(?:read|optional)(?:<[^(]*>)?\(\s*'|\benv\.)([A-Z][A-Z0-9_]*)/g,
    )) {
      named.add(match[1] ?? '');
    }
    expect(named.size).toBeGreaterThan(10);
    expect(configEnvNames()).toEqual([...named].sort());
  });

  it('includes the docs/operations.md variables and is frozen', () => {
    const names = configEnvNames();
    for (const name of ['REDIS_URL', 'STRATUS_PORT', 'STRATUS_QUEUES', 'STRATUS_TFJS_BACKEND']) {
      expect(names).toContain(name);
    }
    expect(Object.isFrozen(names)).toBe(true);
  });
});
