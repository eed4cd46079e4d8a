-- Check every use first, then claim each unclaimed bucket for the project:
-- a refused request claims nothing. A use passes when the bucket is
-- unclaimed, owned by the project, or granted to it with the role its access
-- needs (WRITER implies READER).
-- KEYS past the named ones: grants(bucket_1) … grants(bucket_n).
-- ARGV past the named ones: bucket_1 … bucket_n, access_1 … access_n ('read' | 'write').
-- Returns {0, {claimed buckets…}} | {i, role or ''} for the first refused use i.
local ownersKey = KEYS[1]
local ownedKey = KEYS[2]
local project = ARGV[1]
local bucketCount = ARGV[2]
--- @const FIXED_KEYS
--- @const FIXED_ARGS

local count = tonumber(bucketCount)
for i = 1, count do
  local bucket = ARGV[FIXED_ARGS + i]
  local access = ARGV[FIXED_ARGS + count + i]
  local owner = redis.call('HGET', ownersKey, bucket)
  if owner and owner ~= project then
    local role = redis.call('HGET', KEYS[FIXED_KEYS + i], project)
    if not (role == 'WRITER' or (role == 'READER' and access == 'read')) then
      return {i, role or ''}
    end
  end
end
local claimed = {}
for i = 1, count do
  local bucket = ARGV[FIXED_ARGS + i]
  if redis.call('HSETNX', ownersKey, bucket, project) == 1 then
    redis.call('SADD', ownedKey, bucket)
    table.insert(claimed, bucket)
  end
end
return {0, claimed}
