-- TXT-NUM: numbers the narrative states for a table quantity ("本年度共收到
-- 申请70件") against the table.  The format declares what to look for as
-- data (quantities, their cells and patterns); this module only applies it:
--
--   narrative.rule(spec) → a Lua rule function (report) → findings
--   spec = {
--     placeholder = "（请填写",        -- a line holding it is skipped
--     skip = { "同比", … },            -- a clause holding one speaks of another period
--     quantities = { {
--       what = "本年新收申请",          -- for the message
--       cells = { "t3.new.total" },     -- summed; a blank cell: not compared
--       patterns = { "新收.-申请(%d+)件", … },   -- Lua patterns, one capture
--       unless = { "结转" },            -- optional: a clause holding one is not this quantity
--       sentence = "规范性文件",        -- optional: the sentence must hold it
--     }, … } }
--
-- Text is cut into sentences at 。；！？ and sentences into clauses at ，、
-- and brackets; each clause gives at most one mention (the first quantity
-- whose pattern matches).  Every mismatch is one finding, with its quote and
-- line, pinned to the quantity's first cell.  The cutting, and throwing
-- away the clauses that cannot mention a quantity, is host.clauses (C).
local host = ...
local M = {}

local find, match, gsub, sub = string.find, string.match, string.gsub, string.sub

local SENTENCE = { "。", "；", "！", "？", ";" }
local CLAUSE = { "，", "、", "（", "）", "(", ")", ",", "：", ":" }

local function holds_any(s, words)
  for _, w in ipairs(words or {}) do
    if find(s, w, 1, true) then return true end
  end
  return false
end

-- value of a quantity in the report: the sum of its cells (addresses split
-- when the spec is compiled), or nil when a cell is blank or not a number
local function table_value(report, cells)
  local tables = report.tables
  local sum = 0
  for i = 1, #cells do
    local a = cells[i]
    local tab = tables and tables[a[1]]
    local row = tab and tab[a[2]]
    local v = row and row[a[3]]
    local n = v and tonumber(v)
    if not n then return nil end
    sum = sum + n
  end
  return sum
end

local function set_end(p, i) -- p[i] is "[": the index after its set, read as Lua reads it
  local j = i + 1
  if sub(p, j, j) == "^" then j = j + 1 end
  repeat
    if sub(p, j, j) == "%" then j = j + 1 end
    j = j + 1
  until j > #p or sub(p, j, j) == "]"
  return j + 1
end

-- the longest run of bytes that every match of the Lua pattern p holds
-- ("上年结转" of "上年结转.-(%d+)件", "结转下" of "(%d+)件.-结转下"): a
-- clause without it cannot match, found by a plain search before the
-- pattern is tried.  A byte that a class, a set or an optional quantifier
-- (*, -, ?) stands for ends a run; captures match nothing themselves.
local function required(p)
  local best, run, i, n = "", "", 1, #p
  local function close()
    if #run > #best then best = run end
    run = ""
  end
  if sub(p, 1, 1) == "^" then i = 2 end
  while i <= n do
    local c, byte, j = sub(p, i, i), nil, i + 1
    if c == "(" or c == ")" then
      i, j = i + 1, nil
    elseif c == "$" and i == n then
      i, j = n + 1, nil
    elseif c == "%" then
      local d = sub(p, i + 1, i + 1)
      if d == "b" then -- %bxy: no quantifier follows
        close()
        i, j = i + 4, nil
      elseif d == "f" then -- %f[set]: likewise
        close()
        i, j = set_end(p, i + 2), nil
      else
        byte = not find(d, "^%w") and d or nil -- %d, %a…, %1: a class; %. a plain "."
        j = i + 2
      end
    elseif c == "[" then
      j = set_end(p, i)
    elseif c ~= "." then
      byte = c
    end
    if j then
      local q = sub(p, j, j)
      if q == "*" or q == "-" or q == "?" then
        close()
        i = j + 1
      else
        if byte then run = run .. byte else close() end
        if q == "+" then close(); i = j + 1 else i = j end
      end
    end
  end
  close()
  return best
end

-- a run of 16 or more digits is no count: taken out before the patterns
-- run, as a pattern that begins with "(%d+)" backtracks through a run from
-- each of its digits (a 12,000-digit run took a second)
local LONG_RUN = "%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d+"

-- a word without a digit or "#" is in a clause as written exactly when it
-- is in the clause with its long digit runs taken out: host.clauses can
-- look for it
local function plain(w) return not find(w, "[%d#]") end

-- what is worked out once per spec: the clause cutter (host.clauses, in
-- C: only clauses with a digit when every pattern needs one, holding a
-- pattern's required bytes, holding no skip word) and what stays for Lua
local compiled = setmetatable({}, { __mode = "k" })
local function compile(spec)
  local k = compiled[spec]
  if k then return k end
  k = { needle = {}, skip = {}, cells = {} }
  local digits, any, none = true, {}, {}
  for _, q in ipairs(spec.quantities) do
    local cells = {}
    for i, addr in ipairs(q.cells) do cells[i] = { match(addr, "^([^.]+)%.([^.]+)%.([^.]+)$") } end
    k.cells[q] = cells
    for _, p in ipairs(q.patterns) do
      -- every pattern captures a digit run ("(%d+)"): then a clause
      -- without an ASCII digit mentions nothing
      if not find(p, "(%d+)", 1, true) then digits = false end
      local r = required(p)
      k.needle[p] = r
      if any and r ~= "" and plain(r) then any[#any + 1] = r else any = nil end
    end
  end
  for _, w in ipairs(spec.skip or {}) do
    if plain(w) then none[#none + 1] = w else k.skip[#k.skip + 1] = w end
  end
  k.cut = host.clauses { sentences = SENTENCE, clauses = CLAUSE, skip_lines = { spec.placeholder }, digits = digits,
                         any = any, none = none }
  compiled[spec] = k
  return k
end

local function mention(spec, k, sentence, clause)
  if find(clause, LONG_RUN) then clause = gsub(clause, LONG_RUN, "#") end
  if holds_any(clause, k.skip) then return nil end
  for _, q in ipairs(spec.quantities) do
    if not holds_any(clause, q.unless) and (not q.sentence or find(sentence, q.sentence, 1, true)) then
      for _, p in ipairs(q.patterns) do
        local lit = k.needle[p]
        if lit == "" or find(clause, lit, 1, true) then
          local n = match(clause, p)
          if n then return q, tonumber(n) end
        end
      end
    end
  end
  return nil
end

local function check_text(spec, report, text, line0, out)
  local k = compile(spec)
  for _, c in ipairs(k.cut(text)) do
    local clause = c.text
    local q, n = mention(spec, k, c.sentence, clause)
    local v = q and table_value(report, k.cells[q])
    if v and n ~= v then
      local t, r, col = match(q.cells[1], "^([^.]+)%.([^.]+)%.([^.]+)$")
      out[#out + 1] = {
        message = string.format("正文写“%s”（%s %d），表中为 %s%s：请核对正文或表格", clause, q.what, n,
                                string.format("%d", v), #q.cells > 1 and "（各项合计）" or ""),
        table = t, row = r, column = col, line = line0 and line0 > 0 and line0 + c.line - 1 or nil,
        expected = string.format("%d", v), actual = string.format("%d", n),
      }
    end
  end
end

function M.rule(spec)
  return function(report)
    local out = {}
    for _, s in ipairs(report.sections or {}) do
      if s.text and s.text ~= "" then check_text(spec, report, s.text, s.line and s.line + 1, out) end
    end
    return out
  end
end

return M
