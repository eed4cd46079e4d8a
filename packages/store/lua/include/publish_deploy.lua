-- A deploy event as JSON on `channel`, so predictors hear of a change exactly when it happens.
local function publish_deploy(channel, kind, project, model, version)
  redis.call('PUBLISH', channel, cjson.encode({type = kind, project = project, model = model, version = version}))
end
