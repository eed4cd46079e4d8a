import { describe, expect, it } from 'vitest';
import { BufferStream } from './cli.test-support.js';
import { commandPathOf, protectOwnVersionFlag } from './command-path.js';
import { buildProgram } from './program.js';

const program = buildProgram(
  { stdout: new BufferStream(), stderr: new BufferStream() },
  {
    commandId: 'stratus',
    exitCode: 0,
    makeContext: () => {
      throw new Error('not run');
    },
  },
);

describe('command paths', () => {
  it('names the command argv selects, skipping global option values', () => {
    expect(
      commandPathOf(program, ['--format', 'json', 'versions', 'list', '--model', 'm']).id,
    ).toBe('stratus.versions.list');
    expect(commandPathOf(program, ['--project=p', 'jobs', 'submit', 'training', 'j1']).id).toBe(
      'stratus.jobs.submit.training',
    );
    expect(commandPathOf(program, ['jobz', 'list']).id).toBe('stratus');
  });

  it('joins `--version V` only after a command that has its own --version', () => {
    expect(protectOwnVersionFlag(program, ['predict', '--model', 'm', '--version', 'v2'])).toEqual([
      'predict',
      '--model',
      'm',
      '--version=v2',
    ]);
    expect(protectOwnVersionFlag(program, ['predict', '--version'])).toEqual([
      'predict',
      '--version=',
    ]);
    expect(protectOwnVersionFlag(program, ['--version'])).toEqual(['--version']);
    expect(protectOwnVersionFlag(program, ['jobs', 'list', '--version'])).toEqual([
      'jobs',
      'list',
      '--version',
    ]);
  });
});
