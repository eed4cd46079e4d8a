import { JOB_STATES, TERMINAL_JOB_STATES } from '@stratus/spec';
import { LUA_IN_CSV, luaSet } from './lua.js';

/** Index of the first state-index key in the transition script's KEYS. */
export const TRANSITION_STATE_KEYS_AT = 4;

const stateIndexTable = JOB_STATES.map(
  (state, i) => `${state} = KEYS[${TRANSITION_STATE_KEYS_AT + i}]`,
).join(', ');

/** Where the create script's variable KEYS (label indexes, then trial hashes) start. */
export const CREATE_JOB_FIXED_KEYS = 9;
/** Where the create script's per-trial ARGV (hyperparameters JSON) start. */
export const CREATE_JOB_FIXED_ARGS = 6;

/**
 * Create a job unless it exists, with its first trials ("1".."N", QUEUED), in
 * one step: a job is never seen without the trials it was created with. Its
 * list score is the creation time in µs, bumped past the project's last score
 * so scores are unique and a page cursor never lands between two jobs that
 * share a millisecond. `rev` counts the trials as createTrial would.
 * The project's live jobs (the QUEUED, PREPARING, RUNNING and CANCELLING
 * indexes, which the transition script keeps) are counted in the same step, so
 * concurrent submits cannot pass the quota together and a finished job frees
 * its place by leaving those indexes.
 * KEYS: meta, project index, score counter, QUEUED index, trials index,
 *   trial seq, PREPARING, RUNNING and CANCELLING indexes,
 *   label indexes… (ARGV[3] of them), trial hashes… (ARGV[4]).
 * ARGV: jobId, createTime (ms), label count, trial count, createTime (ISO),
 *   live-job quota (0: none), each trial's hyperparameters JSON…, meta field/value pairs…
 * Returns the score, false when the job exists, or {'QUOTA', live jobs} when
 * the project already has as many live jobs as the quota allows.
 */
export const CREATE_JOB_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return false end
local quota = tonumber(ARGV[6])
if quota > 0 then
  local live = redis.call('ZCARD', KEYS[4]) + redis.call('ZCARD', KEYS[7])
    + redis.call('ZCARD', KEYS[8]) + redis.call('ZCARD', KEYS[9])
  if live >= quota then return {'QUOTA', live} end
end
local labels = tonumber(ARGV[3])
local trials = tonumber(ARGV[4])
local last = tonumber(redis.call('GET', KEYS[3]) or '0')
local score = string.format('%.0f', math.max(last + 1, tonumber(ARGV[2]) * 1000))
redis.call('SET', KEYS[3], score)
redis.call('HSET', KEYS[1], 'score', score, 'rev', tostring(1 + trials), unpack(ARGV, ${CREATE_JOB_FIXED_ARGS + 1} + trials))
redis.call('ZADD', KEYS[2], score, ARGV[1])
redis.call('ZADD', KEYS[4], score, ARGV[1])
for i = 1, labels do redis.call('ZADD', KEYS[${CREATE_JOB_FIXED_KEYS} + i], score, ARGV[1]) end
for i = 1, trials do
  local id = tostring(i)
  redis.call('HSET', KEYS[${CREATE_JOB_FIXED_KEYS} + labels + i], 'trialId', id, 'hyperparameters', ARGV[${CREATE_JOB_FIXED_ARGS} + i],
    'state', 'QUEUED', 'attempts', '0', 'createTime', ARGV[5])
  redis.call('ZADD', KEYS[5], i, id)
end
if trials > 0 then redis.call('SET', KEYS[6], trials) end
return score
`;

/**
 * Compare-and-set of a job's state. Moves the job between state indexes,
 * stamps start/end times, and on a final state appends an end marker to the
 * log and metric streams (so a follower blocked in XREAD wakes and stops) and
 * publishes the change.
 * KEYS: meta, logs, metrics, one state index per JOB_STATES entry.
 * ARGV: to, now, fromCsv, jobId, maxLogs, maxMetrics, channel, project, field/value pairs…
 * Returns {'OK', from, rev} | {'CONFLICT', current} | {'NOT_FOUND'}.
 */
export const TRANSITION_JOB_LUA = `
${LUA_IN_CSV}
local INDEX = {${stateIndexTable}}
local TERMINAL = ${luaSet(TERMINAL_JOB_STATES)}
local current = redis.call('HGET', KEYS[1], 'state')
if not current then return {'NOT_FOUND'} end
local to = ARGV[1]
if TERMINAL[current] or not in_csv(ARGV[3], current) then return {'CONFLICT', current} end
local score = redis.call('HGET', KEYS[1], 'score')
redis.call('ZREM', INDEX[current], ARGV[4])
redis.call('ZADD', INDEX[to], score, ARGV[4])
redis.call('HSET', KEYS[1], 'state', to)
if #ARGV > 8 then redis.call('HSET', KEYS[1], unpack(ARGV, 9)) end
if (to == 'PREPARING' or to == 'RUNNING') and redis.call('HEXISTS', KEYS[1], 'startTime') == 0 then
  redis.call('HSET', KEYS[1], 'startTime', ARGV[2])
end
if TERMINAL[to] then
  redis.call('HSET', KEYS[1], 'endTime', ARGV[2])
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[5], '*', 'end', to, 'time', ARGV[2])
  redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[6], '*', 'end', to, 'time', ARGV[2])
end
local rev = redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('PUBLISH', ARGV[7], cjson.encode({project = ARGV[8], jobId = ARGV[4], from = current, to = to, time = ARGV[2]}))
return {'OK', current, tostring(rev)}
`;

/**
 * One page of job ids, newest first, from the smallest of the given indexes,
 * keeping ids present in all of them (AND of filters). Works from a score
 * cursor: O(log n + examined), and examines at most ARGV[3] entries per call.
 * KEYS: indexes (all share each job's score). ARGV: cursor ('+inf' or a score), pageSize, budget.
 * Returns {nextCursor or '', examined, ids…}.
 */
export const LIST_JOBS_LUA = `
local drive = 1
local smallest = redis.call('ZCARD', KEYS[1])
for i = 2, #KEYS do
  local n = redis.call('ZCARD', KEYS[i])
  if n < smallest then smallest = n; drive = i end
end
local want = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local max = ARGV[1] == '+inf' and '+inf' or ('(' .. ARGV[1])
local ids = {}
local examined = 0
local last = nil
local exhausted = false
while #ids < want and examined < budget do
  local chunk = math.min(budget - examined, (want - #ids) * (#KEYS > 1 and 4 or 1))
  local rows = redis.call('ZREVRANGEBYSCORE', KEYS[drive], max, '-inf', 'WITHSCORES', 'LIMIT', 0, chunk)
  local i = 1
  while i < #rows and #ids < want do
    local id = rows[i]
    last = rows[i + 1]
    examined = examined + 1
    local keep = true
    for k = 1, #KEYS do
      if k ~= drive and not redis.call('ZSCORE', KEYS[k], id) then keep = false; break end
    end
    if keep then ids[#ids + 1] = id end
    i = i + 2
  end
  if i >= #rows and #rows < chunk * 2 then exhausted = true; break end
  max = '(' .. last
end
local nextCursor = ''
if not exhausted and last then
  local more = redis.call('ZREVRANGEBYSCORE', KEYS[drive], '(' .. last, '-inf', 'LIMIT', 0, 1)
  if #more > 0 then nextCursor = last end
end
return {nextCursor, examined, unpack(ids)}
`;
