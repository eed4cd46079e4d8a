-- One page of job ids, newest first, from the smallest of the given indexes,
-- keeping ids present in all of them (AND of filters). Works from a score
-- cursor: O(log n + examined), and examines at most `scanBudget` entries per call.
-- KEYS: the indexes (all share each job's score); none is named, there are 1 or more.
-- Returns {nextCursor or '', examined, ids…}.
local cursor = ARGV[1]
local pageSize = ARGV[2]
local scanBudget = ARGV[3]

local drive = 1
local smallest = redis.call('ZCARD', KEYS[1])
for i = 2, #KEYS do
  local n = redis.call('ZCARD', KEYS[i])
  if n < smallest then smallest = n; drive = i end
end
local want = tonumber(pageSize)
local budget = tonumber(scanBudget)
local max = cursor == '+inf' and '+inf' or ('(' .. cursor)
local ids = {}
local examined = 0
local last = nil
local exhausted = false
while #ids < want and examined < budget do
  local chunk = math.min(budget - examined, (want - #ids) * (#KEYS > 1 and 4 or 1))
  local rows = redis.call('ZREVRANGEBYSCORE', KEYS[drive], max, '-inf', 'WITHSCORES', 'LIMIT', 0, chunk)
  local i = 1
  while i < #rows and #ids < want do
    local id = rows[i]
    last = rows[i + 1]
    examined = examined + 1
    local keep = true
    for k = 1, #KEYS do
      if k ~= drive and not redis.call('ZSCORE', KEYS[k], id) then keep = false; break end
    end
    if keep then ids[#ids + 1] = id end
    i = i + 2
  end
  if i >= #rows and #rows < chunk * 2 then exhausted = true; break end
  max = '(' .. last
end
local nextCursor = ''
if not exhausted and last then
  local more = redis.call('ZREVRANGEBYSCORE', KEYS[drive], '(' .. last, '-inf', 'LIMIT', 0, 1)
  if #more > 0 then nextCursor = last end
end
return {nextCursor, examined, unpack(ids)}
