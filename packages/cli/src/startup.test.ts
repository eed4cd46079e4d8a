import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Value imports of a module: `import … from 'x'` and `export … from 'x'`, not `import type` or `import()`. */
const staticImports = (source: string): string[] =>
  [
    ...source.matchAll(/^(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm),
  ].map((match) => match[1] ?? '');

/** Every package the entry point loads before any command runs, following relative imports. */
const startupPackages = async (entry: string): Promise<Set<string>> => {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of staticImports(await readFile(file, 'utf8'))) {
      if (specifier.startsWith('.'))
        await visit(join(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  };
  await visit(join(SRC, entry));
  return packages;
};

describe('start-up cost', () => {
  it('loads only commander and node built-ins before a command runs (fast --help)', async () => {
    const packages = [...(await startupPackages('main.ts'))].filter(
      (name) => !name.startsWith('node:'),
    );
    expect(packages).toEqual(['commander']);
  });

  it('the scanner sees value imports and skips type-only ones', async () => {
    expect(
      staticImports(
        "import type { A } from 'a';\nimport { b } from 'b';\nexport { c } from './c.js';\nimport 'd';",
      ),
    ).toEqual(['b', './c.js', 'd']);
    expect([...(await startupPackages('actions/local-train.ts'))]).toContain('@stratus/spec');
  });
});
