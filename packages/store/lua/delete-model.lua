-- Delete a model that has no versions. ARGV past the named ones: the
-- (finished) operation's field/value pairs; it joins the project's operation
-- index as operationEntry.
-- Returns -1 no such model, n > 0 the number of versions it still has, 0 deleted.
local modelKey = KEYS[1]
local modelsKey = KEYS[2]
local versionsKey = KEYS[3]
local operationKey = KEYS[4]
local operationsKey = KEYS[5]
local modelId = ARGV[1]
local channel = ARGV[2]
local project = ARGV[3]
local operationEntry = ARGV[4]
--- @const FIXED_ARGS
--- @include publish_deploy

if redis.call('EXISTS', modelKey) == 0 then return -1 end
local versions = redis.call('ZCARD', versionsKey)
if versions > 0 then return versions end
redis.call('DEL', modelKey)
redis.call('ZREM', modelsKey, modelId)
redis.call('HSET', operationKey, unpack(ARGV, FIXED_ARGS + 1))
redis.call('ZADD', operationsKey, 0, operationEntry)
publish_deploy(channel, 'delete-model', project, modelId, nil)
return 0
