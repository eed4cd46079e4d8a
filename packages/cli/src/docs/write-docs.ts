import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { cliDocs } from './cli-docs.js';

// `npm run docs -w @stratus/cli`: regenerate docs/cli.md from the command definitions.
const target = fileURLToPath(new URL('../../../../docs/cli.md', import.meta.url));
await writeFile(target, cliDocs());
process.stdout.write(`wrote ${target}\n`);
