-- Undo claims a refused request made: drop each bucket the project still
-- owns with no grants.
-- KEYS past the named ones: grants(bucket_1) …; ARGV past the named ones: bucket_1 ….
-- Returns how many were dropped.
local ownersKey = KEYS[1]
local ownedKey = KEYS[2]
local project = ARGV[1]
--- @const FIXED_KEYS
--- @const FIXED_ARGS

local dropped = 0
for i = 1, #ARGV - FIXED_ARGS do
  local bucket = ARGV[FIXED_ARGS + i]
  if redis.call('HGET', ownersKey, bucket) == project and redis.call('EXISTS', KEYS[FIXED_KEYS + i]) == 0 then
    redis.call('HDEL', ownersKey, bucket)
    redis.call('SREM', ownedKey, bucket)
    dropped = dropped + 1
  end
end
return dropped
