-- queens: n-queens solutions with the placed columns in a cons list of two-slot tables {head,
-- tail}, the same algorithm as queens.cam. Usage: lua5.4 queens.lua 10
local function safe(col, d, qs)
  while qs do
    local q = qs[1]
    if q == col or q == col + d or q == col - d then return false end
    d = d + 1
    qs = qs[2]
  end
  return true
end

local function go(n, row, c, qs)
  if c > n then return 0 end
  local here = 0
  if safe(c, 1, qs) then
    if row == n then here = 1 else here = go(n, row + 1, 1, { c, qs }) end
  end
  return here + go(n, row, c + 1, qs)
end

print(go(tonumber(arg[1] or "10"), 1, 1, nil))
