-- Add a CREATING version and its operation; the model's first version becomes its default.
-- The operation joins the project's operation index (operationsKey) as operationEntry.
-- ARGV past the named ones: the version's field/value pairs (versionFieldCount
-- of them), then the operation's.
-- Returns {'OK', isDefault} | {'MODEL_NOT_FOUND'} | {'VERSION_EXISTS'} | {'OPERATION_EXISTS'}.
local modelKey = KEYS[1]
local versionsKey = KEYS[2]
local versionKey = KEYS[3]
local operationKey = KEYS[4]
local pendingKey = KEYS[5]
local operationsKey = KEYS[6]
local versionId = ARGV[1]
local modelId = ARGV[2]
local project = ARGV[3]
local channel = ARGV[4]
local versionFieldCount = ARGV[5]
local operationEntry = ARGV[6]
--- @const FIXED_ARGS
--- @include publish_deploy
--- @include set_model_default

if redis.call('EXISTS', modelKey) == 0 then return {'MODEL_NOT_FOUND'} end
if redis.call('EXISTS', versionKey) == 1 then return {'VERSION_EXISTS'} end
if redis.call('EXISTS', operationKey) == 1 then return {'OPERATION_EXISTS'} end
local n = tonumber(versionFieldCount)
redis.call('HSET', versionKey, 'rev', '1', unpack(ARGV, FIXED_ARGS + 1, FIXED_ARGS + n))
redis.call('HSET', operationKey, unpack(ARGV, FIXED_ARGS + 1 + n))
redis.call('ZADD', operationsKey, 0, operationEntry)
redis.call('ZADD', versionsKey, 0, versionId)
redis.call('SADD', pendingKey, modelId .. '/' .. versionId)
local isDefault = '0'
if not redis.call('HGET', modelKey, 'defaultVersion') then
  set_model_default(modelKey, versionId)
  isDefault = '1'
end
publish_deploy(channel, 'create', project, modelId, versionId)
return {'OK', isDefault}
