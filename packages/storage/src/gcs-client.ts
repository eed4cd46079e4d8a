import { Storage as GcsClient } from '@google-cloud/storage';

/** Options of the Google Cloud Storage backend. */
export interface GcsStorageOptions {
  /** Project for requests that need one; by default the one Application Default Credentials name. */
  readonly projectId?: string;
  /**
   * A GCS JSON-API emulator, e.g. `http://127.0.0.1:9199` (`http://` is assumed
   * when no scheme is given). Requests then go there without credentials.
   */
  readonly emulatorHost?: string;
  /** Retries of transient failures (5xx, 429, resets) by the SDK. @defaultValue 3 */
  readonly maxRetries?: number;
  /** Writes of at most this many bytes (when the size is known) use one request; larger or unsized writes are resumable uploads. @defaultValue 8 MiB */
  readonly resumableThreshold?: number;
}

/** Normalise an emulator address to `http(s)://host:port` without a trailing slash. */
export const emulatorEndpoint = (host: string): string => {
  const trimmed = host.trim().replace(/\/+$/, '');
  return /^https?:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
};

/**
 * Build the SDK client. For an emulator we do what the SDK does itself when it
 * reads STORAGE_EMULATOR_HOST, without touching process.env: `apiEndpoint`
 * (used for uploads and downloads) is the emulator, and `baseUrl` (used for
 * JSON API calls) is the emulator root rather than `<apiEndpoint>/storage/v1`,
 * whose routes the firebase-tools emulator only partly serves.
 */
export const createGcsClient = (options: GcsStorageOptions): GcsClient => {
  const maxRetries = options.maxRetries ?? 3;
  const endpoint =
    options.emulatorHost === undefined ? undefined : emulatorEndpoint(options.emulatorHost);
  const client = new GcsClient({
    ...(options.projectId === undefined ? {} : { projectId: options.projectId }),
    ...(endpoint === undefined ? {} : { apiEndpoint: endpoint }),
    retryOptions: { autoRetry: maxRetries > 0, maxRetries },
  });
  if (endpoint !== undefined) client.baseUrl = endpoint;
  return client;
};
