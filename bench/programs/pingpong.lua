-- pingpong: r round trips (2r messages) between the main thread and a coroutine; resume carries
-- the ping, yield carries the pong (performance.md §3). Usage: lua5.4 pingpong.lua 500000
local r = tonumber(arg[1] or "500000")
local partner = coroutine.create(function(x)
  while true do
    x = coroutine.yield(x + 1)
  end
end)
local acc = 0
for i = 1, r do
  local _, answer = coroutine.resume(partner, i)
  acc = acc + answer
end
print(acc)
