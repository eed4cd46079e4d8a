import {
  fieldError,
  parseModelName,
  parseVersionName,
  type BatchModelRef,
  type PredictionInput,
  type Version,
} from '@stratus/spec';
import type { StoreAreas } from '@stratus/store';

const PI = 'predictionInput';

/** A version a batch job may run: READY, with a bundle. */
const runnable = (version: Version, field: string): BatchModelRef => {
  if (version.state !== 'READY') {
    throw fieldError(
      'INVALID_JOB_SPEC',
      field,
      `version ${version.name} is ${version.state}; a batch prediction job needs a READY version`,
    );
  }
  if (version.deploymentUri === undefined) {
    throw fieldError('INVALID_JOB_SPEC', field, `version ${version.name} has no deploymentUri`);
  }
  return { uri: version.deploymentUri, framework: version.framework, versionName: version.name };
};

/** 400 unless a model or version name is in the job's own project. */
const sameProject = (field: string, named: string, project: string): void => {
  if (named !== project) {
    throw fieldError(
      'INVALID_JOB_SPEC',
      field,
      `names project ${named}; a job in project ${project} may only use that project's models`,
    );
  }
};

/**
 * The model a batch prediction job runs, resolved once at submission: the
 * named version, the model's default version, or the bundle at `uri`
 * (TENSORFLOW_JS; ONNX Runtime runs it where the bundle holds `model.onnx`
 * and the predictor's runtime is `onnx`). A 400 names the field when the
 * model or version is missing, not READY, or the model has no default version.
 */
export const resolveBatchModel = async (
  store: StoreAreas<'models' | 'versions'>,
  project: string,
  input: PredictionInput,
): Promise<BatchModelRef> => {
  if (input.versionName !== undefined) {
    const field = `${PI}.versionName`;
    const name = parseVersionName(input.versionName);
    sameProject(field, name.project, project);
    const version = await store.versions.find(project, name.model, name.version);
    if (version === undefined) {
      throw fieldError('INVALID_JOB_SPEC', field, `version ${input.versionName} does not exist`);
    }
    return runnable(version, field);
  }
  if (input.modelName !== undefined) {
    const field = `${PI}.modelName`;
    const name = parseModelName(input.modelName);
    sameProject(field, name.project, project);
    const model = await store.models.find(project, name.model);
    if (model === undefined) {
      throw fieldError('INVALID_JOB_SPEC', field, `model ${input.modelName} does not exist`);
    }
    if (model.defaultVersion === undefined) {
      throw fieldError(
        'INVALID_JOB_SPEC',
        field,
        `model ${input.modelName} has no default version; name one with versionName`,
      );
    }
    return runnable(model.defaultVersion, field);
  }
  return { uri: input.uri ?? '', framework: 'TENSORFLOW_JS' };
};
