-- Stamp lastUseTime on a version that still exists. Returns 1 or 0.
local versionKey = KEYS[1]
local time = ARGV[1]

if redis.call('EXISTS', versionKey) == 0 then return 0 end
redis.call('HSET', versionKey, 'lastUseTime', time)
return 1
