import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cliDocs } from './cli-docs.js';

describe('docs/cli.md', () => {
  it('is what the command definitions generate (run `npm run docs -w @stratus/cli`)', async () => {
    const committed = await readFile(new URL('../../../../docs/cli.md', import.meta.url), 'utf8');
    expect(committed).toBe(cliDocs());
  });

  it('documents every command with usage, flags and an example', () => {
    const docs = cliDocs();
    for (const command of [
      'jobs submit training',
      'jobs submit prediction',
      'jobs describe',
      'jobs list',
      'jobs cancel',
      'jobs stream-logs',
      'models create',
      'models list',
      'models describe',
      'models delete',
      'versions create',
      'versions list',
      'versions describe',
      'versions set-default',
      'versions delete',
      'predict',
      'local train',
      'local predict',
      'storage cp',
      'storage ls',
      'storage mb',
      'storage ls-buckets',
      'storage grant',
      'storage revoke',
      'config set',
      'config get',
      'config list',
      'auth tokens create',
      'auth tokens list',
      'auth tokens revoke',
      'serve',
      'worker',
      'predictor',
      'api',
      'completion',
    ]) {
      const section = docs.split(`### stratus ${command}\n`)[1]?.split('\n### ')[0] ?? '';
      expect(section, command).toContain('```sh\nstratus');
    }
    expect(docs).toContain(
      '| `--stream-logs` | follow logs and metrics until the job ends; exit 0 only if it SUCCEEDED |',
    );
  });
});
