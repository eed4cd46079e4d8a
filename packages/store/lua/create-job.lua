-- Create a job unless it exists, with its first trials ("1".."N", QUEUED), in
-- one step: a job is never seen without the trials it was created with. Its
-- list score is the creation time in µs, bumped past the project's last score
-- so scores are unique and a page cursor never lands between two jobs that
-- share a millisecond. `rev` counts the trials as create-trial would.
-- The project's live jobs (the QUEUED, PREPARING, RUNNING and CANCELLING
-- indexes, which transition-job keeps) are counted in the same step, so
-- concurrent submits cannot pass the quota together and a finished job frees
-- its place by leaving those indexes.
-- KEYS past the named ones: label indexes (labelCount), then trial hashes (trialCount).
-- ARGV past the named ones: each trial's hyperparameters JSON, then meta field/value pairs.
-- Returns the score, false when the job exists, or {'QUOTA', live jobs}.
local metaKey = KEYS[1]
local projectJobsKey = KEYS[2]
local jobScoreKey = KEYS[3]
local queuedKey = KEYS[4]
local trialsKey = KEYS[5]
local trialSeqKey = KEYS[6]
local preparingKey = KEYS[7]
local runningKey = KEYS[8]
local cancellingKey = KEYS[9]
local jobId = ARGV[1]
local createTimeMs = ARGV[2]
local labelCount = ARGV[3]
local trialCount = ARGV[4]
local createTime = ARGV[5]
local quota = ARGV[6]
--- @const FIXED_KEYS
--- @const FIXED_ARGS

if redis.call('EXISTS', metaKey) == 1 then return false end
if tonumber(quota) > 0 then
  local live = redis.call('ZCARD', queuedKey) + redis.call('ZCARD', preparingKey)
    + redis.call('ZCARD', runningKey) + redis.call('ZCARD', cancellingKey)
  if live >= tonumber(quota) then return {'QUOTA', live} end
end
local labels = tonumber(labelCount)
local trials = tonumber(trialCount)
local last = tonumber(redis.call('GET', jobScoreKey) or '0')
local score = string.format('%.0f', math.max(last + 1, tonumber(createTimeMs) * 1000))
redis.call('SET', jobScoreKey, score)
redis.call('HSET', metaKey, 'score', score, 'rev', tostring(1 + trials), unpack(ARGV, FIXED_ARGS + 1 + trials))
redis.call('ZADD', projectJobsKey, score, jobId)
redis.call('ZADD', queuedKey, score, jobId)
for i = 1, labels do redis.call('ZADD', KEYS[FIXED_KEYS + i], score, jobId) end
for i = 1, trials do
  local id = tostring(i)
  redis.call('HSET', KEYS[FIXED_KEYS + labels + i], 'trialId', id, 'hyperparameters', ARGV[FIXED_ARGS + i],
    'state', 'QUEUED', 'attempts', '0', 'createTime', createTime)
  redis.call('ZADD', trialsKey, i, id)
end
if trials > 0 then redis.call('SET', trialSeqKey, trials) end
return score
