--- @include redis_now_ms
-- Take one of a project's running-trial slots for `holder` unless the live
-- holders already fill `limit`; a holder that has one keeps it, its lease
-- renewed. Expired holders are dropped first. Scores are lease expiries in ms
-- of Redis's clock. Returns false, or the live holders when the slots are full.
local function take_slot(slotsKey, holder, limit, leaseMs)
  local now = redis_now_ms()
  redis.call('ZREMRANGEBYSCORE', slotsKey, '-inf', now)
  if not redis.call('ZSCORE', slotsKey, holder) then
    local held = redis.call('ZCARD', slotsKey)
    if held >= tonumber(limit) then return held end
  end
  local lease = tonumber(leaseMs)
  redis.call('ZADD', slotsKey, now + lease, holder)
  redis.call('PEXPIRE', slotsKey, lease * 2)
  return false
end
