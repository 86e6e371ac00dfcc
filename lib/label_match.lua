-- Tolerant matching of a format's row labels, for text that OCR or a
-- PDF-to-Markdown extractor wrote: the ordinal may be missing or written
-- otherwise ("(一)", "一.", "1、"), brackets half- or full-width, spaces
-- inside the label, punctuation dropped or changed, a long parenthetical
-- left out ("（二）部分公开"), and characters OCR confuses (沐/沭, 己/已).
-- Everything it knows is declared here; nothing of it is in C.
local host = ...

local find, gsub, sub, match = string.find, string.gsub, string.sub, string.match
local norm = host.norm

local M = {}

-- Characters OCR takes for one another: each group folds to its first.
M.CONFUSIONS = {
  { "沐", "沭" }, { "已", "己", "巳" }, { "未", "末" }, { "日", "曰" }, { "入", "人" },
  { "复", "夏" }, { "处", "外" }, { "申", "甲" }, { "理", "埋" }, { "项", "顶" }, { "政", "玫" },
  { "〇", "○", "O" },
}
local FOLD = {}
for _, group in ipairs(M.CONFUSIONS) do
  for k = 2, #group do FOLD[group[k]] = group[1] end
end

-- an ordinal a label may start with (after norm: brackets half-width):
-- "一、" "一." "(一)" "1." "1、" "(1)"; the numerals compared whole (a
-- class of their bytes would match parts of other characters)
local NUMERAL = {}
for _, c in ipairs({ "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" }) do NUMERAL[c] = true end
local function strip_ordinal(n)
  local open = sub(n, 1, 1) == "(" and 2 or 1
  local p = open
  local numerals = 0
  while true do
    local d = match(n, "^%d+", p)
    if d then p = p + #d; numerals = numerals + 1; break end
    local ch = sub(n, p, p + 2)
    if NUMERAL[ch] then p = p + 3; numerals = numerals + 1 else break end
  end
  if numerals == 0 then return n end
  if open == 2 then
    return sub(n, p, p) == ")" and sub(n, p + 1) or n
  end
  if sub(n, p, p) == "." then return sub(n, p + 1) end
  if sub(n, p, p + 2) == "、" then return sub(n, p + 3) end
  return n
end

-- key(label): what is left to compare once ordinal, punctuation, spaces
-- and confusions are taken out
function M.key(s)
  local n = norm(s)
  n = strip_ordinal(n)
  -- ASCII punctuation, and the Chinese marks (、。，；：“”‘’《》【】…): bytes E3 80 8x, E2 80 9x/A6, EF BC xx
  n = gsub(n, "%p", "")
  n = gsub(n, "\227\128[\128-\191]", "")
  n = gsub(n, "\226\128[\144-\166]", "")
  n = gsub(n, "\239\188[\128-\191]", "")
  return (gsub(n, "[\228-\233][\128-\191][\128-\191]", function(ch) return FOLD[ch] end))
end

-- The labels without their parenthetical ("部分公开（区分处理的，…）" → "部分公开")
local function short(label)
  local s = gsub(gsub(label, "（[^（）]*）$", ""), "%([^()]*%)$", "")
  return s
end

-- index(fmt) → { [key] = { label = official label, table = decl, block = decl, cols = n, data = bool } };
-- a key two rows share is false (matched by no row)
local cache = {}
function M.index(fmt)
  if cache[fmt.id] then return cache[fmt.id] end
  local idx = {}
  local function put(k, e)
    if k == "" then return end
    if idx[k] == nil then idx[k] = e elseif idx[k] and idx[k].label ~= e.label then idx[k] = false end
  end
  for _, t in ipairs(fmt.tables) do
    for _, b in ipairs(t.blocks) do
      local n = 0
      local function leaves(list) for _, c in ipairs(list) do if c.children then leaves(c.children) else n = n + 1 end end end
      leaves(b.columns)
      local function walk(rows)
        for _, r in ipairs(rows) do
          local e = { label = r.label, table = t, block = b, row = r, cols = n, data = r.children == nil or r.data == true }
          for _, l in ipairs({ r.label, table.unpack(r.aliases or {}) }) do put(M.key(l), e) end
          if r.children then walk(r.children) end
        end
      end
      walk(b.rows)
    end
  end
  -- the short forms, where they name one row only
  local shorts = {}
  for _, t in ipairs(fmt.tables) do
    for _, b in ipairs(t.blocks) do
      local function walk(rows)
        for _, r in ipairs(rows) do
          local k = M.key(short(r.label))
          if k ~= M.key(r.label) then shorts[k] = shorts[k] == nil and idx[M.key(r.label)] or false end
          if r.children then walk(r.children) end
        end
      end
      walk(b.rows)
    end
  end
  for k, e in pairs(shorts) do if idx[k] == nil then idx[k] = e end end
  cache[fmt.id] = idx
  return idx
end

-- find(fmt, text) → the index entry of the row text names, or nil
function M.find(fmt, text)
  local e = M.index(fmt)[M.key(text)]
  return e or nil
end

-- rows_between(fmt, before, after, cols) → the rows of data with cols
-- columns that the format puts after entry `before` and before entry
-- `after` (either may be nil: the first table's start, the last one's
-- end): where a row whose label was misread can only be
local order = {}
function M.rows_between(fmt, before, after, cols)
  local list = order[fmt.id]
  if not list then
    list = {}
    for _, t in ipairs(fmt.tables) do
      for _, b in ipairs(t.blocks) do
        local function walk(rows)
          for _, r in ipairs(rows) do
            list[#list + 1] = { table = t, block = b, row = r }
            if r.children then walk(r.children) end
          end
        end
        walk(b.rows)
      end
    end
    order[fmt.id] = list
  end
  local from, to = 0, #list + 1
  for k, x in ipairs(list) do
    if before and x.row == before.row then from = k end
    if after and x.row == after.row then to = k end
  end
  local out = {}
  for k = from + 1, to - 1 do
    local e = M.find(fmt, list[k].row.label)
    if e and e.data and e.cols == cols then out[#out + 1] = e end
  end
  return out
end

return M
