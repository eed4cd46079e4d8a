import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { runCli } from '../cli.test-support.js';

/** What the generated bash completion offers after `words` (the last one being typed). */
const completeIn = (script: string, words: readonly string[]): string[] => {
  const result = spawnSync(
    'bash',
    [
      '-c',
      `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _stratus_complete; echo "\${COMPREPLY[*]}"`,
    ],
    { encoding: 'utf8' },
  );
  return result.stdout.trim().split(' ');
};

describe('completion of the list, output and prompt flags', () => {
  it('offers --sort-by, --uri, --limit, --page-size, --filter on every list and -q everywhere', async () => {
    const script = (await runCli(['completion', 'bash'])).stdout;
    for (const list of [
      ['jobs', 'list'],
      ['models', 'list'],
      ['versions', 'list'],
    ]) {
      const words = completeIn(script, ['stratus', ...list, '-']);
      for (const flag of ['--sort-by', '--uri', '--limit', '--page-size', '--filter', '-q']) {
        expect(words, list.join(' ')).toContain(flag);
      }
    }
    expect(completeIn(script, ['stratus', 'models', 'delete', 'iris', '--qu'])).toEqual([
      '--quiet',
    ]);
    expect(completeIn(script, ['stratus', 'jobs', 'list', '--so'])).toEqual(['--sort-by']);
  });
});
