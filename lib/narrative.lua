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
-- line, pinned to the quantity's first cell.
local host = ...
local M = {}

local find, match, gsub, sub = string.find, string.match, string.gsub, string.sub

local SENTENCE = { "。", "；", "！", "？", ";" }
local CLAUSE = { "，", "、", "（", "）", "(", ")", ",", "：", ":" }

-- piece without the white space (%s) at either end, as
-- match(piece, "^%s*(.-)%s*$") gives it, without trying the tail at every byte
local SPACE = { [9] = true, [10] = true, [11] = true, [12] = true, [13] = true, [32] = true }
local function trim(piece)
  local a = match(piece, "^%s*()")
  local b = #piece
  while b >= a and SPACE[string.byte(piece, b)] do b = b - 1 end
  return sub(piece, a, b)
end

-- each separator as a pattern, made once
local escaped = setmetatable({}, { __mode = "k" })
local function patterns_of(seps)
  local e = escaped[seps]
  if not e then
    e = {}
    for i, s in ipairs(seps) do e[i] = gsub(s, "%p", "%%%0") end
    escaped[seps] = e
  end
  return e
end

local function split(text, seps)
  local marked = text
  local pats = patterns_of(seps)
  for i, s in ipairs(seps) do
    if find(marked, s, 1, true) then marked = gsub(marked, pats[i], "\0") end
  end
  local out = {}
  for piece in string.gmatch(marked, "[^%z]+") do
    local t = trim(piece)
    if t ~= "" then out[#out + 1] = t end
  end
  return out
end

-- an ASCII digit anywhere in s (as "%d" finds), by ten plain searches:
-- a plain search is a memchr, a pattern one a matcher call per byte
local DIGITS = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" }
local function has_digit(s)
  for i = 1, 10 do
    if find(s, DIGITS[i], 1, true) then return true end
  end
  return false
end

local function holds_any(s, words)
  for _, w in ipairs(words or {}) do
    if find(s, w, 1, true) then return true end
  end
  return false
end

-- value of a quantity in the report: the sum of its cells, or nil when a cell is blank or not a number
local function table_value(report, cells)
  local sum = 0
  for _, addr in ipairs(cells) do
    local t, r, c = match(addr, "^([^.]+)%.([^.]+)%.([^.]+)$")
    local row = report.tables and report.tables[t] and report.tables[t][r]
    local v = row and row[c]
    local n = v and tonumber(v)
    if not n then return nil end
    sum = sum + n
  end
  return sum
end

-- the literal text a pattern's every match begins with ("新收" of
-- "新收.-申请(%d+)件"): a clause without it cannot match, found by a plain
-- search before the pattern is tried
local MAGIC = "[%^%$%(%)%%%.%[%]%*%+%-%?]"
local literal_of = setmetatable({}, { __mode = "k" })
local function literal(p)
  local lit = literal_of[p]
  if lit == nil then
    local stop = find(p, MAGIC)
    lit = stop and sub(p, 1, stop - 1) or p
    -- a quantifier after it makes its last byte optional
    if stop and find(sub(p, stop, stop), "[%*%-%?]") then lit = sub(lit, 1, -2) end
    literal_of[p] = lit
  end
  return lit
end

-- a run of 16 or more digits is no count: taken out before the patterns
-- run, as a pattern that begins with "(%d+)" backtracks through a run from
-- each of its digits (a 12,000-digit run took a second)
local LONG_RUN = "%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d%d+"

local function mention(spec, sentence, clause, digit_only)
  if digit_only and not has_digit(clause) then return nil end
  if find(clause, LONG_RUN) then clause = gsub(clause, LONG_RUN, "#") end
  if holds_any(clause, spec.skip) then return nil end
  for _, q in ipairs(spec.quantities) do
    if not holds_any(clause, q.unless) and (not q.sentence or find(sentence, q.sentence, 1, true)) then
      for _, p in ipairs(q.patterns) do
        local lit = literal(p)
        if lit == "" or find(clause, lit, 1, true) then
          local n = match(clause, p)
          if n then return q, tonumber(n) end
        end
      end
    end
  end
  return nil
end

-- true when every pattern captures a digit run ("(%d+)"): then a line
-- without an ASCII digit mentions nothing, and is not cut up at all
local digit_needed = setmetatable({}, { __mode = "k" })
local function needs_digit(spec)
  local d = digit_needed[spec]
  if d == nil then
    d = true
    for _, q in ipairs(spec.quantities) do
      for _, p in ipairs(q.patterns) do
        if not find(p, "(%d+)", 1, true) then d = false end
      end
    end
    digit_needed[spec] = d
  end
  return d
end

local function check_text(spec, report, text, line0, out)
  local k = 0
  local digit_only = needs_digit(spec)
  if digit_only and not has_digit(text) then return end
  for line in string.gmatch(text .. "\n", "([^\n]*)\n") do
    if digit_only and not has_digit(line) then
      -- nothing to compare on this line
    elseif not (spec.placeholder and find(line, spec.placeholder, 1, true)) then
      for _, sentence in ipairs(split(line, SENTENCE)) do
        for _, clause in ipairs(digit_only and not has_digit(sentence) and {} or split(sentence, CLAUSE)) do
          local q, n = mention(spec, sentence, clause, digit_only)
          local v = q and table_value(report, q.cells)
          if v and n ~= v then
            local t, r, c = match(q.cells[1], "^([^.]+)%.([^.]+)%.([^.]+)$")
            out[#out + 1] = {
              message = string.format("正文写“%s”（%s %d），表中为 %s%s：请核对正文或表格", clause, q.what, n,
                                      string.format("%d", v), #q.cells > 1 and "（各项合计）" or ""),
              table = t, row = r, column = c, line = line0 and line0 > 0 and line0 + k or nil,
              expected = string.format("%d", v), actual = string.format("%d", n),
            }
          end
        end
      end
    end
    k = k + 1
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
