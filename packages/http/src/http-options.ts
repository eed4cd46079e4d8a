/** Tunables every Stratus HTTP server shares (the API and the standalone predictor). */
export interface HttpOptions {
  /** Largest request body in bytes (413 beyond). @defaultValue 1572864 (1.5 MiB) */
  readonly bodyLimit: number;
  /** How long /readyz waits for Redis and storage before calling them down. @defaultValue 2000 */
  readonly readinessTimeoutMs: number;
  /** The object /readyz looks up to see that storage answers (it need not exist). */
  readonly readinessProbeUri: string;
  /**
   * How long a verified token is trusted before Redis is asked again; revoked
   * tokens are dropped at once (pub/sub). 0 asks Redis on every request. @defaultValue 5000
   */
  readonly tokenCacheMs: number;
}

export const DEFAULT_HTTP_OPTIONS: HttpOptions = Object.freeze({
  bodyLimit: 1_572_864,
  readinessTimeoutMs: 2_000,
  readinessProbeUri: 'gs://stratus-readiness/probe',
  tokenCacheMs: 5_000,
});
