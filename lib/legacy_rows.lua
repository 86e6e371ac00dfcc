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

-- M.read_line(report, it, t, st): a line t (item it) of the old 统计表 whose
-- cells are separated by spaces, into report.statistics: its header, a row
-- "主动公开文件数 条 120 3400", a group label "一、主动公开情况" (its ordinal
-- not after the 统计表's own); a line with digits that is none of these is
-- said (IMPORT-AMBIGUOUS), not silently dropped.  st: the table's state
-- (st.header, st.ncols, st.numeral).  Returns true when the line was the
-- table's.
local NUMERAL_ORDER = {}
for k, c in ipairs({ "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" }) do NUMERAL_ORDER[c] = k end
function M.read_line(report, it, t, st)
  if t == "" then return false end
  if not st.header then
    local cols = M.header(t)
    if not cols then return false end
    st.header, st.ncols = true, #cols
    -- kept as the table's first row, as a header of cells is
    local words = {}
    for w in gsub(t, "\227\128\128", " "):gmatch("%S+") do words[#words + 1] = w end
    report.statistics = report.statistics or {}
    report.statistics[#report.statistics + 1] = { label = words[1], unit = words[2], values = { table.unpack(words, 3) },
      line = it.line }
    return true
  end
  local row = M.parse_line(t)
  if row and st.ncols > 0 and #row.values ~= st.ncols then
    -- a blank cell leaves no trace between spaces: which column a number is in is unknown
    report.notes = report.notes or {}
    report.notes[#report.notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "warning", line = it.line,
      actual = concat(row.values, " "),
      message = string.format("统计表“%s”写有%d个数（%s），表头有%d栏：以空格分隔时看不出哪一栏空白，数值留空，请对照原报告填写",
        row.label, #row.values, concat(row.values, " "), st.ncols) }
    row.values = {}
    for k = 1, st.ncols do row.values[k] = "" end
  end
  if not row then
    local numeral = match(t, "^(.-)、")
    local order = numeral and NUMERAL_ORDER[numeral]
    if order and st.numeral and NUMERAL_ORDER[st.numeral] and order <= NUMERAL_ORDER[st.numeral] and utf8.len(t) <= 30 then
      row = { label = t, values = {} } -- a group label inside the table
    elseif find(t, "%d") and utf8.len(t) <= 60 then
      report.notes = report.notes or {}
      report.notes[#report.notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "warning", line = it.line, actual = t,
        message = "统计表中这一行读不成“指标 计量单位 数值”，未计入统计表（原文留在正文中）：请对照原报告核对" }
      return false
    else
      return false
    end
  end
  row.line = it.line
  report.statistics = report.statistics or {}
  report.statistics[#report.statistics + 1] = row
  return true
end

return M
