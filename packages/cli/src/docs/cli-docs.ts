import type { RunState } from '../command-kit.js';
import { buildProgram } from '../program.js';
import { renderCliDocs } from './render-docs.js';

/** docs/cli.md as the current command definitions describe it. */
export const cliDocs = (): string => {
  const discard = { write: () => true };
  const state: RunState = {
    commandId: 'stratus',
    exitCode: 0,
    makeContext: () => {
      throw new Error('documentation only');
    },
  };
  return renderCliDocs(buildProgram({ stdout: discard, stderr: discard }, state));
};
