import type {
  Bucket,
  BucketGrantRole,
  ListBucketsResponse,
  CreateTokenRequest,
  CreatedToken,
  Job,
  JobInput,
  JobLogEntry,
  ListJobsResponse,
  ListLogsResponse,
  ListMetricsResponse,
  ListTokensResponse,
  ListModelsResponse,
  ListVersionsResponse,
  ListWorkersResponse,
  MetricPoint,
  Model,
  ModelInput,
  Operation,
  PredictResponse,
  Version,
  VersionInput,
  VersionSignature,
} from '@stratus/spec';
import { followEvents, type FollowOptions, type WithEventId } from './follow.js';
import { Transport, segment, type FetchLike } from './transport.js';

export interface StratusClientOptions {
  /** API root, e.g. `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
  readonly token?: string;
  /** The project of `jobs`, `logs` and `metrics` calls. @defaultValue 'default' */
  readonly project?: string;
  /** @defaultValue globalThis.fetch */
  readonly fetch?: FetchLike;
}

export interface ListJobsOptions {
  /** 1–100. @defaultValue 20 */
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** An AIP-160 filter, e.g. `jobId:rnn* AND state:FAILED` (docs/api.md, "Filtering lists"). */
  readonly filter?: string;
}

export interface ListStreamOptions {
  readonly trial?: string;
  /** 1–1000. @defaultValue 1000 */
  readonly pageSize?: number;
  /** A `nextPageToken` (or an entry's event id) to continue after. */
  readonly pageToken?: string;
}

/** Paging and filtering of model and version lists (name order). */
export interface ListPageOptions {
  /** 1–100. @defaultValue 20 */
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** An AIP-160 filter, e.g. `labels.team=a OR name:census*` (docs/api.md, "Filtering lists"). */
  readonly filter?: string;
}

/** Every item of a paged list: `page(token)` fetches one page, `items` picks its items. */
async function* allPages<P extends { nextPageToken?: string }, T>(
  page: (pageToken: string | undefined) => Promise<P>,
  items: (page: P) => readonly T[],
): AsyncGenerator<T, void, undefined> {
  let pageToken: string | undefined;
  do {
    const current = await page(pageToken);
    yield* items(current);
    pageToken = current.nextPageToken;
  } while (pageToken !== undefined);
}

const withToken = <O extends object>(options: O, pageToken: string | undefined): O =>
  pageToken === undefined ? options : { ...options, pageToken };

/** Paging and filter of the operations list. */
export interface ListOperationsOptions {
  readonly pageSize?: number;
  readonly pageToken?: string;
  /** e.g. `done=false`. */
  readonly filter?: string;
}

/** One page of `GET /v1/projects/{p}/operations`. */
export interface ListOperationsPage {
  readonly operations?: Operation[];
  readonly nextPageToken?: string;
}

/**
 * A PATCH: the fields to change (`updateMask`, e.g. `['labels']`) and a body
 * carrying their new values; a masked field the body leaves out is cleared.
 * An `etag` in the body makes the update conditional (409 ABORTED if stale).
 */
export interface PatchOptions<T> {
  readonly updateMask: readonly string[];
  readonly body: Partial<T>;
}

export interface PredictOptions {
  /** A version of the model; its default version when omitted. */
  readonly version?: string;
  readonly signatureName?: string;
}

/** How `operations.wait` polls unless told otherwise. */
export const DEFAULT_WAIT_OPTIONS = Object.freeze({ intervalMs: 250, timeoutMs: 300_000 });

export interface WaitOptions {
  /** @defaultValue 250 */
  readonly intervalMs?: number;
  /** Give up (throw) after this long. @defaultValue 300000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

/** `{ "status": "ok" }` from /healthz and /readyz (readyz also lists its checks). */
export interface HealthStatus {
  readonly status: 'ok';
  readonly checks?: Readonly<Record<string, string>>;
}

/**
 * Typed client of the Stratus REST API, over `fetch` (Node 20+ and
 * browsers). Errors are thrown as StratusApiError with the server's reason
 * and field violations.
 */
export class StratusClient {
  readonly project: string;
  private readonly transport: Transport;
  private readonly options: StratusClientOptions;

  constructor(options: StratusClientOptions) {
    this.options = options;
    this.project = options.project ?? 'default';
    this.transport = new Transport(options);
  }

  /** The same client for another project. */
  withProject(project: string): StratusClient {
    return new StratusClient({ ...this.options, project });
  }

  private jobsPath(jobId?: string): string {
    const base = `/v1/projects/${segment(this.project)}/jobs`;
    return jobId === undefined ? base : `${base}/${segment(jobId)}`;
  }

  readonly jobs = {
    /** Submit a training job (409 JOB_ALREADY_EXISTS if the id is taken). */
    create: (input: JobInput): Promise<Job> =>
      this.transport.json('POST', this.jobsPath(), { body: input }),
    get: (jobId: string): Promise<Job> => this.transport.json('GET', this.jobsPath(jobId)),
    /** One page, newest first. */
    list: (options: ListJobsOptions = {}): Promise<ListJobsResponse> =>
      this.transport.json('GET', this.jobsPath(), { query: { ...options } }),
    /** Every job matching `filter`, page after page. */
    listAll: (options: Omit<ListJobsOptions, 'pageToken'> = {}): AsyncGenerator<Job, void> =>
      allPages(
        (pageToken) => this.jobs.list(withToken(options, pageToken)),
        (page) => page.jobs,
      ),
    /** Change a job's labels (`updateMask: ['labels']`); returns the job. */
    patch: (jobId: string, patch: PatchOptions<Job>): Promise<Job> =>
      this.transport.json('PATCH', this.jobsPath(jobId), {
        query: { updateMask: patch.updateMask.join(',') },
        body: patch.body,
      }),
    /** Cancel a job; returns it (CANCELLING, or CANCELLED when nothing was running). */
    cancel: (jobId: string): Promise<Job> =>
      this.transport.json('POST', `${this.jobsPath(jobId)}:cancel`, { body: {} }),
  };

  private modelsPath(model?: string): string {
    const base = `/v1/projects/${segment(this.project)}/models`;
    return model === undefined ? base : `${base}/${segment(model)}`;
  }

  private versionsPath(model: string, version?: string): string {
    const base = `${this.modelsPath(model)}/versions`;
    return version === undefined ? base : `${base}/${segment(version)}`;
  }

  readonly models = {
    /** Create a model (409 MODEL_ALREADY_EXISTS if the name is taken). */
    create: (input: ModelInput): Promise<Model> =>
      this.transport.json('POST', this.modelsPath(), { body: input }),
    get: (model: string): Promise<Model> => this.transport.json('GET', this.modelsPath(model)),
    /** One page, in name order. */
    list: (options: ListPageOptions = {}): Promise<ListModelsResponse> =>
      this.transport.json('GET', this.modelsPath(), { query: { ...options } }),
    /** Every model matching `filter`, page after page. */
    listAll: (options: Omit<ListPageOptions, 'pageToken'> = {}): AsyncGenerator<Model, void> =>
      allPages(
        (pageToken) => this.models.list(withToken(options, pageToken)),
        (page) => page.models,
      ),
    /** Change a model's description or labels; a finished UPDATE_MODEL operation. */
    patch: (model: string, patch: PatchOptions<Model>): Promise<Operation> =>
      this.transport.json('PATCH', this.modelsPath(model), {
        query: { updateMask: patch.updateMask.join(',') },
        body: patch.body,
      }),
    /** Delete a model without versions (400 MODEL_HAS_VERSIONS otherwise); a finished operation. */
    delete: (model: string): Promise<Operation> =>
      this.transport.json('DELETE', this.modelsPath(model)),
  };

  readonly versions = {
    /** Deploy a version; the operation ends when a predictor has it READY (or it FAILED). */
    create: (model: string, input: VersionInput): Promise<Operation> =>
      this.transport.json('POST', this.versionsPath(model), { body: input }),
    get: (model: string, version: string): Promise<Version> =>
      this.transport.json('GET', this.versionsPath(model, version)),
    list: (model: string, options: ListPageOptions = {}): Promise<ListVersionsResponse> =>
      this.transport.json('GET', this.versionsPath(model), { query: { ...options } }),
    /** Every version of the model matching `filter`, page after page. */
    listAll: (
      model: string,
      options: Omit<ListPageOptions, 'pageToken'> = {},
    ): AsyncGenerator<Version, void> =>
      allPages(
        (pageToken) => this.versions.list(model, withToken(options, pageToken)),
        (page) => page.versions,
      ),
    /** The bundle's input features (with categorical vocabularies) and outputs. */
    signature: (model: string, version: string): Promise<VersionSignature> =>
      this.transport.json('GET', `${this.versionsPath(model, version)}/signature`),
    /** Make a READY version the model's default. */
    setDefault: (model: string, version: string): Promise<Version> =>
      this.transport.json('POST', `${this.versionsPath(model, version)}:setDefault`, { body: {} }),
    /** Change a version's description, labels or replica counts; a finished UPDATE_VERSION operation. */
    patch: (model: string, version: string, patch: PatchOptions<Version>): Promise<Operation> =>
      this.transport.json('PATCH', this.versionsPath(model, version), {
        query: { updateMask: patch.updateMask.join(',') },
        body: patch.body,
      }),
    /** Delete a version (not the default while others exist); a finished operation. */
    delete: (model: string, version: string): Promise<Operation> =>
      this.transport.json('DELETE', this.versionsPath(model, version)),
  };

  /** An operation's path, by full name (`projects/p/operations/o`) or by id in this client's project. */
  private operationPath(name: string): string {
    return name.startsWith('projects/')
      ? `/v1/${name.split('/').map(segment).join('/')}`
      : `/v1/projects/${segment(this.project)}/operations/${segment(name)}`;
  }

  readonly operations = {
    /** By full name (`projects/p/operations/o`) or by id in this client's project. */
    get: (name: string): Promise<Operation> => this.transport.json('GET', this.operationPath(name)),
    /** One page of the project's operations. */
    list: (options: ListOperationsOptions = {}): Promise<ListOperationsPage> =>
      this.transport.json('GET', `/v1/projects/${segment(this.project)}/operations`, {
        query: { ...options },
      }),
    /** Cancel an operation: a deploy not yet done ends FAILED; a no-op once done. */
    cancel: async (name: string): Promise<void> => {
      await this.transport.json('POST', `${this.operationPath(name)}:cancel`, { body: {} });
    },
    /** Poll until the operation is done; throws if it is not done within `timeoutMs`. */
    wait: async (name: string, options: WaitOptions = {}): Promise<Operation> => {
      const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_OPTIONS.timeoutMs;
      const intervalMs = options.intervalMs ?? DEFAULT_WAIT_OPTIONS.intervalMs;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const operation = await this.operations.get(name);
        if (operation.done) return operation;
        options.signal?.throwIfAborted();
        if (Date.now() > deadline) {
          throw new Error(`operation ${name} is not done after ${timeoutMs} ms`);
        }
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    },
  };

  /** Online prediction (Cloud ML `:predict`): predictions in instance order. */
  predict(
    model: string,
    instances: readonly unknown[],
    options: PredictOptions = {},
  ): Promise<PredictResponse> {
    const target =
      options.version === undefined
        ? this.modelsPath(model)
        : this.versionsPath(model, options.version);
    return this.transport.json('POST', `${target}:predict`, {
      body: {
        instances,
        ...(options.signatureName === undefined ? {} : { signature_name: options.signatureName }),
      },
    });
  }

  readonly logs = {
    list: (jobId: string, options: ListStreamOptions = {}): Promise<ListLogsResponse> =>
      this.transport.json('GET', `${this.jobsPath(jobId)}/logs`, { query: { ...options } }),
    /** Log entries as they arrive (SSE), ending when the job ends. */
    follow: (
      jobId: string,
      options: FollowOptions = {},
    ): AsyncGenerator<WithEventId<JobLogEntry>> =>
      followEvents<JobLogEntry>(this.transport, `${this.jobsPath(jobId)}/logs`, 'log', options),
  };

  readonly metrics = {
    list: (jobId: string, options: ListStreamOptions = {}): Promise<ListMetricsResponse> =>
      this.transport.json('GET', `${this.jobsPath(jobId)}/metrics`, { query: { ...options } }),
    /** Metric points as they arrive (SSE), ending when the job ends. */
    follow: (
      jobId: string,
      options: FollowOptions = {},
    ): AsyncGenerator<WithEventId<MetricPoint>> =>
      followEvents<MetricPoint>(
        this.transport,
        `${this.jobsPath(jobId)}/metrics`,
        'metric',
        options,
      ),
  };

  private bucketsPath(bucket?: string): string {
    const base = `/v1/projects/${segment(this.project)}/buckets`;
    return bucket === undefined ? base : `${base}/${segment(bucket)}`;
  }

  /** Buckets belong to projects: claim, list, release, grant, revoke. */
  readonly buckets = {
    /** Claim a bucket for this project (idempotent); 403 PERMISSION_DENIED if another owns it. */
    claim: (name: string): Promise<Bucket> =>
      this.transport.json('POST', this.bucketsPath(), { body: { name } }),
    /** The project's buckets (with grants), then those granted to it. */
    list: (): Promise<ListBucketsResponse> => this.transport.json('GET', this.bucketsPath()),
    /** Release a bucket this project owns; an admin may hand it to `reassignTo` instead. */
    release: async (bucket: string, reassignTo?: string): Promise<void> => {
      await this.transport.json('DELETE', this.bucketsPath(bucket), {
        query: reassignTo === undefined ? {} : { reassignTo },
      });
    },
    grant: (bucket: string, project: string, role: BucketGrantRole): Promise<Bucket> =>
      this.transport.json('POST', `${this.bucketsPath(bucket)}:grant`, {
        body: { project, role },
      }),
    revoke: (bucket: string, project: string): Promise<Bucket> =>
      this.transport.json('POST', `${this.bucketsPath(bucket)}:revoke`, { body: { project } }),
  };

  /** Admin only. */
  readonly tokens = {
    /** The response carries the secret `token`; it cannot be read again. */
    create: (request: CreateTokenRequest): Promise<CreatedToken> =>
      this.transport.json('POST', '/v1/tokens', { body: request }),
    list: (): Promise<ListTokensResponse> => this.transport.json('GET', '/v1/tokens'),
    revoke: async (tokenId: string): Promise<void> => {
      await this.transport.json('DELETE', `/v1/tokens/${segment(tokenId)}`);
    },
  };

  readonly workers = {
    /** Live workers and queue depths. */
    list: (): Promise<ListWorkersResponse> => this.transport.json('GET', '/v1/workers'),
  };

  /** Liveness (/healthz). */
  health(): Promise<HealthStatus> {
    return this.transport.json('GET', '/healthz');
  }

  /** Readiness (/readyz): throws StratusApiError NOT_READY (503) naming what is down. */
  ready(): Promise<HealthStatus> {
    return this.transport.json('GET', '/readyz');
  }
}
