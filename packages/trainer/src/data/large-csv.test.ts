import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tf } from '@stratus/bundle';
import { dataFixture, type DataFixture } from './data-fixture.test-support.js';
import { measureLargeCsv } from './large-csv.test-support.js';

/** 1,000,000 by default; `STRATUS_DATA_ROWS` lowers it on slow machines. */
const ROWS = Number(process.env.STRATUS_DATA_ROWS ?? 1_000_000);

let fx: DataFixture;
// Importing @stratus/bundle registers the wasm backend; these splits run on whichever is set.
beforeAll(() => tf.setBackend('cpu'));
beforeEach(async () => {
  fx = await dataFixture();
});
afterEach(async () => {
  await fx.cleanup();
});

describe('a large CSV', () => {
  it(
    `streams ${ROWS} rows through both passes in bounded memory`,
    { timeout: 180_000 },
    async () => {
      const m = await measureLargeCsv(fx.storage, fx.cache, fx.uri('big/rows.csv'), ROWS);
      console.log(JSON.stringify(m));
      expect(m.trainRows + m.validationRows + m.missingLabel).toBe(ROWS);
      expect(m.examplesYielded).toBe(m.trainRows);
      expect(m.batches).toBe(Math.ceil(m.trainRows / 1024));
      expect(m.validationRows / ROWS).toBeGreaterThan(0.19);
      expect(m.validationRows / ROWS).toBeLessThan(0.21);
      expect(m.peakRssGrowthMiB).toBeLessThan(300);
    },
  );
});
