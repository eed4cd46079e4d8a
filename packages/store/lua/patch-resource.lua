-- Replace a job's, model's or version's stored input (its `input` JSON)
-- while its `rev` is still the one the caller read, and bump `rev` (the
-- etag). In the same step: move the resource between index ZSETs (a job's
-- label indexes, at the list score its hash keeps) and write the finished
-- operation that reports the update, if any.
-- KEYS past the named ones: indexes to leave (removeCount), indexes to join
-- (addCount), then, when operationCount is 1, the operation hash and the
-- project's operation index.
-- ARGV past the named ones: the operation's index entry, then its field/value
-- pairs.
-- Returns {'OK', rev} | {'NOT_FOUND'} | {'STALE', rev}.
local resourceKey = KEYS[1]
local expectedRev = ARGV[1]
local input = ARGV[2]
local member = ARGV[3]
local removeCount = ARGV[4]
local addCount = ARGV[5]
local operationCount = ARGV[6]
--- @const FIXED_KEYS
--- @const FIXED_ARGS

local rev = redis.call('HGET', resourceKey, 'rev')
if not rev then return {'NOT_FOUND'} end
if rev ~= expectedRev then return {'STALE', rev} end
local removes = tonumber(removeCount)
local adds = tonumber(addCount)
local score = redis.call('HGET', resourceKey, 'score') or '0'
for i = 1, removes do redis.call('ZREM', KEYS[FIXED_KEYS + i], member) end
for i = 1, adds do redis.call('ZADD', KEYS[FIXED_KEYS + removes + i], score, member) end
redis.call('HSET', resourceKey, 'input', input)
local newRev = redis.call('HINCRBY', resourceKey, 'rev', 1)
if tonumber(operationCount) == 1 then
  redis.call('HSET', KEYS[FIXED_KEYS + removes + adds + 1], unpack(ARGV, FIXED_ARGS + 2))
  redis.call('ZADD', KEYS[FIXED_KEYS + removes + adds + 2], 0, ARGV[FIXED_ARGS + 1])
end
return {'OK', tostring(newRev)}
