export { main } from './cli.js';
export { runStratus } from './main.js';
export { buildProgram } from './program.js';
export type { CliIo, OutputStream } from './io.js';
export { renderCliDocs } from './docs/render-docs.js';
export { cliDocs } from './docs/cli-docs.js';
export { CLI_VERSION } from './version.js';
