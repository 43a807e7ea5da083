-- tak: the Takeuchi function, as tak.cam. Usage: lua5.4 tak.lua 24 16 8
local function tak(x, y, z)
  if y < x then
    return tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y))
  end
  return z
end
print(tak(tonumber(arg[1] or "24"), tonumber(arg[2] or "16"), tonumber(arg[3] or "8")))
