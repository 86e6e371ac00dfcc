#!/usr/bin/env lua5.4
-- Writes random variations of published report texts, for differential
-- tests of the text importer (tests/cases/text_place.sh): each is one of the
-- given texts with a few lines deleted, repeated, swapped, blanked or
-- rewritten — with labels of every format's rows, marks, headings, numbers
-- in several notations, bookmarks, 发布日期 lines — some first rewritten
-- with their table rows TAB-separated.  Rows then repeat (also after a
-- label was written in a value's place), lose or gain cells, carry other
-- formats' labels or move to other tables: the cases where the importer's C
-- placement must leave a row to the Lua code.
--
-- usage: lua5.4 tests/text_variants.lua SEED COUNT OUTDIR FORMAT_FILES... -- TEXT_FILES...
--   writes OUTDIR/v00001.txt …; FORMAT_FILES are format plugins whose
--   quoted labels are used as pieces.
local seed, count, outdir = tonumber(arg[1]), tonumber(arg[2]), arg[3]
local format_files, texts, i = {}, {}, 4
while arg[i] and arg[i] ~= "--" do format_files[#format_files + 1] = arg[i]; i = i + 1 end
for k = i + 1, #arg do texts[#texts + 1] = arg[k] end
if not seed or not count or not outdir or #texts == 0 then
  io.stderr:write("usage: lua5.4 tests/text_variants.lua SEED COUNT OUTDIR FORMAT_FILES... -- TEXT_FILES...\n")
  os.exit(2)
end
math.randomseed(seed)
local random = math.random

local function read(path)
  local f = assert(io.open(path, "rb"))
  local s = f:read("a")
  f:close()
  return s
end

local PIECES = { "0", "12", "３", "１２", "1,234", "-15", "12万元", "0.5", "/", "—", "", " ", "　", "十",
  "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况",
  "五、存在的主要问题及改进情况", "（一）主动公开", "[bookmark: _GoBack]", "信息内容", "合计", "总计", "其他",
  "指标名称", "计量单位", "本年度", "历年累计", "案件数量", "第二十条第（一）项", "短行" }
for _, path in ipairs(format_files) do
  for label in read(path):gmatch('"([^"\n]+)"') do
    if label:find("[\128-\255]") then PIECES[#PIECES + 1] = label end
  end
end

local function lines_of(text)
  local lines = {}
  for l in (text:gsub("\r\n", "\n") .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = l end
  return lines
end

-- the rows of a one-cell-a-line text (tab-indented lines up to a blank
-- line) joined into TAB-separated lines
local function as_tsv(lines)
  local out, row = {}, nil
  for _, l in ipairs(lines) do
    local cell = l:match("^\t+(.*)$")
    if cell then
      if row then row[#row + 1] = cell else row = { cell } end
    else
      if row then out[#out + 1] = table.concat(row, "\t"); row = nil end
      out[#out + 1] = l
    end
  end
  if row then out[#out + 1] = table.concat(row, "\t") end
  return out
end

local function piece()
  local p = PIECES[random(#PIECES)]
  if random() < 0.15 then p = p .. PIECES[random(#PIECES)] end
  if random() < 0.05 then p = " " .. p .. "　" end
  return p
end

-- a line to change: mostly one of the table's
local function pick(lines)
  if random() < 0.75 then
    for _ = 1, 20 do
      local k = random(#lines)
      if lines[k]:find("\t") then return k end
    end
  end
  return random(#lines)
end

-- headings near the lengths where the importer stops taking a line for one
local HEADINGS = { "（二）" .. string.rep("政", 27), "（二）" .. string.rep("政", 28), "（二）" .. string.rep("政", 29),
  "一、" .. string.rep("收到申请", 9) .. "收", "一、" .. string.rep("收到申请", 9) .. "收到", "十、" .. string.rep("问题改进", 10) }
local DATES = { "发布日期：2023-01-05", "发布日期: 2023-01-05 ", "发布日期:　2023年1月5日", "发布日期：", "发布日期 2023" }

local function mutate(lines)
  local k = pick(lines)
  local what = random(12)
  if what == 1 then
    table.remove(lines, k)
  elseif what == 2 then -- repeat a run of lines (often a whole row)
    local e = math.min(k + random(0, 9), #lines)
    for j = e, k, -1 do table.insert(lines, e + 1, lines[j]) end
  elseif what == 3 then
    lines[k] = (lines[k]:match("^\t*") or "") .. piece()
  elseif what == 4 then
    table.insert(lines, k, string.rep("\t", random(0, 2)) .. piece())
  elseif what == 5 and k < #lines then
    lines[k], lines[k + 1] = lines[k + 1], lines[k]
  elseif what == 6 then
    lines[k] = ""
  elseif what == 7 then -- a cell more or fewer on a TAB-separated row
    if lines[k]:find("[^\t]\t") and random() < 0.5 then
      lines[k] = lines[k]:gsub("\t[^\t]*$", "", 1)
    else
      lines[k] = lines[k] .. "\t" .. piece()
    end
  elseif what == 9 then -- a cell turned into a label, and the lines around repeated after
    local from, to = math.max(1, k - random(0, 8)), math.min(#lines, k + random(0, 8))
    local copy = {}
    for j = from, to do copy[#copy + 1] = lines[j] end
    lines[k] = (lines[k]:match("^\t*") or "") .. PIECES[random(#PIECES)]
    for j = #copy, 1, -1 do table.insert(lines, to + 1, copy[j]) end
  elseif what == 10 then -- a date line in the preamble
    table.insert(lines, math.min(#lines, random(2, 4)), DATES[random(#DATES)])
  elseif what == 11 then -- a long heading, or nearly one
    table.insert(lines, k, HEADINGS[random(#HEADINGS)])
  elseif what == 12 then -- a row of blank cells (one cell a line), as a table's row count of them or not
    local n = ({ 1, 3, 15, random(1, 20) })[random(4)]
    table.insert(lines, k, "")
    for _ = 1, n do table.insert(lines, k, "\t") end
    table.insert(lines, k, "")
  else
    lines[k] = lines[k] .. piece()
  end
end

local sources = {}
for k, path in ipairs(texts) do sources[k] = lines_of(read(path)) end
for n = 1, count do
  local lines = {}
  for k, l in ipairs(sources[random(#sources)]) do lines[k] = l end
  if random() < 0.2 then lines = as_tsv(lines) end
  for _ = 1, random(1, 4) do
    if #lines > 0 then mutate(lines) end
  end
  local f = assert(io.open(string.format("%s/v%05d.txt", outdir, n), "wb"))
  f:write(table.concat(lines, "\n"), "\n")
  f:close()
end
