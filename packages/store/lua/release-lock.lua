-- Delete a lock only if we still hold it. Returns 1 or 0.
local lockKey = KEYS[1]
local token = ARGV[1]

if redis.call('GET', lockKey) == token then return redis.call('DEL', lockKey) end
return 0
