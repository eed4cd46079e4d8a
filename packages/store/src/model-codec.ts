import {
  EMPTY_RESPONSE_TYPE,
  MODEL_RESPONSE_TYPE,
  OPERATION_METADATA_TYPE,
  OPERATION_TYPES,
  VERSION_RESPONSE_TYPE,
  VERSION_STATES,
  formatModelName,
  formatOperationName,
  formatVersionName,
  type Model,
  type ModelInput,
  type Operation,
  type OperationType,
  type RpcStatus,
  type Version,
  type VersionInput,
  type VersionState,
} from '@stratus/spec';
import { compact } from './compact.js';
import { etagOf } from './etag.js';

/** The parts of a model's create request the store keeps as JSON (`input`). */
export type StoredModelInput = Omit<ModelInput, 'name'>;

/** The parts of a version's create request the store keeps, with the resolved bundle URI. */
export type StoredVersionInput = Omit<VersionInput, 'name'> & { deploymentUri: string };

/** Hash fields of a new model (the create script adds `rev`). */
export const encodeModel = (input: ModelInput, createTime: string): Record<string, string> => {
  const stored: StoredModelInput = compact({
    description: input.description,
    labels: input.labels,
    regions: input.regions,
  });
  return { input: JSON.stringify(stored), createTime };
};

/** Hash fields of a new CREATING version. */
export const encodeVersion = (
  input: VersionInput,
  deploymentUri: string,
  createTime: string,
  operationId: string,
): Record<string, string> => {
  const stored: StoredVersionInput = compact({
    description: input.description,
    deploymentUri,
    sourceJob: input.sourceJob,
    framework: input.framework ?? 'TENSORFLOW_JS',
    labels: input.labels,
    batching: input.batching,
    runtimeVersion: input.runtimeVersion,
    machineType: input.machineType,
    autoScaling: input.autoScaling,
    manualScaling: input.manualScaling,
  });
  return { input: JSON.stringify(stored), state: 'CREATING', createTime, operation: operationId };
};

const versionState = (value: string | undefined): VersionState => {
  const state = VERSION_STATES.find((candidate) => candidate === value);
  if (state === undefined)
    throw new TypeError(`stored version state "${String(value)}" is unknown`);
  return state;
};

/** A version hash (HGETALL) as the API returns it; undefined when the hash is empty. */
export const decodeVersion = (
  project: string,
  modelId: string,
  versionId: string,
  hash: Readonly<Record<string, string>>,
  defaultVersion: string | undefined,
): Version | undefined => {
  if (hash.state === undefined) return undefined;
  const input = JSON.parse(hash.input ?? '{}') as StoredVersionInput;
  return compact<Version>({
    name: formatVersionName(project, modelId, versionId),
    description: input.description,
    deploymentUri: input.deploymentUri,
    sourceJob: input.sourceJob,
    framework: input.framework ?? 'TENSORFLOW_JS',
    state: versionState(hash.state),
    errorMessage: hash.errorMessage,
    isDefault: defaultVersion === versionId,
    createTime: hash.createTime ?? '',
    lastUseTime: hash.lastUseTime,
    labels: input.labels,
    batching: input.batching,
    runtimeVersion: input.runtimeVersion,
    machineType: input.machineType,
    autoScaling: input.autoScaling,
    manualScaling: input.manualScaling,
    etag: etagOf(hash.rev),
  });
};

/** A model hash as the API returns it, with its default version embedded (as Cloud ML does). */
export const decodeModel = (
  project: string,
  modelId: string,
  hash: Readonly<Record<string, string>>,
  defaultVersion: Version | undefined,
): Model | undefined => {
  if (hash.createTime === undefined) return undefined;
  const input = JSON.parse(hash.input ?? '{}') as StoredModelInput;
  return compact<Model>({
    name: formatModelName(project, modelId),
    description: input.description,
    defaultVersion,
    labels: input.labels,
    regions: input.regions,
    createTime: hash.createTime,
    etag: etagOf(hash.rev),
  });
};

/** Hash fields of a new operation. */
export const encodeOperation = (
  type: OperationType,
  modelId: string,
  versionId: string | undefined,
  createTime: string,
  done: boolean,
  /** The version as it was (a delete keeps it, since the version itself is gone) or as updated. */
  snapshot?: Version,
  /** The model as updated (UPDATE_MODEL's response). */
  modelSnapshot?: Model,
): Record<string, string> => ({
  type,
  model: modelId,
  ...(versionId === undefined ? {} : { version: versionId }),
  createTime,
  done: done ? '1' : '0',
  ...(done ? { endTime: createTime } : {}),
  ...(snapshot === undefined ? {} : { snapshot: JSON.stringify(snapshot) }),
  ...(modelSnapshot === undefined ? {} : { modelSnapshot: JSON.stringify(modelSnapshot) }),
});

/** A finished operation's response: the Version created or updated, the Model updated, else Empty. */
const operationResponse = (
  type: OperationType,
  version: Version | undefined,
  hash: Readonly<Record<string, string>>,
): Record<string, unknown> & { '@type': string } => {
  if (type === 'CREATE_VERSION' || type === 'UPDATE_VERSION') {
    return { '@type': VERSION_RESPONSE_TYPE, ...(version ?? {}) };
  }
  if (type === 'UPDATE_MODEL' && hash.modelSnapshot !== undefined) {
    return { '@type': MODEL_RESPONSE_TYPE, ...(JSON.parse(hash.modelSnapshot) as Model) };
  }
  return { '@type': EMPTY_RESPONSE_TYPE };
};

/**
 * An operation hash as the API returns it. `live` is the version as it is now
 * (absent once deleted; a delete then shows the version as it was); a
 * finished create answers with the version, a delete with Empty.
 */
export const decodeOperation = (
  project: string,
  operationId: string,
  hash: Readonly<Record<string, string>>,
  live: Version | undefined,
): Operation | undefined => {
  if (hash.type === undefined) return undefined;
  const version =
    live ?? (hash.snapshot === undefined ? undefined : (JSON.parse(hash.snapshot) as Version));
  const type = OPERATION_TYPES.find((candidate) => candidate === hash.type);
  if (type === undefined) throw new TypeError(`stored operation type "${hash.type}" is unknown`);
  const done = hash.done === '1';
  const error = hash.error === undefined ? undefined : (JSON.parse(hash.error) as RpcStatus);
  const response =
    !done || error !== undefined ? undefined : operationResponse(type, version, hash);
  return compact<Operation>({
    name: formatOperationName(project, operationId),
    metadata: compact({
      '@type': OPERATION_METADATA_TYPE,
      operationType: type,
      modelName: formatModelName(project, hash.model ?? ''),
      version,
      createTime: hash.createTime ?? '',
      startTime: hash.createTime,
      endTime: hash.endTime,
    }),
    done,
    error,
    response,
  });
};
