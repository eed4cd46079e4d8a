import { Type } from '@sinclair/typebox';
import { ID_PATTERN } from '@stratus/spec';
import type { ModelRouteParams } from './route-kit.js';

/**
 * TF Serving numbers versions (int64); Stratus names them (`v7`). On the TF
 * Serving routes a version is addressed either way: `7` is the version
 * named `v7`, and status and metadata report `v7` as `"7"`.
 */
const NUMBER = '[0-9]{1,19}';
const ID = ID_PATTERN.source.replace(/^\^/, '').replace(/\$$/, '');

/** The `:version` of a TF Serving route URL: an id or an int64. */
export const tfVersionParam = `:version(${ID}|${NUMBER})`;

/** Params of a TF Serving route with a version: the model's id and an id or an int64. */
export const TfVersionParams = Type.Object(
  {
    model: Type.String({ pattern: ID_PATTERN.source }),
    version: Type.String({ pattern: `^(?:${ID}|${NUMBER})$` }),
  },
  { additionalProperties: false },
);

const DIGITS = /^[0-9]+$/;
const NUMBERED = /^v(0|[1-9][0-9]{0,18})$/;

/** The version a TF Serving path names: `7` (or `007`) → `v7`, a name as it is. */
export const versionNamed = (version: string): string =>
  DIGITS.test(version) ? `v${BigInt(version).toString()}` : version;

/** Route params with a numeric version turned into its name. */
export const withVersionNamed = (params: ModelRouteParams): ModelRouteParams =>
  params.version === undefined ? params : { ...params, version: versionNamed(params.version) };

/** How TF Serving reports a version: `v7` → `"7"` (an int64 as a string); other names as they are. */
export const tfVersionNumber = (name: string): string => NUMBERED.exec(name)?.[1] ?? name;
