-- Compare-and-set of a job's state along the legal graph (JOB_STATE_TRANSITIONS
-- of @stratus/spec, written in below as EDGES). Moves the job between state
-- indexes, stamps start/end times, and on a final state appends an end marker
-- to the log and metric streams (so a follower blocked in XREAD wakes and
-- stops) and publishes the change.
-- KEYS past the named ones: one state index per JOB_STATES entry, in that order.
-- ARGV past the named ones: meta field/value pairs set in the same step.
-- Returns {'OK', from, rev} | {'CONFLICT', current} (not in fromCsv, or finished)
--   | {'ILLEGAL', current} (current → to is no edge of the graph: nothing written) | {'NOT_FOUND'}.
local metaKey = KEYS[1]
local logsKey = KEYS[2]
local metricsKey = KEYS[3]
local to = ARGV[1]
local now = ARGV[2]
local fromCsv = ARGV[3]
local jobId = ARGV[4]
local maxLogs = ARGV[5]
local maxMetrics = ARGV[6]
local channel = ARGV[7]
local project = ARGV[8]
--- @const FIXED_KEYS
--- @const FIXED_ARGS
--- @const JOB_STATES
--- @const TERMINAL
--- @const EDGES
--- @include in_csv
--- @include move_job_state

local current = redis.call('HGET', metaKey, 'state')
if not current then return {'NOT_FOUND'} end
if TERMINAL[current] or not in_csv(fromCsv, current) then return {'CONFLICT', current} end
local edges = EDGES[current]
if not edges or not edges[to] then return {'ILLEGAL', current} end
local INDEX = {}
for i, state in ipairs(JOB_STATES) do INDEX[state] = KEYS[FIXED_KEYS + i] end
if #ARGV > FIXED_ARGS then redis.call('HSET', metaKey, unpack(ARGV, FIXED_ARGS + 1)) end
if TERMINAL[to] then
  redis.call('HSET', metaKey, 'endTime', now)
  redis.call('XADD', logsKey, 'MAXLEN', '~', maxLogs, '*', 'end', to, 'time', now)
  redis.call('XADD', metricsKey, 'MAXLEN', '~', maxMetrics, '*', 'end', to, 'time', now)
end
local rev = move_job_state(metaKey, INDEX[current], INDEX[to], jobId, current, to, now, channel, project)
return {'OK', current, tostring(rev)}
