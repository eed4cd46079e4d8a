-- Store a new model. ARGV past the named ones: its field/value pairs.
-- Returns 1 created, 0 when the model exists.
local modelKey = KEYS[1]
local modelsKey = KEYS[2]
local modelId = ARGV[1]
--- @const FIXED_ARGS

if redis.call('EXISTS', modelKey) == 1 then return 0 end
redis.call('HSET', modelKey, 'rev', '1', unpack(ARGV, FIXED_ARGS + 1))
redis.call('ZADD', modelsKey, 0, modelId)
return 1
