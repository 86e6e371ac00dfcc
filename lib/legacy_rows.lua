-- Rows of the old (≤2018) 政府信息公开情况统计表 read from text where they are
-- not TAB-separated cells: a line "主动公开文件数  条  120  3400" (cells
-- separated by spaces), or a crawled page where they all run together
-- ("指标名称计量单位本年度历年累计主动公开文件数条1203400…").  There was no
-- national table: a row is a label, a unit (the units below) and values as
-- written under the header's value columns.  Used by the text importer and
-- the flattened importer; the words of the old tables live here.
local host = ...

local find, match, gsub, sub = string.find, string.match, string.gsub, string.sub
local concat = table.concat
local trim = host.trim

local M = {}

-- the value columns the old headers print, and which holds a running total
-- of which (a 历年累计 is never less than its 本年度)
M.VALUE_COLUMNS = { "本年度", "历年累计", "本期实际", "本年累计", "上年度", "本期", "累计", "数量", "数值" }
M.CUMULATIVE = { ["历年累计"] = "本年度", ["本年累计"] = "本期实际", ["累计"] = "本期" }
-- units written in the 计量单位 column, longest first
M.UNITS = { "人次", "万元", "千元", "小时", "条", "件", "个", "次", "元", "份", "项", "人", "篇", "天", "期", "场", "家", "页", "期" }
local UNIT = {}
for _, u in ipairs(M.UNITS) do UNIT[u] = true end
M.UNIT = UNIT

-- header(text) → the value columns it names, in order, or nil when text is no header
function M.header(text)
  local t = gsub(text, "%s", "")
  if not (find(t, "指标名称", 1, true) or find(t, "计量单位", 1, true)) then return nil end
  local cols, at = {}, {}
  for _, c in ipairs(M.VALUE_COLUMNS) do
    local p = find(t, c, 1, true)
    -- "累计" inside "历年累计" is not a column of its own
    if p then
      local inside = false
      for _, other in ipairs(M.VALUE_COLUMNS) do
        if other ~= c and #other > #c and find(other, c, 1, true) and find(t, other, 1, true) then inside = true end
      end
      if not inside then cols[#cols + 1] = c; at[c] = p end
    end
  end
  table.sort(cols, function(a, b) return at[a] < at[b] end)
  return cols, find(t, "计量单位", 1, true) ~= nil
end

local function is_value(w)
  local k = host.cell_kind(w)
  return k == "value" or k == "na"
end

-- parse_line(text) → { label =, unit =, values = {…} } for a line of cells
-- separated by spaces ending in at least one value, else nil
function M.parse_line(text)
  local words = {}
  for w in gsub(text, "\227\128\128", " "):gmatch("%S+") do words[#words + 1] = w end
  local values = {}
  while #words > 1 and is_value(words[#words]) do table.insert(values, 1, table.remove(words)) end
  if #values == 0 then return nil end
  local unit
  if #words > 1 and UNIT[words[#words]] then unit = table.remove(words) end
  local label = trim(concat(words, " "))
  if label == "" or is_value(label) then return nil end
  return { label = label, unit = unit, values = values }
end

-- Every way to cut a digit run into n cells (no number starts with 0 but 0;
-- a cumulative column never below the column it adds up), as lists.
local function cuts(run, n, cumulative)
  local out = {}
  local function rec(off, k, cur)
    if #out > 50 then return end
    if k > n then
      if off > #run then out[#out + 1] = { table.unpack(cur) } end
      return
    end
    for e = off, #run do
      local piece = sub(run, off, e)
      if not find(piece, "^0%d") then
        cur[k] = piece
        local ok = true
        for col, of in pairs(cumulative) do
          if k == col and tonumber(piece) < tonumber(cur[of]) then ok = false end
        end
        if ok then rec(e + 1, k + 1, cur) end
      end
      if piece == "0" then break end
    end
  end
  rec(1, 1, {})
  return out
end

-- run_rows(text, cols, has_unit) → rows { label, unit, values, raw, candidates }
-- of a statistics table whose cells ran together.  A row's label runs to its
-- first digit that is no ordinal ("1.政府网站公开数"); its digits then run to
-- the next label.  Values are certain only when white space already cuts
-- the run into as many cells as the header has columns; otherwise (a cell
-- may also have been blank) the row keeps blank values and its candidates.
function M.run_rows(text, cols, has_unit)
  local rows = {}
  local n = math.max(#cols, 1)
  local cumulative = {}
  for k, c in ipairs(cols) do
    for j, d in ipairs(cols) do if M.CUMULATIVE[c] == d then cumulative[k] = j end end
  end
  local pos, len = 1, #text
  while pos <= len do
    -- the label: up to a digit run that is not followed by an ordinal's mark
    local label_end
    local p = pos
    while true do
      local a, b = find(text, "%d+", p)
      if not a then break end
      local after = sub(text, b + 1, b + 3)
      local before = sub(text, a - 3, a - 1)
      -- an ordinal: one or two digits, not right after a unit (values follow a unit)
      local ordinal = b - a < 2 and not (has_unit and UNIT[before]) and
        (find(after, "^[%.%)]") or after == "、" or after == "）" or before == "（" or sub(text, a - 1, a - 1) == "(")
      if ordinal then
        p = b + 1
      else
        label_end = a - 1
        break
      end
    end
    if not label_end then break end
    local label = trim(sub(text, pos, label_end))
    local run_end = (find(text, "[^%d%s%.%-/]", label_end + 1) or len + 1) - 1
    -- the next label's ordinal ("2.政府公报公开数", "3、…") ran into these digits:
    -- it is the ordinal after this row's own (1 when this row has none)
    local ord = tonumber(match(label, "^%D-(%d+)[%.、]") or "0")
    local tail = sub(text, run_end + 1, run_end + 3)
    local dotted = match(sub(text, label_end + 1, run_end), "(%d+)%.$")
    if dotted or tail == "、" then
      local want = tostring(ord + 1)
      local body = dotted and sub(text, label_end + 1, run_end - 1) or sub(text, label_end + 1, run_end)
      if sub(body, -#want) == want and #body > #want then
        run_end = label_end + #body - #want
      end
    end
    local raw = trim(sub(text, label_end + 1, run_end))
    pos = run_end + 1
    local unit
    if has_unit then
      for _, u in ipairs(M.UNITS) do
        if #label > #u and sub(label, -#u) == u then unit = u; label = sub(label, 1, -#u - 1); break end
      end
    end
    label = trim(label)
    local chunks = {}
    for c in raw:gmatch("%S+") do chunks[#chunks + 1] = c end
    local row = { label = label, unit = unit, raw = raw, values = {} }
    if #chunks == n then
      row.values = chunks
    else
      row.candidates = #chunks == 1 and cuts(chunks[1], n, cumulative) or {}
      for k = 1, n do row.values[k] = "" end
    end
    if label ~= "" then rows[#rows + 1] = row end
  end
  return rows
end

return M
