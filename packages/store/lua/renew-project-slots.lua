-- Extend the leases of holders that still have a slot (a lapsed one is not
-- revived). ARGV past the named ones: the holders. Returns how many were renewed.
local slotsKey = KEYS[1]
local leaseMs = ARGV[1]
--- @const FIXED_ARGS
--- @include redis_now_ms

local now = redis_now_ms()
redis.call('ZREMRANGEBYSCORE', slotsKey, '-inf', now)
local lease = tonumber(leaseMs)
local renewed = 0
for i = FIXED_ARGS + 1, #ARGV do
  renewed = renewed + redis.call('ZADD', slotsKey, 'XX', 'CH', now + lease, ARGV[i])
end
if redis.call('EXISTS', slotsKey) == 1 then redis.call('PEXPIRE', slotsKey, lease * 2) end
return renewed
