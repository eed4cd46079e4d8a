import { useEffect, useState } from 'react';
import type { JobLogEntry, MetricPoint } from '@stratus/spec';
import { useClient } from './client-context.js';
import { errorMessage } from './format.js';

export interface StreamState<T> {
  readonly entries: readonly T[];
  readonly ended: boolean;
  readonly error: string | undefined;
}

/**
 * Follow a job's metric or log stream over SSE from its start: entries
 * replayed, then live ones as they arrive, until the job ends. Updates are
 * batched per animation frame so a fast stream does not re-render per entry.
 */
export function useJobStream(
  kind: 'metrics',
  jobId: string,
  trial?: string,
): StreamState<MetricPoint>;
export function useJobStream(kind: 'logs', jobId: string, trial?: string): StreamState<JobLogEntry>;
export function useJobStream(
  kind: 'metrics' | 'logs',
  jobId: string,
  trial?: string,
): StreamState<MetricPoint | JobLogEntry> {
  const { client } = useClient();
  const [state, setState] = useState<StreamState<MetricPoint | JobLogEntry>>({
    entries: [],
    ended: false,
    error: undefined,
  });
  useEffect(() => {
    const abort = new AbortController();
    let buffer: (MetricPoint | JobLogEntry)[] = [];
    let frame: number | undefined;
    setState({ entries: [], ended: false, error: undefined });
    const flush = (): void => {
      frame = undefined;
      const batch = buffer;
      buffer = [];
      setState((current) => ({ ...current, entries: [...current.entries, ...batch] }));
    };
    const options = { signal: abort.signal, ...(trial === undefined ? {} : { trial }) };
    const run = async (): Promise<void> => {
      const stream =
        kind === 'metrics'
          ? client.metrics.follow(jobId, options)
          : client.logs.follow(jobId, options);
      for await (const entry of stream) {
        buffer.push(entry);
        frame ??= requestAnimationFrame(flush);
      }
    };
    run().then(
      () => {
        if (abort.signal.aborted) return;
        if (frame !== undefined) cancelAnimationFrame(frame);
        flush();
        setState((current) => ({ ...current, ended: true }));
      },
      (error: unknown) => {
        if (abort.signal.aborted) return;
        setState((current) => ({ ...current, error: errorMessage(error) }));
      },
    );
    return () => {
      abort.abort();
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  }, [client, kind, jobId, trial]);
  return state;
}
