import { describe, expect, it } from 'vitest';
import { bullmqPrefix, createKeys, queueName, queueWaitListKey } from './keys.js';

/** The part of a key Redis Cluster hashes: the first non-empty {…}. */
const hashTag = (key: string): string => {
  const open = key.indexOf('{');
  const close = key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
};

describe('key layout', () => {
  const keys = createKeys('stratus');

  it('names a job’s keys under its project’s hash tag, with the project indexes', () => {
    const job = keys.job('demo', 'iris_1');
    const project = keys.project('demo');
    expect(job.meta).toBe('stratus:{p:demo}:job:iris_1:meta');
    expect(job.trial('7')).toBe('stratus:{p:demo}:job:iris_1:trial:7');
    expect(job.logs).toBe('stratus:{p:demo}:job:iris_1:logs');
    expect(project.jobsInState('RUNNING')).toBe('stratus:{p:demo}:jobs:state:RUNNING');
    expect(project.jobsWithLabel('team', 'x')).toBe('stratus:{p:demo}:jobs:label:team=x');
    const all = [
      job.meta,
      job.trials,
      job.trialSeq,
      job.trial('1'),
      job.trialSeries('1'),
      job.logs,
      job.metrics,
      job.lock,
      project.jobs,
      project.jobScore,
      project.jobsInState('QUEUED'),
      project.jobsWithLabel('a', 'b'),
      project.model('m'),
      project.version('m', 'v1'),
      project.operation('op-1'),
    ];
    expect(new Set(all.map(hashTag))).toEqual(new Set(['p:demo']));
    expect(hashTag(keys.job('other', 'iris_1').meta)).toBe('p:other');
  });

  it('keeps every bucket key in one slot', () => {
    const { buckets } = keys;
    expect(
      new Set(
        [buckets.owners, buckets.grants('b-1'), buckets.owned('p'), buckets.granted('p')].map(
          hashTag,
        ),
      ),
    ).toEqual(new Set(['buckets']));
    expect(`${buckets.grantedPrefix}p:granted`).toBe(buckets.granted('p'));
    expect(() => buckets.grants('Bad_Bucket')).toThrow(/bucket "Bad_Bucket"/);
  });

  it('gives tokens and workers a slot each', () => {
    expect(new Set([keys.tokens.ids, keys.tokens.byHash('ab')].map(hashTag))).toEqual(
      new Set(['tokens']),
    );
    expect(new Set([keys.workers.all, keys.workers.worker('w1')].map(hashTag))).toEqual(
      new Set(['workers']),
    );
  });

  it('names the BullMQ queues without colons, hash-tagged, and their KEDA wait list', () => {
    expect(bullmqPrefix('stratus')).toBe('stratus:bull');
    expect(queueName('stratus', 'cpu')).toBe('{stratus-trials-cpu}');
    expect(queueName('test:{x}', 'gpu')).toBe('{test__x_-trials-gpu}');
    expect(queueWaitListKey('stratus', 'gpu')).toBe('stratus:bull:{stratus-trials-gpu}:wait');
  });

  it('refuses ids that could break out of their key', () => {
    expect(() => keys.job('demo', 'a:b')).toThrow('Invalid job name "a:b"');
    expect(() => keys.job('de:mo', 'a')).toThrow('Invalid project name "de:mo"');
    expect(() => keys.job('demo', 'a').trial('1:x')).toThrow('must be a positive decimal integer');
    expect(() => keys.project('demo').jobsWithLabel('Team', 'x')).toThrow('not a valid label');
    expect(() => createKeys('stratus:')).toThrow('without a trailing colon');
  });
});
