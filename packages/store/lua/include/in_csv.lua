-- Whether `value` is one of the comma-separated names in `csv`.
local function in_csv(csv, value)
  for item in string.gmatch(csv, '[^,]+') do
    if item == value then return true end
  end
  return false
end
