import { describe, expect, it } from 'vitest';
import type { ListPage } from './types.js';
import type { ConformanceContext } from './conformance-fixture.test-support.js';
import { expectStratusError } from './conformance-fixture.test-support.js';

const TREE = ['b.txt', 'a/1', 'a/2', 'a/sub/3', 'ab', 'c'];

const relative = (base: string, page: ListPage) => ({
  objects: page.objects.map((o) => o.uri.slice(base.length)),
  prefixes: page.prefixes.map((p) => p.slice(base.length)),
});

/** list / listAll: prefix, delimiter, paging, ordering. */
export const listingConformance = (ctx: ConformanceContext): void => {
  describe('listing', () => {
    const writeTree = async (): Promise<string> => {
      const base = ctx.freshPrefix();
      for (const name of TREE) await ctx.storage().write(`${base}${name}`, name);
      return base;
    };

    it('lists every object under a prefix in name order, with metadata', async () => {
      const base = await writeTree();
      const page = await ctx.storage().list(base);
      expect(relative(base, page)).toEqual({
        objects: ['a/1', 'a/2', 'a/sub/3', 'ab', 'b.txt', 'c'],
        prefixes: [],
      });
      expect(page.nextPageToken).toBeUndefined();
      const stat = await ctx.storage().stat(`${base}a/sub/3`);
      const listed = page.objects.find((o) => o.uri === `${base}a/sub/3`);
      expect(listed).toMatchObject({ size: 7, etag: stat.etag, generation: stat.generation });
      expect(listed?.name).toBe(stat.name);
    });

    it('matches a partial name prefix as GCS does', async () => {
      const base = await writeTree();
      expect(relative(base, await ctx.storage().list(`${base}a`)).objects).toEqual([
        'a/1',
        'a/2',
        'a/sub/3',
        'ab',
      ]);
      expect(relative(base, await ctx.storage().list(`${base}a/s`)).objects).toEqual(['a/sub/3']);
      const empty = await ctx.storage().list(`${base}zzz/`);
      expect(empty).toEqual({ objects: [], prefixes: [] });
    });

    it('groups names at the delimiter into prefixes', async () => {
      const base = await writeTree();
      expect(relative(base, await ctx.storage().list(base, { delimiter: '/' }))).toEqual({
        objects: ['ab', 'b.txt', 'c'],
        prefixes: ['a/'],
      });
      expect(relative(base, await ctx.storage().list(`${base}a/`, { delimiter: '/' }))).toEqual({
        objects: ['a/1', 'a/2'],
        prefixes: ['a/sub/'],
      });
      const root = await ctx.storage().list(`gs://${ctx.bucket}`, { delimiter: '/' });
      expect(root.prefixes).toContain(base.slice(0, base.slice(0, -1).lastIndexOf('/') + 1));
    });

    it('pages through objects with page tokens', async () => {
      const base = await writeTree();
      const pages: string[][] = [];
      let pageToken: string | undefined;
      do {
        const page = await ctx
          .storage()
          .list(base, { pageSize: 4, ...(pageToken ? { pageToken } : {}) });
        pages.push(relative(base, page).objects);
        pageToken = page.nextPageToken;
      } while (pageToken !== undefined && pages.length < 10);
      expect(pages).toEqual([
        ['a/1', 'a/2', 'a/sub/3', 'ab'],
        ['b.txt', 'c'],
      ]);
      const all = [];
      for await (const object of ctx.storage().listAll(base))
        all.push(object.uri.slice(base.length));
      expect(all).toEqual(['a/1', 'a/2', 'a/sub/3', 'ab', 'b.txt', 'c']);
    });

    it.skipIf(ctx.quirks.prefixesRepeatOnEveryPage === true)(
      'pages through objects and delimiter prefixes in one order',
      async () => {
        const base = ctx.freshPrefix();
        for (const name of ['a/1', 'b', 'c/1', 'c/2', 'd', 'e/1']) {
          await ctx.storage().write(`${base}${name}`, name);
        }
        const first = await ctx.storage().list(base, { delimiter: '/', pageSize: 2 });
        expect(relative(base, first)).toEqual({ objects: ['b'], prefixes: ['a/'] });
        const second = await ctx.storage().list(base, {
          delimiter: '/',
          pageSize: 2,
          pageToken: first.nextPageToken ?? 'missing token',
        });
        expect(relative(base, second)).toEqual({ objects: ['d'], prefixes: ['c/'] });
        const third = await ctx.storage().list(base, {
          delimiter: '/',
          pageSize: 2,
          pageToken: second.nextPageToken ?? 'missing token',
        });
        expect(relative(base, third)).toEqual({ objects: [], prefixes: ['e/'] });
        expect(third.nextPageToken).toBeUndefined();
      },
    );

    it('rejects invalid list options naming the option', async () => {
      const base = ctx.freshPrefix();
      await expectStratusError(
        ctx.storage().list(base, { pageSize: 0 }),
        'INVALID_ARGUMENT',
        '"pageSize" must be a positive integer',
      );
      await expectStratusError(
        ctx.storage().list(base, { delimiter: '' }),
        'INVALID_ARGUMENT',
        '"delimiter" must not be empty',
      );
    });
  });
};
