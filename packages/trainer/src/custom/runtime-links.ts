import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * Packages the worker lends to custom trainers: the TensorFlow.js family (so user code trains
 * on the worker's tfjs and backend) and the hypertune SDK. Ones not installed are skipped.
 */
export const RUNTIME_PACKAGES = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-data',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@stratus/hypertune',
] as const;

/**
 * The directory of an installed package as Node would find it from `from`, with symlinks
 * resolved. Looks for package.json on the node_modules path itself, so packages whose
 * `exports` hide package.json are found too.
 */
export function findPackageDir(name: string, from: string | URL): string | undefined {
  for (const dir of createRequire(from).resolve.paths(name) ?? []) {
    const candidate = path.join(dir, name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
  }
  return undefined;
}

/**
 * Symlinks the runtime packages into `nodeModulesDir` (one level above the extracted
 * package), so `import '@tensorflow/tfjs'` and `require('@stratus/hypertune')` in user code
 * resolve to the worker's copies. A package the tarball bundles in its own node_modules is
 * nearer to the user's code and wins. Returns name → linked directory.
 */
export async function linkRuntimePackages(
  nodeModulesDir: string,
  from: string | URL,
  names: readonly string[] = RUNTIME_PACKAGES,
): Promise<Record<string, string>> {
  const linked: Record<string, string> = {};
  for (const name of names) {
    const target = findPackageDir(name, from);
    if (target === undefined) continue;
    const link = path.join(nodeModulesDir, ...name.split('/'));
    await mkdir(path.dirname(link), { recursive: true });
    await symlink(target, link, 'dir');
    linked[name] = target;
  }
  return linked;
}

/**
 * `dirs` and the real directories of every package they depend on, transitively (as Node
 * would resolve each dependency from its dependent): what a sandboxed trainer must be able
 * to read to load the runtime. Dependencies that are not installed are skipped.
 */
export function dependencyClosure(dirs: readonly string[]): string[] {
  const seen = new Set<string>();
  const pending = [...dirs];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if (seen.has(dir)) continue;
    seen.add(dir);
    const manifest = path.join(dir, 'package.json');
    let names: string[];
    try {
      const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as Record<string, unknown>;
      names = ['dependencies', 'optionalDependencies', 'peerDependencies'].flatMap((field) =>
        Object.keys((parsed[field] as Record<string, unknown> | undefined) ?? {}),
      );
    } catch {
      continue;
    }
    for (const name of names) {
      const found = findPackageDir(name, manifest);
      if (found !== undefined && !seen.has(found)) pending.push(found);
    }
  }
  return [...seen];
}
