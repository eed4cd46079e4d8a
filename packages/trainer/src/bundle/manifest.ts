import { StratusError } from '@stratus/spec';
import type { Preprocessing } from '../data/preprocessing.js';

/** `stratus.json`: what turns a raw feature object into a prediction with nothing else. */
export interface StratusManifest {
  readonly format: 'stratus-bundle';
  readonly version: 1;
  /** The built-in algorithm that trained the model. */
  readonly algorithm: string;
  readonly preprocessing: Preprocessing;
  /** Final metrics of the trial (training and `val_` prefixed). */
  readonly metrics: Readonly<Record<string, number>>;
  /** The trial's hyperparameters, as Cloud ML reports them (strings). */
  readonly hyperparameters: Readonly<Record<string, string>>;
  readonly trainingData: string;
  readonly epochs: number;
  readonly tfjsVersion: string;
  readonly backend: string;
  readonly createTime: string;
}

export const MANIFEST_FILE = 'stratus.json';

/** Parse and sanity-check `stratus.json`; a malformed one is BUNDLE_INVALID naming the problem. */
export function parseManifest(uri: string, text: string): StratusManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new StratusError(
      'BUNDLE_INVALID',
      { uri, detail: `${MANIFEST_FILE} is not valid JSON` },
      { cause },
    );
  }
  const manifest = value as Partial<StratusManifest> | null;
  const problem =
    typeof manifest !== 'object' || manifest === null
      ? 'is not an object'
      : manifest.format !== 'stratus-bundle'
        ? 'has no "format": "stratus-bundle"'
        : manifest.version !== 1
          ? `has unsupported version ${String(manifest.version)}`
          : typeof manifest.preprocessing !== 'object' ||
              manifest.preprocessing === null ||
              !Array.isArray(manifest.preprocessing.features) ||
              !Array.isArray(manifest.preprocessing.inputShape) ||
              typeof manifest.preprocessing.label !== 'object'
            ? 'has no valid "preprocessing"'
            : undefined;
  if (problem !== undefined) {
    throw new StratusError('BUNDLE_INVALID', { uri, detail: `${MANIFEST_FILE} ${problem}` });
  }
  return manifest as StratusManifest;
}
