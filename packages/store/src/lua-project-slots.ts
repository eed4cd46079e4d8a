/**
 * Running-trial slots of one project: a ZSET of holders (`<job>/<trial>/<worker>`)
 * scored by the expiry of their lease, in ms of the Redis clock (TIME), so
 * workers on machines with skewed clocks agree. A worker renews its holders'
 * leases with its heartbeat; a worker that dies stops renewing and its slots
 * lapse after one lease, so a crash never leaks a slot for good.
 */

/** Redis's clock in ms, and expired holders dropped. */
const NOW_AND_SWEEP = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
`;

/**
 * Take a slot unless the project's live holders already fill the limit; a
 * holder that has one keeps it (its lease renewed).
 * KEYS: slots. ARGV: holder, limit, leaseMs.
 * Returns {'OK'} or {'FULL', live holders}.
 */
export const ACQUIRE_PROJECT_SLOT_LUA = `
${NOW_AND_SWEEP}
local lease = tonumber(ARGV[3])
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  local held = redis.call('ZCARD', KEYS[1])
  if held >= tonumber(ARGV[2]) then return {'FULL', held} end
end
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 2)
return {'OK'}
`;

/**
 * Extend the leases of holders that still have a slot (a lapsed one is not revived).
 * KEYS: slots. ARGV: leaseMs, holders…  Returns how many were renewed.
 */
export const RENEW_PROJECT_SLOTS_LUA = `
${NOW_AND_SWEEP}
local lease = tonumber(ARGV[1])
local renewed = 0
for i = 2, #ARGV do
  renewed = renewed + redis.call('ZADD', KEYS[1], 'XX', 'CH', now + lease, ARGV[i])
end
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], lease * 2) end
return renewed
`;
