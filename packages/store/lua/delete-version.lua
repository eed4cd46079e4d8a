-- Delete a version, refusing the default while the model has others. A create
-- operation still running ends with the error given (createErrorJson).
-- The delete operation joins the project's operation index as operationEntry.
-- ARGV past the named ones: the delete operation's field/value pairs.
-- Returns {'OK'} | {'VERSION_NOT_FOUND'} | {'DEFAULT'}.
local modelKey = KEYS[1]
local versionsKey = KEYS[2]
local versionKey = KEYS[3]
local operationKey = KEYS[4]
local pendingKey = KEYS[5]
local createOperationKey = KEYS[6]
local operationsKey = KEYS[7]
local versionId = ARGV[1]
local pendingMember = ARGV[2]
local now = ARGV[3]
local channel = ARGV[4]
local project = ARGV[5]
local modelId = ARGV[6]
local createErrorJson = ARGV[7]
local createOperationId = ARGV[8]
local operationEntry = ARGV[9]
--- @const FIXED_ARGS
--- @include publish_deploy
--- @include set_model_default

if redis.call('EXISTS', versionKey) == 0 then return {'VERSION_NOT_FOUND'} end
local default = redis.call('HGET', modelKey, 'defaultVersion')
if default == versionId and redis.call('ZCARD', versionsKey) > 1 then return {'DEFAULT'} end
if redis.call('HGET', versionKey, 'operation') == createOperationId and redis.call('HGET', createOperationKey, 'done') == '0' then
  redis.call('HSET', createOperationKey, 'done', '1', 'endTime', now, 'error', createErrorJson)
end
redis.call('DEL', versionKey)
redis.call('ZREM', versionsKey, versionId)
redis.call('SREM', pendingKey, pendingMember)
if default == versionId then set_model_default(modelKey, false) end
redis.call('HSET', operationKey, unpack(ARGV, FIXED_ARGS + 1))
redis.call('ZADD', operationsKey, 0, operationEntry)
publish_deploy(channel, 'delete', project, modelId, versionId)
return {'OK'}
