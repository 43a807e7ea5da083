-- listmap: build [1..n] as a cons list of two-slot tables, map (x * 2) with a reversing
-- accumulator loop, sum; the same algorithm as listmap.cam (tail calls for the loops).
-- Usage: lua5.4 listmap.lua 1000000
local function build(n, acc)
  if n == 0 then return acc end
  return build(n - 1, { n, acc })
end

local function revMap(f, xs, acc)
  if xs == nil then return acc end
  return revMap(f, xs[2], { f(xs[1]), acc })
end

local function sum(xs, acc)
  if xs == nil then return acc end
  return sum(xs[2], acc + xs[1])
end

local n = tonumber(arg[1] or "1000000")
print(sum(revMap(function(x) return x * 2 end, build(n, nil), nil), 0))
