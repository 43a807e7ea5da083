-- fib: naive doubly-recursive Fibonacci, the same algorithm as fib.cam. Usage: lua5.4 fib.lua 32
local function fib(n)
  if n < 2 then return n end
  return fib(n - 1) + fib(n - 2)
end
print(fib(tonumber(arg[1] or "32")))
