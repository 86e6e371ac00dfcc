-- Every way to cut one row's run-together digits into the row's cells that
-- the row's own equations allow, for lib/digit_split.lua (which reads the
-- format's equations and solves across rows).  Kept apart because it is
-- the search a hostile page can make long: it is made cheap and bounded,
-- so an input costs little past what a real report needs.
--  * the numbers a cell can be from each place in the digits are worked out
--    once per row (a piece tried was 3 string functions per step; a fuzzed
--    row took 0.6 s for 175,000 steps);
--  * no step goes where the digits left cannot fill the cells left (worked
--    out once per row, as a table over place × cell);
--  * a 总计 cut from the row's end: no step where the running sum cannot
--    reach the total or must pass it (the least and the most the cells
--    left can hold);
-- and every step and every piece tried counts against the import's budget,
-- past which the row is undecided (nil), never guessed.  (Remembering the
-- states that led nowhere saved under 1 % of the steps and tripled their
-- cost: the partial sums of different cuts rarely agree.)
local M = {}

local find, match, gsub, sub, format = string.find, string.match, string.gsub, string.sub, string.format
local unpack, concat = table.unpack, table.concat

-- Marks written in a cell instead of a number ("/" not applicable, "—"
-- none): a cell of their own, kept as written; 0 in the equations.
local MARKS = { ["/"] = true, ["-"] = true, ["\226\128\148"] = true, ["\226\128\148\226\128\148"] = true,
  ["\226\128\147"] = true, ["\\"] = true }

local function micro(s)
  if MARKS[s] then return 0 end
  local sign, w, f = match(s, "^(%-?)(%d+)%.?(%d*)$")
  local v = tonumber(w) * 1000000 + tonumber(sub(f .. "000000", 1, 6))
  return sign == "-" and -v or v
end
M.micro = micro

-- a piece of a run as one cell: a number not starting with 0 (unless it is
-- 0); a decimal only in an amount column, a minus only in a signed one
-- (the 2019 format's 本年增/减); a mark in any column
local MAX_PIECE = 32

local function valid_cell(piece, col)
  if MARKS[piece] then return true end
  if sub(piece, 1, 1) == "-" then
    if col.type ~= "signed" then return false end
    piece = sub(piece, 2)
    if piece == "0" then return false end
  end
  if find(piece, "^0$") or find(piece, "^[1-9]%d*$") then return #piece <= 12 end
  return col.type == "amount" and (find(piece, "^0%.%d+$") or find(piece, "^[1-9]%d*%.%d+$")) ~= nil
end

local function show_micro(v)
  local sign = v < 0 and "-" or ""
  v = math.abs(v)
  local w, f = v // 1000000, v % 1000000
  if f == 0 then return sign .. tostring(w) end
  return sign .. (gsub(format("%d.%06d", w, f), "0+$", ""))
end

-- The most characters a cell's text can have (valid_cell: 12 digits, a
-- sign; an amount also a point and decimals).  A row with more than its
-- cells can hold is not searched: a crawled page with a 10,000-digit run
-- took 20 s in the search below.  Returns the row's length and the most its
-- cells hold when it is too long, else nil.
function M.too_long(chunks, cols)
  local len, max = 0, 0
  for _, c in ipairs(chunks) do len = len + #c end
  for _, c in ipairs(cols) do max = max + (c.type == "amount" and 24 or 13) end
  if len > max then return len, max end
  return nil
end

-- The cells a column can take starting at byte off of a chunk, by their
-- end: a flat list { end, text, value, end, text, value, … }, at most
-- MAX_PIECE bytes each and none past a lone "0" ("05" is no number).
-- Made once per chunk text, place and kind of column (valid_cell tells
-- only signed, amount and the rest apart); the work is charged to budget.
local function piece_lists(budget)
  local made = {}
  return function(ch, off, col)
    local kind = col.type == "signed" and 1 or col.type == "amount" and 2 or 3
    local by_chunk = made[ch]
    if not by_chunk then by_chunk = {}; made[ch] = by_chunk end
    local key = off * 4 + kind
    local list = by_chunk[key]
    if not list then
      list = {}
      local last = math.min(#ch, off + MAX_PIECE - 1)
      for e = off, last do
        local piece = sub(ch, off, e)
        if valid_cell(piece, col) then list[#list + 1] = e; list[#list + 1] = piece; list[#list + 1] = micro(piece) end
        if piece == "0" and sub(ch, e + 1, e + 1) ~= "." then break end
      end
      budget.left = budget.left - (last - off + 1)
      by_chunk[key] = list
    end
    return list
  end
end

-- Whether the chunks from byte off of chunk ci on can be cut into cells k
-- to n (pieces(ch, off, col) as above), each place and cell worked out once.
local function reachable(chunks, cols, pieces)
  local n, known, base = #cols, {}, {}
  local at = 0
  for ci, ch in ipairs(chunks) do base[ci] = at; at = at + #ch end
  local function can(ci, off, k)
    if ci > #chunks then return k > n end
    if k > n then return false end
    local key = (base[ci] + off) * (n + 2) + k
    local v = known[key]
    if v == nil then
      v = false
      local ch = chunks[ci]
      local list = pieces(ch, off, cols[k])
      for i = 1, #list, 3 do
        local e = list[i]
        if e == #ch then v = can(ci + 1, 1, k + 1) else v = can(ci, e + 1, k + 1) end
        if v then break end
      end
      known[key] = v
    end
    return v
  end
  return can
end

-- The cuts of a row whose final cell is the sum of all the others (a 总计
-- column): the final cell's text is a tail of the row; for each tail, the
-- rest is cut with the running sum never above it and, for counts, no cell
-- longer than it.  `check` filters with the row's other equations.
local function sum_splits(chunks, cols, check, budget)
  local n, out = #cols, {}
  local counts = true
  for _, c in ipairs(cols) do if c.type == "amount" then counts = false end end
  local pieces = piece_lists(budget)
  -- a number is congruent to the sum of its digits modulo 9, however the
  -- digits before the tail are cut: a tail whose value disagrees is no total
  local function digit_sum(str) local d = 0; for c in str:gmatch("%d") do d = d + tonumber(c) end return d end
  local all = 0
  for _, c in ipairs(chunks) do all = all + digit_sum(c) end
  local lastch = chunks[#chunks]
  for t = 1, #lastch do
    local tail = sub(lastch, #lastch - t + 1)
    if valid_cell(tail, cols[n]) and (all - digit_sum(tail)) % 9 == digit_sum(tail) % 9 then
      local T = micro(tail)
      local pre = { unpack(chunks) }
      pre[#pre] = sub(lastch, 1, #lastch - t)
      if pre[#pre] == "" then pre[#pre] = nil end
      local left, cur = 0, {}
      for _, c in ipairs(pre) do left = left + #c end
      local function rec(ci, off, k, sum, rem)
        budget.left = budget.left - 1
        if budget.left < 0 then return end
        if ci > #pre then
          if k == n and sum == T then
            cur[n] = tail
            local cand = { unpack(cur) }
            if check(cand) then out[#out + 1] = cand end
          end
          return
        end
        local cells_left = n - k
        if cells_left < 1 or rem < cells_left or (counts and rem > cells_left * t) then return end
        local ch = pre[ci]
        -- the cells left hold less than 10^(their longest) each, and a count
        -- of d > 1 digits at least 10^(d-1): the fewest is with the digits
        -- left shared evenly (in floating point, with room for its rounding)
        local longest = rem - cells_left + 1
        if counts and longest > t then longest = t end
        if sum + cells_left * 10.0 ^ (longest + 6) * 1.01 < T then return end
        if counts then
          local q, r = rem // cells_left, rem % cells_left
          local least = r * 10.0 ^ q + (q > 1 and (cells_left - r) * 10.0 ^ (q - 1) or 0) -- q >= 1
          if sum + least * 1e6 * 0.99 > T then return end
        end
        -- the last cell before the total: what is left of the digits
        if cells_left == 1 then
          if ci < #pre or rem > MAX_PIECE then return end
          local piece = sub(ch, off)
          if not valid_cell(piece, cols[k]) or micro(piece) ~= T - sum or (counts and #piece > t) then return end
          cur[k] = piece
          return rec(ci + 1, 1, k + 1, T, 0)
        end
        local list = pieces(ch, off, cols[k])
        for i = 1, #list, 3 do
          local e = list[i]
          if counts and e > off + t - 1 then break end
          local v = list[i + 2]
          budget.left = budget.left - 1
          if sum + v > T then break end
          cur[k] = list[i + 1]
          local len = e - off + 1
          if e == #ch then rec(ci + 1, 1, k + 1, sum + v, rem - len) else rec(ci, e + 1, k + 1, sum + v, rem - len) end
        end
      end
      if #pre > 0 then rec(1, 1, 1, 0, left) end
    end
  end
  if budget.left < 0 then return nil end
  return out
end

-- Every way to cut the chunks (white-space separated digit runs) into
-- #cols cells that satisfies the row's own equations (eqs: { coefs = {[k] =
-- coef}, const =, last = k }); when the last cell an equation names has
-- coefficient ±1 its text is forced.  nil once the import has taken
-- budget.left steps (shared by all rows of an import).
function M.splits(chunks, cols, eqs, budget)
  local n = #cols
  if M.too_long(chunks, cols) then return nil end -- as a search over budget: nothing decided
  -- only runs of plain digits can be cut from a total's end (a sign or a
  -- mark breaks its arithmetic): others are cut from the start
  local plain = true
  for _, c in ipairs(chunks) do if not find(c, "^[%d%.]+$") then plain = false end end
  -- a 总计 in the final column: cut from its end
  for i, eq in ipairs(eqs) do
    local c = eq.coefs[n]
    local whole = eq.const == 0 and eq.last == n and (c == 1 or c == -1)
    for j = 1, n - 1 do if eq.coefs[j] ~= -(c or 0) then whole = false end end
    if whole and n > 1 and plain then
      local others = {}
      for j, e in ipairs(eqs) do if j ~= i then others[#others + 1] = e end end
      return sum_splits(chunks, cols, function(cand)
        for _, e in ipairs(others) do
          local sum = e.const
          for k, coef in pairs(e.coefs) do sum = sum + coef * micro(cand[k]) end
          if sum ~= 0 then return false end
        end
        return true
      end, budget)
    end
  end
  local pieces = piece_lists(budget)
  local can = reachable(chunks, cols, pieces)
  local out, cur, vals = {}, {}, {}
  -- per cell: the equations that end there, as arrays of { position, coef }
  local due = {}
  for k = 1, n do due[k] = {} end
  for _, eq in ipairs(eqs) do
    local terms = {}
    for j, coef in pairs(eq.coefs) do
      if j ~= eq.last then terms[#terms + 1] = { j, coef } end
    end
    table.insert(due[eq.last], { terms = terms, const = eq.const, coef = eq.coefs[eq.last] })
  end
  local rec
  -- cell k as text (its value, ending at byte e of chunk ci), the rest of
  -- the row cut after it
  local function try(ci, k, e, text, value)
    budget.left = budget.left - 1
    local nci, noff = ci, e + 1
    if e == #chunks[ci] then nci, noff = ci + 1, 1 end
    if not can(nci, noff, k + 1) then return end
    cur[k], vals[k] = text, value
    for _, eq in ipairs(due[k]) do
      if eq.coef ~= 1 and eq.coef ~= -1 then
        local s = eq.const + eq.coef * value
        for _, t in ipairs(eq.terms) do s = s + t[2] * vals[t[1]] end
        if s ~= 0 then return end
      end
    end
    rec(nci, noff, k + 1)
  end
  rec = function(ci, off, k)
    budget.left = budget.left - 1
    if budget.left < 0 then return end
    if ci > #chunks then
      if k > n then out[#out + 1] = { unpack(cur) } end
      return
    end
    if k > n then return end
    local ch = chunks[ci]
    -- a cell forced by an equation ending here
    local want
    for _, eq in ipairs(due[k]) do
      local s = eq.const
      for _, t in ipairs(eq.terms) do s = s + t[2] * vals[t[1]] end
      if eq.coef == 1 or eq.coef == -1 then
        local v = -s * eq.coef
        if (v < 0 and cols[k].type ~= "signed") or (want and want ~= v) then return end
        want = v
      end
    end
    if want then
      local text = show_micro(want)
      local e = off + #text - 1
      if #text <= MAX_PIECE and sub(ch, off, e) == text and valid_cell(text, cols[k]) then try(ci, k, e, text, want) end
    else
      local list = pieces(ch, off, cols[k])
      for i = 1, #list, 3 do try(ci, k, list[i], list[i + 1], list[i + 2]) end
    end
  end
  if can(1, 1, 1) then rec(1, 1, 1) end
  if budget.left < 0 then return nil end
  return out
end

return M
