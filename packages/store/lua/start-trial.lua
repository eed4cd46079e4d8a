-- A worker starts a trial, in one step: it takes one of the project's
-- running-trial slots (STRATUS_MAX_RUNNING_TRIALS_PER_PROJECT), claims the
-- trial (QUEUED → RUNNING, or RUNNING again when BullMQ hands a stalled trial
-- to another worker, counting the attempt), and moves a QUEUED job to
-- PREPARING. Refused, with nothing written, once the job is being cancelled
-- or has ended (LIVE: the states neither CANCELLING nor terminal), when the
-- trial has a result, or when the project's slots are full.
-- Returns {'OK', previous trial state, attempts, hyperparameters JSON, job meta
-- as field/value pairs} (the worker runs the trial with what it answers) |
-- {'PROJECT_FULL', live holders} | {reason, state?}.
local metaKey = KEYS[1]
local trialKey = KEYS[2]
local slotsKey = KEYS[3]
local queuedKey = KEYS[4]
local preparingKey = KEYS[5]
local workerId = ARGV[1]
local now = ARGV[2]
local holder = ARGV[3]
local slotLimit = ARGV[4]
local leaseMs = ARGV[5]
local jobId = ARGV[6]
local project = ARGV[7]
local channel = ARGV[8]
--- @const LIVE
--- @include take_slot
--- @include move_job_state

local jobState = redis.call('HGET', metaKey, 'state')
if not jobState then return {'JOB_NOT_FOUND'} end
if not LIVE[jobState] then return {'JOB_NOT_LIVE', jobState} end
local state = redis.call('HGET', trialKey, 'state')
if not state then return {'TRIAL_NOT_FOUND'} end
if state ~= 'QUEUED' and state ~= 'RUNNING' then return {'TRIAL_FINISHED', state} end
local full = take_slot(slotsKey, holder, slotLimit, leaseMs)
if full then return {'PROJECT_FULL', tostring(full)} end
local attempts = redis.call('HINCRBY', trialKey, 'attempts', 1)
redis.call('HSET', trialKey, 'state', 'RUNNING', 'workerId', workerId)
if redis.call('HEXISTS', trialKey, 'startTime') == 0 then
  redis.call('HSET', trialKey, 'startTime', now)
end
redis.call('HINCRBY', metaKey, 'rev', 1)
if jobState == 'QUEUED' then
  move_job_state(metaKey, queuedKey, preparingKey, jobId, 'QUEUED', 'PREPARING', now, channel, project)
end
return {'OK', state, tostring(attempts), redis.call('HGET', trialKey, 'hyperparameters') or '{}',
  redis.call('HGETALL', metaKey)}
