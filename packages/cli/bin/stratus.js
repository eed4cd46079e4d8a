#!/usr/bin/env node
// The `stratus` command: everything lives in dist/main.js (built by `npm run build`).
import { runStratus } from '../dist/main.js';

process.exitCode = await runStratus();
