-- Claim one bucket. Returns 'CLAIMED' | 'OWNED' (already the project's) | 'TAKEN'.
local ownersKey = KEYS[1]
local ownedKey = KEYS[2]
local project = ARGV[1]
local bucket = ARGV[2]

if redis.call('HSETNX', ownersKey, bucket, project) == 1 then
  redis.call('SADD', ownedKey, bucket)
  return 'CLAIMED'
end
if redis.call('HGET', ownersKey, bucket) == project then return 'OWNED' end
return 'TAKEN'
