-- A worker takes a trial: QUEUED → RUNNING, or RUNNING again when BullMQ
-- hands a stalled trial to another worker. Refused once the job is being
-- cancelled or has ended (LIVE: the states neither CANCELLING nor terminal),
-- so no new work starts for it.
-- Returns {'OK', previousState, attempts, hyperparameters JSON} | {reason, state?}: the
-- claimer gets what it runs the trial with in the same round trip.
local metaKey = KEYS[1]
local trialKey = KEYS[2]
local workerId = ARGV[1]
local now = ARGV[2]
--- @const LIVE

local jobState = redis.call('HGET', metaKey, 'state')
if not jobState then return {'JOB_NOT_FOUND'} end
if not LIVE[jobState] then return {'JOB_NOT_LIVE', jobState} end
local state = redis.call('HGET', trialKey, 'state')
if not state then return {'TRIAL_NOT_FOUND'} end
if state ~= 'QUEUED' and state ~= 'RUNNING' then return {'TRIAL_FINISHED', state} end
local attempts = redis.call('HINCRBY', trialKey, 'attempts', 1)
redis.call('HSET', trialKey, 'state', 'RUNNING', 'workerId', workerId)
if redis.call('HEXISTS', trialKey, 'startTime') == 0 then
  redis.call('HSET', trialKey, 'startTime', now)
end
redis.call('HINCRBY', metaKey, 'rev', 1)
return {'OK', state, tostring(attempts), redis.call('HGET', trialKey, 'hyperparameters') or '{}'}
