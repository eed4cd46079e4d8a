-- Add a QUEUED trial to an existing job, once.
-- ARGV past the named ones: the trial's field/value pairs.
-- Returns 1 created, 0 exists, -1 no such job.
local metaKey = KEYS[1]
local trialKey = KEYS[2]
local trialsKey = KEYS[3]
local trialId = ARGV[1]
--- @const FIXED_ARGS

if redis.call('EXISTS', metaKey) == 0 then return -1 end
if redis.call('EXISTS', trialKey) == 1 then return 0 end
redis.call('HSET', trialKey, unpack(ARGV, FIXED_ARGS + 1))
redis.call('ZADD', trialsKey, trialId, trialId)
redis.call('HINCRBY', metaKey, 'rev', 1)
return 1
