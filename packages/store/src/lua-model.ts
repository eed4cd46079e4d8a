/**
 * Lua scripts for models, versions and operations. Every state change is one
 * script (one round trip, atomic) that also publishes a deploy event on the
 * channel it is given, so predictors hear of a change exactly when it happens.
 * All KEYS of a script share the project's hash tag.
 */

/** `publish(channel, type, project, model, version)`: a deploy event as JSON. */
const LUA_PUBLISH = `
local function publish(channel, kind, project, model, version)
  redis.call('PUBLISH', channel, cjson.encode({type = kind, project = project, model = model, version = version}))
end
`;

/**
 * KEYS: model, models index. ARGV: modelId, field/value pairs…
 * Returns 1 created, 0 when the model exists.
 */
export const CREATE_MODEL_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'rev', '1', unpack(ARGV, 2))
redis.call('ZADD', KEYS[2], 0, ARGV[1])
return 1
`;

/**
 * Delete a model that has no versions.
 * KEYS: model, models index, versions index, operation.
 * ARGV: modelId, channel, project, operation field/value pairs…
 * Returns -1 no such model, n > 0 the number of versions it still has, 0 deleted.
 */
export const DELETE_MODEL_LUA = `
${LUA_PUBLISH}
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local versions = redis.call('ZCARD', KEYS[3])
if versions > 0 then return versions end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[4], unpack(ARGV, 4))
publish(ARGV[2], 'delete-model', ARGV[3], ARGV[1], nil)
return 0
`;

/**
 * Add a CREATING version and its operation; the model's first version becomes its default.
 * KEYS: model, versions index, version, operation, pending set.
 * ARGV: versionId, modelId, project, channel, n (count of version field args),
 * version field/value pairs (n args), operation field/value pairs…
 * Returns {'OK', isDefault} | {'MODEL_NOT_FOUND'} | {'VERSION_EXISTS'} | {'OPERATION_EXISTS'}.
 */
export const CREATE_VERSION_LUA = `
${LUA_PUBLISH}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'MODEL_NOT_FOUND'} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {'VERSION_EXISTS'} end
if redis.call('EXISTS', KEYS[4]) == 1 then return {'OPERATION_EXISTS'} end
local n = tonumber(ARGV[5])
redis.call('HSET', KEYS[3], 'rev', '1', unpack(ARGV, 6, 5 + n))
redis.call('HSET', KEYS[4], unpack(ARGV, 6 + n))
redis.call('ZADD', KEYS[2], 0, ARGV[1])
redis.call('SADD', KEYS[5], ARGV[2] .. '/' .. ARGV[1])
local isDefault = '0'
if not redis.call('HGET', KEYS[1], 'defaultVersion') then
  redis.call('HSET', KEYS[1], 'defaultVersion', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
  isDefault = '1'
end
publish(ARGV[4], 'create', ARGV[3], ARGV[2], ARGV[1])
return {'OK', isDefault}
`;

/**
 * CREATING → READY | FAILED, once: whichever predictor loads the version
 * first reports, later reports are refused. Completes the create operation.
 * KEYS: version, create operation, pending set.
 * ARGV: to, now, pending member, operationId, errorMessage or '', error JSON or '',
 * channel, project, modelId, versionId.
 * Returns {'OK'} | {'CONFLICT', state} | {'NOT_FOUND'}.
 */
export const FINISH_VERSION_LUA = `
${LUA_PUBLISH}
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'NOT_FOUND'} end
if state ~= 'CREATING' then return {'CONFLICT', state} end
redis.call('HSET', KEYS[1], 'state', ARGV[1])
if ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'errorMessage', ARGV[5]) end
redis.call('HINCRBY', KEYS[1], 'rev', 1)
redis.call('SREM', KEYS[3], ARGV[3])
if redis.call('HGET', KEYS[1], 'operation') == ARGV[4] and redis.call('EXISTS', KEYS[2]) == 1 then
  redis.call('HSET', KEYS[2], 'done', '1', 'endTime', ARGV[2])
  if ARGV[6] ~= '' then redis.call('HSET', KEYS[2], 'error', ARGV[6]) end
end
publish(ARGV[7], string.lower(ARGV[1]), ARGV[8], ARGV[9], ARGV[10])
return {'OK'}
`;

/**
 * Make a READY version the model's default.
 * KEYS: model, version. ARGV: versionId, channel, project, modelId.
 * Returns {'OK'} | {'MODEL_NOT_FOUND'} | {'VERSION_NOT_FOUND'} | {'NOT_READY', state}.
 */
export const SET_DEFAULT_VERSION_LUA = `
${LUA_PUBLISH}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'MODEL_NOT_FOUND'} end
local state = redis.call('HGET', KEYS[2], 'state')
if not state then return {'VERSION_NOT_FOUND'} end
if state ~= 'READY' then return {'NOT_READY', state} end
if redis.call('HGET', KEYS[1], 'defaultVersion') ~= ARGV[1] then
  redis.call('HSET', KEYS[1], 'defaultVersion', ARGV[1])
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
end
publish(ARGV[2], 'set-default', ARGV[3], ARGV[4], ARGV[1])
return {'OK'}
`;

/**
 * Delete a version, refusing the default while the model has others. A create
 * operation still running ends with the error given.
 * KEYS: model, versions index, version, delete operation, pending set, create operation.
 * ARGV: versionId, pending member, now, channel, project, modelId, create error JSON,
 * create operationId, delete operation field/value pairs…
 * Returns {'OK'} | {'VERSION_NOT_FOUND'} | {'DEFAULT'}.
 */
export const DELETE_VERSION_LUA = `
${LUA_PUBLISH}
if redis.call('EXISTS', KEYS[3]) == 0 then return {'VERSION_NOT_FOUND'} end
local default = redis.call('HGET', KEYS[1], 'defaultVersion')
if default == ARGV[1] and redis.call('ZCARD', KEYS[2]) > 1 then return {'DEFAULT'} end
if redis.call('HGET', KEYS[3], 'operation') == ARGV[8] and redis.call('HGET', KEYS[6], 'done') == '0' then
  redis.call('HSET', KEYS[6], 'done', '1', 'endTime', ARGV[3], 'error', ARGV[7])
end
redis.call('DEL', KEYS[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[5], ARGV[2])
if default == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'defaultVersion')
  redis.call('HINCRBY', KEYS[1], 'rev', 1)
end
redis.call('HSET', KEYS[4], unpack(ARGV, 9))
publish(ARGV[4], 'delete', ARGV[5], ARGV[6], ARGV[1])
return {'OK'}
`;

/** Stamp lastUseTime on a version that still exists. KEYS: version. ARGV: time. Returns 1 or 0. */
export const TOUCH_VERSION_LUA = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'lastUseTime', ARGV[1])
return 1
`;
