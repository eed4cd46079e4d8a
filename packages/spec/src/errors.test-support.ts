import { StratusError } from './errors.js';

/** Run `fn` and return the StratusError it throws; fails the test if it throws nothing else. */
export const thrown = (fn: () => unknown): StratusError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof StratusError) return err;
    throw err;
  }
  throw new Error('expected a StratusError, but nothing was thrown');
};
