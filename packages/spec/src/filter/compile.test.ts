import { describe, expect, it } from 'vitest';
import { thrown } from '../errors.test-support.js';
import type { FilterRecord } from './fields.js';
import { parseListFilter } from './list-filter.js';
import { JOB_FILTER_FIELDS, OPERATION_FILTER_FIELDS } from './resource-fields.js';

const jobs: FilterRecord[] = [
  {
    jobId: 'rnn_1',
    state: 'FAILED',
    createTime: '2024-05-01T10:00:00.000Z',
    labels: { team: 'a' },
  },
  { jobId: 'rnn_2', state: 'SUCCEEDED', createTime: '2024-05-02T10:00:00.000Z', labels: {} },
  {
    jobId: 'cnn_1',
    state: 'FAILED',
    createTime: '2024-05-03T10:00:00.000Z',
    labels: { team: 'b' },
  },
];

const matching = (filter: string): unknown[] => {
  const { matches } = parseListFilter(filter, JOB_FILTER_FIELDS);
  return jobs.filter(matches).map((job) => job.jobId);
};

describe('compiled job filters', () => {
  it('matches the docs example: a jobId prefix and a state', () => {
    expect(matching('jobId:rnn* AND state:FAILED')).toEqual(['rnn_1']);
  });

  it('compares strings and states', () => {
    expect(matching('jobId=cnn_1')).toEqual(['cnn_1']);
    expect(matching('jobId!=cnn_1')).toEqual(['rnn_1', 'rnn_2']);
    expect(matching('jobId>="rnn_2"')).toEqual(['rnn_2']);
    expect(matching('jobId<rnn')).toEqual(['cnn_1']);
    expect(matching('state!=FAILED')).toEqual(['rnn_2']);
    expect(matching('-state=FAILED OR jobId:cnn*')).toEqual(['rnn_2', 'cnn_1']);
  });

  it('compares createTime as instants, in any RFC 3339 zone', () => {
    expect(matching('createTime>2024-05-01T10:00:00Z')).toEqual(['rnn_2', 'cnn_1']);
    expect(matching('createTime<="2024-05-02T12:00:00+02:00"')).toEqual(['rnn_1', 'rnn_2']);
    expect(matching('createTime=2024-05-03T10:00:00.000Z')).toEqual(['cnn_1']);
    expect(matching('createTime:2024-05-02*')).toEqual(['rnn_2']);
  });

  it('reads labels by key, tests their presence, and treats a missing one as empty', () => {
    expect(matching('labels.team=a OR labels.team=b')).toEqual(['rnn_1', 'cnn_1']);
    expect(matching('labels:team')).toEqual(['rnn_1', 'cnn_1']);
    expect(matching('labels.team:*')).toEqual(['rnn_1', 'cnn_1']);
    expect(matching('NOT labels:team')).toEqual(['rnn_2']);
    expect(matching('labels.team!=a')).toEqual(['rnn_2', 'cnn_1']);
    expect(matching('labels.team=""')).toEqual(['rnn_2']);
  });

  it('normalizes spacing and quoting, so page tokens bind to the meaning', () => {
    const a = parseListFilter('state = FAILED  labels.team="a"', JOB_FILTER_FIELDS);
    const b = parseListFilter("state=FAILED AND labels.team='a'", JOB_FILTER_FIELDS);
    expect(a.normalized).toBe('(state="FAILED" AND labels.team="a")');
    expect(b.normalized).toBe(a.normalized);
    expect(parseListFilter('', JOB_FILTER_FIELDS).normalized).toBe('');
  });

  it.each([
    [
      'owner=me',
      'filter: unknown field "owner" at position 1; filterable fields: jobId, state, createTime, labels.<key>',
    ],
    [
      'jobId=1 labels.=x',
      'filter: unknown field "labels." at position 9; filterable fields: jobId, state, createTime, labels.<key>',
    ],
    [
      'state=DONE',
      'filter: state "DONE" at position 7 is not one of QUEUED, PREPARING, RUNNING, SUCCEEDED, FAILED, CANCELLING, CANCELLED',
    ],
    ['state>RUNNING', 'filter: state does not support ">" (position 1); use =, != or :'],
    [
      'createTime>yesterday',
      'filter: createTime needs an RFC 3339 timestamp such as 2024-05-01T12:00:00Z, not "yesterday" at position 12',
    ],
    [
      'labels=x',
      'filter: labels does not support "=" (position 1); use labels:<key> or labels.<key>=<value>',
    ],
  ])('refuses %j naming the field or value', (filter, message) => {
    const error = thrown(() => parseListFilter(filter, JOB_FILTER_FIELDS));
    expect(error).toMatchObject({ reason: 'INVALID_ARGUMENT', message });
    expect(error.violations).toEqual([{ field: 'filter', description: message.slice(8) }]);
  });
});

describe('compiled operation filters', () => {
  const operations: FilterRecord[] = [
    { name: 'create_m_v1-1', done: true, 'metadata.operationType': 'CREATE_VERSION' },
    { name: 'delete_m-2', done: false, 'metadata.operationType': 'DELETE_MODEL' },
  ];
  const names = (filter: string): unknown[] =>
    operations
      .filter(parseListFilter(filter, OPERATION_FILTER_FIELDS).matches)
      .map((op) => op.name);

  it('tests booleans and dotted field names', () => {
    expect(names('done=true')).toEqual(['create_m_v1-1']);
    expect(names('done!=true')).toEqual(['delete_m-2']);
    expect(names('metadata.operationType=DELETE_MODEL OR name:create*')).toEqual([
      'create_m_v1-1',
      'delete_m-2',
    ]);
    expect(thrown(() => parseListFilter('done=yes', OPERATION_FILTER_FIELDS)).message).toBe(
      'filter: done takes true or false, not "yes" at position 6',
    );
  });
});
