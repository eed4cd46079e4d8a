-- Release a bucket, or hand it to another project (reassign). Release drops
-- every grant; reassign keeps them, except the new owner's own. A grantee's
-- "granted" set is named grantedPrefix .. grantee .. ':granted' (the script
-- cannot know the grantees in advance). newOwnedKey is ownedKey on release.
-- Returns 'OK' | 'NOT_OWNER'.
local ownersKey = KEYS[1]
local ownedKey = KEYS[2]
local grantsKey = KEYS[3]
local newOwnedKey = KEYS[4]
local project = ARGV[1]
local bucket = ARGV[2]
local newOwner = ARGV[3]
local grantedPrefix = ARGV[4]

if redis.call('HGET', ownersKey, bucket) ~= project then return 'NOT_OWNER' end
redis.call('SREM', ownedKey, bucket)
if newOwner == '' then
  redis.call('HDEL', ownersKey, bucket)
  for _, grantee in ipairs(redis.call('HKEYS', grantsKey)) do
    redis.call('SREM', grantedPrefix .. grantee .. ':granted', bucket)
  end
  redis.call('DEL', grantsKey)
  return 'OK'
end
redis.call('HSET', ownersKey, bucket, newOwner)
redis.call('SADD', newOwnedKey, bucket)
if redis.call('HDEL', grantsKey, newOwner) == 1 then
  redis.call('SREM', grantedPrefix .. newOwner .. ':granted', bucket)
end
return 'OK'
