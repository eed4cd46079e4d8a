import { Type } from '@sinclair/typebox';
import { ID_PATTERN, StratusError, formatModelName } from '@stratus/spec';
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

/**
 * TF Serving's version labels. Until versions carry labels of their own,
 * the one label is `stable`: the model's default version.
 */
export const TF_LABELS = ['stable'] as const;

/** Params of a TF Serving route with a label: the model's id and the label. */
export const TfLabelParams = Type.Object(
  {
    model: Type.String({ pattern: ID_PATTERN.source }),
    label: Type.String({ pattern: ID_PATTERN.source }),
  },
  { additionalProperties: false },
);

/** The `:label` of a TF Serving route URL (an id: it stops before `:predict`). */
export const tfLabelParam = `:label(${ID})`;

/** Params of a TF Serving route: a model, with a version (name or number) or a label. */
export interface TfRouteParams extends ModelRouteParams {
  readonly label?: string;
}

/**
 * What TF Serving route params address, as a model and version name: a
 * numeric version turned into its name (`7` → `v7`), label `stable` the
 * model's default version (no version), another label a 404.
 */
export const tfAddressed = (project: string, params: TfRouteParams): ModelRouteParams => {
  const { label, ...rest } = params;
  if (label === undefined) {
    return rest.version === undefined ? rest : { ...rest, version: versionNamed(rest.version) };
  }
  if (!(TF_LABELS as readonly string[]).includes(label)) {
    throw new StratusError('LABEL_NOT_FOUND', {
      label,
      name: formatModelName(project, params.model),
      labels: TF_LABELS.join(', '),
    });
  }
  return { model: params.model };
};

/** How TF Serving reports a version: `v7` → `"7"` (an int64 as a string); other names as they are. */
export const tfVersionNumber = (name: string): string => NUMBERED.exec(name)?.[1] ?? name;
