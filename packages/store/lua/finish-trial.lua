-- Record a trial's result exactly once: only from one of the expected
-- states, and never over a recorded result. Updates the job's completed
-- count and, for tuning jobs, its best trial by the job's goal.
-- objective, trainingStep, errorMessage and modelDir are '' when absent.
-- Returns 1 recorded, 0 refused (already final or not in fromCsv), -1 no such trial.
local metaKey = KEYS[1]
local trialKey = KEYS[2]
local fromCsv = ARGV[1]
local to = ARGV[2]
local now = ARGV[3]
local trialId = ARGV[4]
local objective = ARGV[5]
local trainingStep = ARGV[6]
local errorMessage = ARGV[7]
local modelDir = ARGV[8]
--- @include in_csv
--- @include is_better

local state = redis.call('HGET', trialKey, 'state')
if not state then return -1 end
if not in_csv(fromCsv, state) then return 0 end
redis.call('HSET', trialKey, 'state', to, 'endTime', now)
if objective ~= '' then redis.call('HSET', trialKey, 'objective', objective, 'finalStep', trainingStep) end
if errorMessage ~= '' then redis.call('HSET', trialKey, 'errorMessage', errorMessage) end
if modelDir ~= '' then redis.call('HSET', trialKey, 'modelDir', modelDir) end
if to == 'SUCCEEDED' or to == 'STOPPED' then
  redis.call('HINCRBY', metaKey, 'completedTrialCount', 1)
  local goal = redis.call('HGET', metaKey, 'goal')
  if redis.call('HGET', metaKey, 'tuning') ~= '1' then
    if modelDir ~= '' then redis.call('HSET', metaKey, 'modelDir', modelDir) end
  elseif goal and objective ~= '' then
    if is_better(goal, objective, redis.call('HGET', metaKey, 'bestObjective')) then
      redis.call('HSET', metaKey, 'bestTrialId', trialId, 'bestObjective', objective)
      if modelDir ~= '' then redis.call('HSET', metaKey, 'modelDir', modelDir)
      else redis.call('HDEL', metaKey, 'modelDir') end
    end
  end
end
redis.call('HINCRBY', metaKey, 'rev', 1)
return 1
