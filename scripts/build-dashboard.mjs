// Build the dashboard (services/dashboard → services/dashboard/dist) with Vite
// when its output is missing or older than any of its sources: the dashboard's
// own files and the @stratus/client and @stratus/spec sources it bundles.
// `--force` always builds. Used by `npm run build`, `npm start` and the browser tests.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dashboard = join(root, 'services/dashboard');
const sources = [
  join(dashboard, 'src'),
  join(dashboard, 'index.html'),
  join(dashboard, 'vite.config.ts'),
  join(dashboard, 'package.json'),
  join(root, 'packages/client/src'),
  join(root, 'packages/spec/src'),
];

const newest = (path) => {
  const info = statSync(path, { throwIfNoEntry: false });
  if (info === undefined) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  let latest = info.mtimeMs;
  for (const entry of readdirSync(path)) {
    // Tests are not bundled; editing one needs no rebuild.
    if (!entry.endsWith('.test.ts')) latest = Math.max(latest, newest(join(path, entry)));
  }
  return latest;
};

const built = statSync(join(dashboard, 'dist/index.html'), { throwIfNoEntry: false });
const stale =
  process.argv.includes('--force') ||
  built === undefined ||
  sources.some((source) => newest(source) > built.mtimeMs);

if (stale) {
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: dashboard,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('Stratus: the dashboard build failed (vite build).\n');
    process.exit(result.status ?? 1);
  }
}
