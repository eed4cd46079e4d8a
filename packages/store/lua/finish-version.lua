-- CREATING → READY | FAILED, once: whichever predictor loads the version
-- first reports, later reports are refused, and so is a report on a deploy
-- that is no longer the version's (operationId: deleted and created anew).
-- Completes the create operation. errorMessage and errorJson are '' for READY.
-- Returns {'OK'} | {'CONFLICT', state} | {'NOT_FOUND'}.
local versionKey = KEYS[1]
local operationKey = KEYS[2]
local pendingKey = KEYS[3]
local to = ARGV[1]
local now = ARGV[2]
local pendingMember = ARGV[3]
local operationId = ARGV[4]
local errorMessage = ARGV[5]
local errorJson = ARGV[6]
local channel = ARGV[7]
local project = ARGV[8]
local modelId = ARGV[9]
local versionId = ARGV[10]
--- @include publish_deploy

local state = redis.call('HGET', versionKey, 'state')
if not state then return {'NOT_FOUND'} end
if state ~= 'CREATING' then return {'CONFLICT', state} end
if redis.call('HGET', versionKey, 'operation') ~= operationId then return {'CONFLICT', 'REPLACED'} end
redis.call('HSET', versionKey, 'state', to)
if errorMessage ~= '' then redis.call('HSET', versionKey, 'errorMessage', errorMessage) end
redis.call('HINCRBY', versionKey, 'rev', 1)
redis.call('SREM', pendingKey, pendingMember)
if redis.call('EXISTS', operationKey) == 1 then
  redis.call('HSET', operationKey, 'done', '1', 'endTime', now)
  if errorJson ~= '' then redis.call('HSET', operationKey, 'error', errorJson) end
end
publish_deploy(channel, string.lower(to), project, modelId, versionId)
return {'OK'}
