-- Make a READY version the model's default.
-- Returns {'OK'} | {'MODEL_NOT_FOUND'} | {'VERSION_NOT_FOUND'} | {'NOT_READY', state}.
local modelKey = KEYS[1]
local versionKey = KEYS[2]
local versionId = ARGV[1]
local channel = ARGV[2]
local project = ARGV[3]
local modelId = ARGV[4]
--- @include publish_deploy
--- @include set_model_default

if redis.call('EXISTS', modelKey) == 0 then return {'MODEL_NOT_FOUND'} end
local state = redis.call('HGET', versionKey, 'state')
if not state then return {'VERSION_NOT_FOUND'} end
if state ~= 'READY' then return {'NOT_READY', state} end
if redis.call('HGET', modelKey, 'defaultVersion') ~= versionId then
  set_model_default(modelKey, versionId)
end
publish_deploy(channel, 'set-default', project, modelId, versionId)
return {'OK'}
