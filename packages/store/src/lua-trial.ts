import { JOB_STATES, TERMINAL_JOB_STATES } from '@stratus/spec';
import { LUA_IN_CSV, LUA_IS_BETTER, luaSet } from './lua.js';

const LIVE_JOB_STATES = JOB_STATES.filter(
  (state) => state !== 'CANCELLING' && !TERMINAL_JOB_STATES.includes(state),
);

/**
 * KEYS: meta, trial, trials index. ARGV: trialId, field/value pairs…
 * Returns 1 created, 0 exists, -1 no such job.
 */
export const CREATE_TRIAL_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[2], unpack(ARGV, 2))
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[1])
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1
`;

/**
 * A worker takes a trial: QUEUED → RUNNING, or RUNNING again when BullMQ
 * hands a stalled trial to another worker. Refused once the job is being
 * cancelled or has ended, so no new work starts for it.
 * KEYS: meta, trial. ARGV: workerId, now.
 * Returns {'OK', previousState, attempts} | {reason, state?}.
 */
export const CLAIM_TRIAL_LUA = `
local LIVE = ${luaSet(LIVE_JOB_STATES)}
local jobState = redis.call('HGET', KEYS[1], 'state')
if not jobState then return {'JOB_NOT_FOUND'} end
if not LIVE[jobState] then return {'JOB_NOT_LIVE', jobState} end
local state = redis.call('HGET', KEYS[2], 'state')
if not state then return {'TRIAL_NOT_FOUND'} end
if state ~= 'QUEUED' and state ~= 'RUNNING' then return {'TRIAL_FINISHED', state} end
local attempts = redis.call('HINCRBY', KEYS[2], 'attempts', 1)
redis.call('HSET', KEYS[2], 'state', 'RUNNING', 'workerId', ARGV[1])
if redis.call('HEXISTS', KEYS[2], 'startTime') == 0 then
  redis.call('HSET', KEYS[2], 'startTime', ARGV[2])
end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return {'OK', state, tostring(attempts)}
`;

/**
 * One intermediate value of the objective metric: appended to the trial's
 * series (Cloud ML's allMetrics) and folded into its summary.
 * KEYS: meta, trial, series. ARGV: step, value, maxSeries.
 * Returns 1 recorded, 0 trial not running, -1 no such trial.
 */
export const TRIAL_PROGRESS_LUA = `
${LUA_IS_BETTER}
local state = redis.call('HGET', KEYS[2], 'state')
if not state then return -1 end
if state ~= 'RUNNING' then return 0 end
redis.call('RPUSH', KEYS[3], ARGV[1] .. ' ' .. ARGV[2])
redis.call('LTRIM', KEYS[3], -tonumber(ARGV[3]), -1)
redis.call('HSET', KEYS[2], 'lastStep', ARGV[1], 'lastValue', ARGV[2])
redis.call('HINCRBY', KEYS[2], 'stepCount', 1)
redis.call('HINCRBYFLOAT', KEYS[2], 'valueSum', ARGV[2])
local goal = redis.call('HGET', KEYS[1], 'goal')
if goal and is_better(goal, ARGV[2], redis.call('HGET', KEYS[2], 'bestValue')) then
  redis.call('HSET', KEYS[2], 'bestValue', ARGV[2])
end
return 1
`;

/**
 * Record a trial's result exactly once: only from one of the expected
 * states, and never over a recorded result. Updates the job's completed
 * count and, for tuning jobs, its best trial by the job's goal.
 * KEYS: meta, trial. ARGV: fromCsv, to, now, trialId, objective, trainingStep,
 * errorMessage, modelDir ('' when absent).
 * Returns 1 recorded, 0 refused (already final or not in fromCsv), -1 no such trial.
 */
export const FINISH_TRIAL_LUA = `
${LUA_IN_CSV}
${LUA_IS_BETTER}
local state = redis.call('HGET', KEYS[2], 'state')
if not state then return -1 end
if not in_csv(ARGV[1], state) then return 0 end
local to = ARGV[2]
redis.call('HSET', KEYS[2], 'state', to, 'endTime', ARGV[3])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[2], 'objective', ARGV[5], 'finalStep', ARGV[6]) end
if ARGV[7] ~= '' then redis.call('HSET', KEYS[2], 'errorMessage', ARGV[7]) end
if ARGV[8] ~= '' then redis.call('HSET', KEYS[2], 'modelDir', ARGV[8]) end
if to == 'SUCCEEDED' or to == 'STOPPED' then
  redis.call('HINCRBY', KEYS[1], 'completedTrialCount', 1)
  local goal = redis.call('HGET', KEYS[1], 'goal')
  if redis.call('HGET', KEYS[1], 'tuning') ~= '1' then
    if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'modelDir', ARGV[8]) end
  elseif goal and ARGV[5] ~= '' then
    if is_better(goal, ARGV[5], redis.call('HGET', KEYS[1], 'bestObjective')) then
      redis.call('HSET', KEYS[1], 'bestTrialId', ARGV[4], 'bestObjective', ARGV[5])
      if ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'modelDir', ARGV[8])
      else redis.call('HDEL', KEYS[1], 'modelDir') end
    end
  end
end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
return 1
`;

/** Delete a lock only if we still hold it. KEYS: lock. ARGV: token. Returns 1 or 0. */
export const RELEASE_LOCK_LUA = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
