-- Take a running-trial slot unless the project's live holders already fill
-- the limit; a holder that has one keeps it (its lease renewed). Expired
-- holders are dropped first. Scores are lease expiries in ms of Redis's clock.
-- Returns {'OK'} or {'FULL', live holders}.
local slotsKey = KEYS[1]
local holder = ARGV[1]
local limit = ARGV[2]
local leaseMs = ARGV[3]
--- @include redis_now_ms

local now = redis_now_ms()
redis.call('ZREMRANGEBYSCORE', slotsKey, '-inf', now)
local lease = tonumber(leaseMs)
if not redis.call('ZSCORE', slotsKey, holder) then
  local held = redis.call('ZCARD', slotsKey)
  if held >= tonumber(limit) then return {'FULL', held} end
end
redis.call('ZADD', slotsKey, now + lease, holder)
redis.call('PEXPIRE', slotsKey, lease * 2)
return {'OK'}
