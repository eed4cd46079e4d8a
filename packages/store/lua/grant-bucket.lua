-- Grant (role given) or revoke (role '') a project's access.
-- Returns 'OK' | 'NOT_OWNER' | 'SELF' (the grantee is the owner).
local ownersKey = KEYS[1]
local grantsKey = KEYS[2]
local grantedKey = KEYS[3]
local project = ARGV[1]
local bucket = ARGV[2]
local grantee = ARGV[3]
local role = ARGV[4]

if redis.call('HGET', ownersKey, bucket) ~= project then return 'NOT_OWNER' end
if grantee == project then return 'SELF' end
if role == '' then
  redis.call('HDEL', grantsKey, grantee)
  redis.call('SREM', grantedKey, bucket)
else
  redis.call('HSET', grantsKey, grantee, role)
  redis.call('SADD', grantedKey, bucket)
end
return 'OK'
