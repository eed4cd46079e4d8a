/**
 * Shared Lua fragments. Lua 5.1 in Redis prints numbers with 14 significant
 * digits, so scripts never write a number they computed except small integers
 * and scores formatted with `%.0f`; metric values are stored as the caller's
 * decimal strings.
 */

/** A Lua table literal `{A = true, B = true}` used as a set of names. */
export const luaSet = (names: readonly string[]): string =>
  `{${names.map((name) => `${name} = true`).join(', ')}}`;

/** `in_csv(csv, value)`: whether `value` is one of the comma-separated names in `csv`. */
export const LUA_IN_CSV = `
local function in_csv(csv, value)
  for item in string.gmatch(csv, '[^,]+') do
    if item == value then return true end
  end
  return false
end
`;

/** `is_better(goal, value, best)`: whether `value` beats the recorded `best` (false/nil: none yet). */
export const LUA_IS_BETTER = `
local function is_better(goal, value, best)
  if not best then return true end
  if goal == 'MINIMIZE' then return tonumber(value) < tonumber(best) end
  return goal == 'MAXIMIZE' and tonumber(value) > tonumber(best)
end
`;
