import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, readRepoFile } from './support/repo-files.js';

/**
 * docs/architecture.md names files, functions and package dependencies; this keeps it true as
 * the code moves: every file it names exists, every function a path table names is in one of
 * that row's files, and its dependency graph is the one the package.json files declare.
 */

const DOC = 'docs/architecture.md';
const doc = readRepoFile(DOC);

/** The text between backticks, everywhere in `text`. */
const codeSpans = (text: string): string[] =>
  [...text.matchAll(/`([^`\n]+)`/g)].map((match) => match[1] ?? '');

/** A path from the repository root: a file or folder of a workspace, the tests, docs or tooling. */
const REPO_PATH =
  /^(?:(?:packages|services|tests|docs|scripts|infra|bench|examples)\/[\w.@/-]+|[\w.-]+\.(?:js|json|md|ts))$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const repoPaths = (text: string): string[] =>
  codeSpans(text).filter((span) => REPO_PATH.test(span) && span.includes('/'));

/** Rows of the path tables: `| 12–14 | from | into | function | what happens |`. */
interface PathRow {
  readonly hop: string;
  readonly files: string[];
  readonly functions: string[];
}

const pathRows = (): PathRow[] =>
  doc
    .split('\n')
    .filter((line) => /^\| \d+(?:–\d+)? \|/.test(line))
    .map((line) => {
      const cells = line.split(' | ');
      return {
        hop: cells[0]?.replace('| ', '') ?? '',
        files: repoPaths(cells[2] ?? ''),
        functions: codeSpans(cells[3] ?? '').filter((span) => IDENTIFIER.test(span)),
      };
    });

const WORKSPACES = ['packages', 'services'].flatMap((parent) =>
  readdirSync(`${ROOT}${parent}`)
    .map((name) => `${parent}/${name}`)
    .filter((dir) => existsSync(`${ROOT}${dir}/package.json`)),
);

interface Manifest {
  readonly name: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
}

const SCOPE = '@stratus/';

/** `from --> to` (dependencies) and `from -.-> to` (devDependencies) by short name, sorted. */
const manifestEdges = (): string[] =>
  WORKSPACES.flatMap((dir) => {
    const manifest = JSON.parse(readRepoFile(`${dir}/package.json`)) as Manifest;
    const from = manifest.name.replace(SCOPE, '');
    const edges = (deps: Readonly<Record<string, string>> | undefined, arrow: string): string[] =>
      Object.keys(deps ?? {})
        .filter((name) => name.startsWith(SCOPE))
        .map((name) => `${from} ${arrow} ${name.replace(SCOPE, '')}`);
    return [...edges(manifest.dependencies, '-->'), ...edges(manifest.devDependencies, '-.->')];
  }).sort();

const mermaid = (): string => {
  const block = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1];
  if (block === undefined) throw new Error(`${DOC} has no mermaid block`);
  return block;
};

/** The graph's edges, `a --> b & c` expanded to one edge per target. */
const docEdges = (): string[] =>
  mermaid()
    .split('\n')
    .flatMap((line) => {
      const edge = /^\s*(\w+) (-->|-\.->) (.+)$/.exec(line);
      if (edge === null) return [];
      const [, from = '', arrow = '', targets = ''] = edge;
      return targets.split('&').map((to) => `${from} ${arrow} ${to.trim()}`);
    })
    .sort();

describe(DOC, () => {
  it.each([...new Set(repoPaths(doc))])('names %s, which exists', (path) => {
    expect(existsSync(`${ROOT}${path}`)).toBe(true);
  });

  it('has path tables whose rows name files and functions', () => {
    const rows = pathRows();
    expect(rows.length).toBeGreaterThan(50);
    expect(rows.filter((row) => row.functions.length > 0).length).toBeGreaterThan(50);
  });

  it.each(pathRows().filter((row) => row.files.length > 0 && row.functions.length > 0))(
    'hop $hop: each function is in one of its files',
    ({ files, functions }) => {
      const sources = files.map((file) => readRepoFile(file));
      const missing = functions.filter(
        (name) => !sources.some((source) => new RegExp(`\\b${name}\\b`).test(source)),
      );
      expect(missing).toEqual([]);
    },
  );

  it('draws every workspace in the package graph', () => {
    const nodes = new Set(mermaid().match(/\b\w+\b/g));
    const names = WORKSPACES.map(
      (dir) => (JSON.parse(readRepoFile(`${dir}/package.json`)) as Manifest).name,
    );
    expect(names.filter((name) => !nodes.has(name.replace(SCOPE, '')))).toEqual([]);
  });

  it('draws the package graph the package.json files declare, edge for edge', () => {
    expect(docEdges()).toEqual(manifestEdges());
  });

  it('cites no document outside the repository', () => {
    expect(doc).not.toMatch(/\.\.\/shared|DESIGN(?:\.md| §)/);
  });
});
