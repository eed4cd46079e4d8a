// `npm start`: build the workspace and the dashboard (no-ops when dist/ is current), then run
// the all-in-one server — API, a worker child process, the local bucket, and
// Redis at REDIS_URL or one started under $STRATUS_HOME/redis. See
// docs/operations.md. STRATUS_SKIP_BUILD=1 skips the build step.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

if (process.env.STRATUS_SKIP_BUILD !== '1') {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const build = spawnSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) {
    process.stderr.write('Stratus: the build failed (npm run build); not starting.\n');
    process.exit(build.status ?? 1);
  }
  // The dashboard the API serves at / (rebuilt only when its sources changed).
  const dashboard = spawnSync(process.execPath, ['scripts/build-dashboard.mjs'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (dashboard.status !== 0) process.exit(dashboard.status ?? 1);
}

await import('../services/serve/dist/main.js');
