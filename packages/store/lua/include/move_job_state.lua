-- Move a job from state `from` to `to` (its caller has checked the edge):
-- from one state index to the other, its state, its start time on PREPARING
-- or RUNNING, its revision, and the job-state event. Returns the new revision.
local function move_job_state(metaKey, fromIndexKey, toIndexKey, jobId, from, to, now, channel, project)
  local score = redis.call('HGET', metaKey, 'score')
  redis.call('ZREM', fromIndexKey, jobId)
  redis.call('ZADD', toIndexKey, score, jobId)
  redis.call('HSET', metaKey, 'state', to)
  if (to == 'PREPARING' or to == 'RUNNING') and redis.call('HEXISTS', metaKey, 'startTime') == 0 then
    redis.call('HSET', metaKey, 'startTime', now)
  end
  local rev = redis.call('HINCRBY', metaKey, 'rev', 1)
  redis.call('PUBLISH', channel, cjson.encode({project = project, jobId = jobId, from = from, to = to, time = now}))
  return rev
end
