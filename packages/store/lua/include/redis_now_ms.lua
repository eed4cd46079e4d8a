-- Redis's clock in ms (TIME), so workers on machines with skewed clocks agree.
local function redis_now_ms()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end
