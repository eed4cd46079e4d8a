-- A batch prediction shard's counts on its trial: rows read so far, and once
-- its output is written its results and errors (before the trial finishes).
-- Only a RUNNING trial is written. Returns 1 recorded, 0 trial not running,
-- -1 no such trial.
local trialKey = KEYS[1]
local rowsDone = ARGV[1]
local predictionCount = ARGV[2]
local errorCount = ARGV[3]

local state = redis.call('HGET', trialKey, 'state')
if not state then return -1 end
if state ~= 'RUNNING' then return 0 end
redis.call('HSET', trialKey, 'rowsDone', rowsDone)
if predictionCount ~= '' then
  redis.call('HSET', trialKey, 'predictionCount', predictionCount, 'errorCount', errorCount)
end
return 1
