import { StratusApiError, errorFromResponse } from './api-error.js';

/** The fetch the client uses (the global one by default; tests or the dashboard may wrap it). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface TransportOptions {
  /** API root, e.g. `http://127.0.0.1:8080` (a trailing slash is ignored). */
  readonly baseUrl: string;
  /** Bearer token; omit for /healthz and /readyz only. */
  readonly token?: string;
  /** @defaultValue globalThis.fetch */
  readonly fetch?: FetchLike;
}

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  readonly query?: Query;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** Path segments are ids (letters, digits, `_`, `-`); encode them anyway so a bad id cannot reroute. */
export const segment = (value: string): string => encodeURIComponent(value);

/** HTTP with the bearer token, JSON bodies, and Google-shaped errors thrown as StratusApiError. */
export class Transport {
  readonly baseUrl: string;
  private readonly token: string | undefined;
  private readonly fetchFn: FetchLike;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.token = options.token;
    this.fetchFn = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) params.set(key, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl}${path}${search === '' ? '' : `?${search}`}`;
  }

  /** Send a request; the raw Response when it is 2xx, else the StratusApiError it carries. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    const init: RequestInit = { method, headers };
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(options.body);
    }
    if (options.signal !== undefined) init.signal = options.signal;
    let response: Response;
    try {
      response = await this.fetchFn(this.url(path, options.query), init);
    } catch (error) {
      if (options.signal?.aborted === true) throw error;
      throw new StratusApiError(
        {
          code: 0,
          status: 'UNAVAILABLE',
          reason: 'CONNECTION_FAILED',
          message: `Cannot reach ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
        },
        { cause: error },
      );
    }
    if (response.ok) return response;
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      // not JSON: keep the text for the message
    }
    throw errorFromResponse(
      response.status,
      body,
      response.headers.get('x-request-id') ?? undefined,
    );
  }

  /** Send a request and parse its JSON response. */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    return (await response.json()) as T;
  }
}
