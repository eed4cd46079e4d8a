-- Whether `value` beats the recorded `best` under the job's goal (`best` false or nil: none yet).
local function is_better(goal, value, best)
  if not best then return true end
  if goal == 'MINIMIZE' then return tonumber(value) < tonumber(best) end
  return goal == 'MAXIMIZE' and tonumber(value) > tonumber(best)
end
