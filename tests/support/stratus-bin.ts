/**
 * The `stratus` binary run from source: what packages/cli/bin/stratus.js
 * runs from dist/, for child processes started with
 * `node --import tsx --conditions=stratus-src` (no build step).
 */
import { runStratus } from '@stratus/cli';

process.exitCode = await runStratus();
