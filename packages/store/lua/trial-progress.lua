-- One intermediate value of the objective metric: appended to the trial's
-- series (Cloud ML's allMetrics) and folded into its summary.
-- Returns 1 recorded, 0 trial not running, -1 no such trial.
local metaKey = KEYS[1]
local trialKey = KEYS[2]
local seriesKey = KEYS[3]
local step = ARGV[1]
local value = ARGV[2]
local maxSeries = ARGV[3]
--- @include is_better

local state = redis.call('HGET', trialKey, 'state')
if not state then return -1 end
if state ~= 'RUNNING' then return 0 end
redis.call('RPUSH', seriesKey, step .. ' ' .. value)
redis.call('LTRIM', seriesKey, -tonumber(maxSeries), -1)
redis.call('HSET', trialKey, 'lastStep', step, 'lastValue', value)
redis.call('HINCRBY', trialKey, 'stepCount', 1)
redis.call('HINCRBYFLOAT', trialKey, 'valueSum', value)
local goal = redis.call('HGET', metaKey, 'goal')
if goal and is_better(goal, value, redis.call('HGET', trialKey, 'bestValue')) then
  redis.call('HSET', trialKey, 'bestValue', value)
end
return 1
