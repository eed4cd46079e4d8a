import { JOB_STATES } from '../job-state.js';
import { OPERATION_TYPES } from '../operation.js';
import { FRAMEWORKS, VERSION_STATES } from '../version.js';
import type { FilterFields } from './fields.js';

/** What `GET …/jobs?filter=` can test. */
export const JOB_FILTER_FIELDS: FilterFields = {
  jobId: { type: 'string' },
  state: { type: 'enum', values: JOB_STATES },
  createTime: { type: 'timestamp' },
  labels: { type: 'map' },
};

/** What `GET …/models?filter=` can test; `name` is the model's id (the last part of its resource name). */
export const MODEL_FILTER_FIELDS: FilterFields = {
  name: { type: 'string' },
  description: { type: 'string' },
  createTime: { type: 'timestamp' },
  labels: { type: 'map' },
};

/** What `GET …/versions?filter=` can test; `name` is the version's id. */
export const VERSION_FILTER_FIELDS: FilterFields = {
  name: { type: 'string' },
  description: { type: 'string' },
  state: { type: 'enum', values: VERSION_STATES },
  framework: { type: 'enum', values: FRAMEWORKS },
  createTime: { type: 'timestamp' },
  labels: { type: 'map' },
};

/** What `GET …/operations?filter=` can test; `name` is the operation's id. */
export const OPERATION_FILTER_FIELDS: FilterFields = {
  name: { type: 'string' },
  done: { type: 'boolean' },
  'metadata.operationType': { type: 'enum', values: OPERATION_TYPES },
  'metadata.modelName': { type: 'string' },
  'metadata.createTime': { type: 'timestamp' },
};
