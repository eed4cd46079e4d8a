import type { OutputStream } from '../io.js';

/** ANSI styling that is the identity when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled && text !== '' ? `\u001b[${open}m${text}\u001b[${close}m` : text;

/** Colour only on a terminal, never with NO_COLOR set or TERM=dumb; FORCE_COLOR turns it on. */
export const colourEnabled = (
  stream: OutputStream,
  env: Readonly<Record<string, string | undefined>>,
): boolean => {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') {
    return true;
  }
  return stream.isTTY === true && env.TERM !== 'dumb';
};

export const createStyle = (enabled: boolean): Style => ({
  enabled,
  bold: wrap(enabled, 1, 22),
  dim: wrap(enabled, 2, 22),
  red: wrap(enabled, 31, 39),
  green: wrap(enabled, 32, 39),
  yellow: wrap(enabled, 33, 39),
  cyan: wrap(enabled, 36, 39),
});

/** A job, trial or version state in its colour: green done, red failed, yellow stopped. */
export const styleState = (style: Style, state: string): string => {
  if (state === 'SUCCEEDED' || state === 'READY') return style.green(state);
  if (state === 'FAILED') return style.red(state);
  if (state === 'CANCELLED' || state === 'CANCELLING' || state === 'STOPPED') {
    return style.yellow(state);
  }
  if (state === 'RUNNING' || state === 'PREPARING') return style.cyan(state);
  return state;
};
