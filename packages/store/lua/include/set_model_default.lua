-- Point the model's default at `versionId` (false: no default), bumping the
-- model's rev so a cached model is seen to have changed.
local function set_model_default(modelKey, versionId)
  if versionId then
    redis.call('HSET', modelKey, 'defaultVersion', versionId)
  else
    redis.call('HDEL', modelKey, 'defaultVersion')
  end
  redis.call('HINCRBY', modelKey, 'rev', 1)
end
