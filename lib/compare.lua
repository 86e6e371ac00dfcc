-- Two stored years of one unit side by side (nianbao compare): every cell of
-- the format's tables with both years' values and the change, large 同比
-- changes marked, each section's text similarity, and a sentence diff of the
-- section the format says must not repeat year after year (五、存在的主要问题
-- 及改进情况: the section of its `text_similar` rule, TXT-DUP).
--
--   compare.run(a, b, opts) → text (Chinese) or JSON (opts.json)
--     a, b: report tables (year Y1, year Y2); opts = { unit =, json = }
--
-- The measures, here and nowhere else:
--   * LARGE: a cell is marked when both years are numbers, the larger is at
--     least LARGE.min_cases, and it grew or fell by LARGE.factor or more
--     (×3 or ÷3; from or to 0 counts as a factor without bound).
--   * Similarity: the Dice coefficient of the texts' character bigrams,
--     2·|A∩B| / (|A| + |B|) over bigram multisets, white space (ASCII and
--     U+3000) removed first; 1 = the same text, 0 = no pair of characters in
--     common; none when both texts are empty.
--   * Sentences (the diff): the text split after 。！？； and at line
--     breaks, each trimmed, compared by host.norm; a sentence written twice
--     counts once.
-- Cells are addressed by the ids of year Y2's format; a cell year Y1's
-- format does not have is blank there (the ids are kept across formats).
local host = ...

local M = {}
local format, gsub, find, sub = string.format, string.gsub, string.find, string.sub

M.LARGE = { factor = 3, min_cases = 10 }

-- a cell as written → number, or nil (blank, "/", text)
local FULL = { ["０"] = "0", ["１"] = "1", ["２"] = "2", ["３"] = "3", ["４"] = "4", ["５"] = "5",
               ["６"] = "6", ["７"] = "7", ["８"] = "8", ["９"] = "9", ["．"] = ".", ["－"] = "-" }
local function number(s)
  if type(s) ~= "string" then return nil end
  s = gsub(s, utf8.charpattern, function(ch) return FULL[ch] or (ch == "，" and "" or ch) end)
  s = gsub(s, "[%s,]", "")
  if not find(s, "^%-?%d+%.?%d*$") then return nil end
  return tonumber(s)
end
M.number = number

-- the leaf columns of a header tree with their label paths
local function leaves(cols, path, out)
  for _, c in ipairs(cols) do
    local p = path
    if c.label then p = path and (path .. "·" .. c.label) or c.label end
    if c.children then leaves(c.children, p, out) else out[#out + 1] = { id = c.id, label = p or c.id } end
  end
  return out
end

local function columns_of(block)
  local cols = block.columns
  -- one heading over every column (申请人情况) says nothing of each
  if #cols == 1 and cols[1].children then return leaves(cols[1].children, nil, {}) end
  return leaves(cols, nil, {})
end

local function data_rows(rows, out)
  for _, r in ipairs(rows) do
    if r.children == nil or r.data == true then out[#out + 1] = r end
    if r.children then data_rows(r.children, out) end
  end
  return out
end

local function is_large(v1, v2)
  if not (v1 and v2) or v1 == v2 then return false end
  local hi, lo = math.max(v1, v2), math.min(v1, v2)
  if hi < M.LARGE.min_cases then return false end
  return lo <= 0 or hi / lo >= M.LARGE.factor
end

local function cells(a, b, fmt)
  local out = {}
  for _, t in ipairs(fmt.tables or {}) do
    local ta, tb = a.tables and a.tables[t.id] or {}, b.tables and b.tables[t.id] or {}
    for _, block in ipairs(t.blocks) do
      local cols = columns_of(block)
      for _, r in ipairs(data_rows(block.rows, {})) do
        for _, c in ipairs(cols) do
          local s1, s2 = (ta[r.id] or {})[c.id], (tb[r.id] or {})[c.id]
          local v1, v2 = number(s1), number(s2)
          out[#out + 1] = {
            table = t.id, row = r.id, col = c.id,
            table_label = t.label, row_label = r.label or r.id, col_label = c.label,
            y1 = s1, y2 = s2, v1 = v1, v2 = v2,
            change = (v1 and v2) and (v2 - v1) or nil,
            large = is_large(v1, v2),
          }
        end
      end
    end
  end
  return out
end

-- characters of s without white space
local function chars(s)
  local out = {}
  for _, cp in utf8.codes(s or "") do
    if not (cp == 32 or (cp >= 9 and cp <= 13) or cp == 0x3000) then out[#out + 1] = cp end
  end
  return out
end

-- similarity, and the bigrams in common, in x and in y
function M.dice(x, y)
  local cx, cy = chars(x), chars(y)
  local nx, ny = math.max(#cx - 1, 0), math.max(#cy - 1, 0)
  if nx + ny == 0 then
    if #cx == 0 and #cy == 0 then return nil, 0, 0, 0 end
    return (#cx == #cy and cx[1] == cy[1]) and 1 or 0, 0, nx, ny
  end
  local bag = {}
  for i = 1, nx do local g = cx[i] .. ":" .. cx[i + 1]; bag[g] = (bag[g] or 0) + 1 end
  local common = 0
  for i = 1, ny do
    local g = cy[i] .. ":" .. cy[i + 1]
    if (bag[g] or 0) > 0 then bag[g] = bag[g] - 1; common = common + 1 end
  end
  return 2 * common / (nx + ny), common, nx, ny
end

local function round4(x) return x and tonumber(format("%.4f", x)) or nil end

-- sections paired by their normalised heading, in Y2's order, then Y1's others
local function sections(a, b)
  local out, by = {}, {}
  local function add(s, which)
    local key = host.norm(s.heading or "")
    local e = by[key]
    if not e then
      e = { heading = s.heading or "", level = s.level or 1 }
      by[key] = e
      out[#out + 1] = e
    end
    if e[which] == nil then e[which] = s.text or "" end
  end
  for _, s in ipairs(b.sections or {}) do add(s, "t2") end
  for _, s in ipairs(a.sections or {}) do add(s, "t1") end
  local kept = {}
  for _, e in ipairs(out) do
    if (e.t1 or "") ~= "" or (e.t2 or "") ~= "" then
      local sim
      sim, e.common, e.bigrams1, e.bigrams2 = M.dice(e.t1 or "", e.t2 or "")
      e.similarity = round4(sim)
      e.chars1, e.chars2 = #chars(e.t1), #chars(e.t2)
      kept[#kept + 1] = e
    end
  end
  return kept
end

-- the format's section that must not repeat: its text_similar rule's
local function repeat_section(fmt)
  for _, r in ipairs(fmt.rules or {}) do
    if r.kind == "text_similar" and r.section then
      for _, s in ipairs(fmt.sections or {}) do
        if s.id == r.section then return s end
      end
    end
  end
  return nil
end

-- the text of section s in report: its level-1 heading's text and every
-- sub-section's up to the next level-1 heading
local function section_text(report, s)
  local parts, inside = {}, false
  for _, sec in ipairs(report.sections or {}) do
    local level = sec.level or 1
    if level <= 1 then
      inside = true
      local h = host.norm(sec.heading or "")
      for _, w in ipairs(s.match or {}) do
        if not find(h, host.norm(w), 1, true) then inside = false; break end
      end
    end
    if inside and (sec.text or "") ~= "" then parts[#parts + 1] = sec.text end
  end
  return table.concat(parts, "\n")
end

function M.sentences(text)
  local out, seen = {}, {}
  text = text or ""
  for _, p in ipairs({ "。", "！", "？", "；" }) do text = gsub(text, p, p .. "\n") end
  for _, line in ipairs(host.lines(text)) do
    local s = host.trim(line)
    local key = host.norm(s)
    if s ~= "" and not seen[key] then seen[key] = true; out[#out + 1] = { text = s, key = key } end
  end
  return out
end

local function diff(a, b, s)
  local s1, s2 = M.sentences(section_text(a, s)), M.sentences(section_text(b, s))
  local in1, in2 = {}, {}
  for _, x in ipairs(s1) do in1[x.key] = true end
  for _, x in ipairs(s2) do in2[x.key] = true end
  local d = { section = s.label, id = s.id, shared = {}, only_y1 = {}, only_y2 = {} }
  for _, x in ipairs(s2) do
    local list = in1[x.key] and d.shared or d.only_y2
    list[#list + 1] = x.text
  end
  for _, x in ipairs(s1) do
    if not in2[x.key] then d.only_y1[#d.only_y1 + 1] = x.text end
  end
  return d
end

local function num_text(v)
  if v == math.floor(v) and math.abs(v) < 1e15 then return format("%d", v) end
  return (gsub(format("%.6f", v), "0+$", ""))
end

local function pct(x) return x and format("%.1f%%", x * 100) or "—" end

local function text_out(res)
  local y1, y2 = res.years[1], res.years[2]
  local out = {}
  local function put(...) out[#out + 1] = format(...) end
  put("%s %d 年与 %d 年报告对比（格式：%d 年 %s，%d 年 %s）", res.unit, y1, y2, y1, res.formats[1], y2,
      res.formats[2])
  put("")
  put("一、表格：共 %d 格，%d 格有变化，%d 格同比变化大（标 ※：两年中较大的数不少于 %d，且增减到 %d 倍以上或 %d 分之一以下，含由 0 变多、由多变 0）",
      res.summary.cells, res.summary.changed, res.summary.large, M.LARGE.min_cases, M.LARGE.factor, M.LARGE.factor)
  local last
  for _, c in ipairs(res.cells) do
    if c.table_label ~= last then
      last = c.table_label
      put("%s", last)
      put("  %s\t%d 年\t%d 年\t变化", "行 · 列", y1, y2)
    end
    local ch = "—"
    if c.change then
      ch = c.change > 0 and ("+" .. num_text(c.change)) or num_text(c.change)
      if c.v1 ~= 0 and c.v2 ~= 0 and c.change ~= 0 then ch = ch .. format("（%.1f 倍）", c.v2 / c.v1) end
    elseif (c.y1 or "") ~= (c.y2 or "") then
      ch = "不可比"
    end
    put("  %s · %s\t%s\t%s\t%s%s", c.row_label, c.col_label, c.y1 or "（空白）", c.y2 or "（空白）", ch,
        c.large and "\t※" or "")
  end
  put("")
  put("二、各部分文字相似度（字的二元组 Dice 系数：100%% 为相同，0%% 为没有一处相邻两字相同）")
  for _, s in ipairs(res.sections) do
    put("  %s\t%s\t（%d 年 %d 字，%d 年 %d 字）", s.heading, pct(s.similarity), y1, s.chars1, y2, s.chars2)
  end
  local d = res.problems
  if d then
    put("")
    put("三、%s 逐句对比：两年相同 %d 句，仅 %d 年 %d 句，仅 %d 年 %d 句", d.section, #d.shared, y1, #d.only_y1, y2,
        #d.only_y2)
    for _, s in ipairs(d.shared) do put("  = %s", s) end
    for _, s in ipairs(d.only_y1) do put("  - [%d] %s", y1, s) end
    for _, s in ipairs(d.only_y2) do put("  + [%d] %s", y2, s) end
  end
  return table.concat(out, "\n") .. "\n"
end

-- JSON written here (host.json_encode writes whole numbers only and an
-- empty table as {}): keys sorted, ARRAY-marked tables as arrays
local ARRAY, NULL = {}, {}
local function arr(t) return setmetatable(t, ARRAY) end
local ESC = { ['"'] = '\\"', ["\\"] = "\\\\", ["\n"] = "\\n", ["\r"] = "\\r", ["\t"] = "\\t" }
local function enc(v, out)
  local t = type(v)
  if v == nil or v == NULL then out[#out + 1] = "null"
  elseif t == "boolean" then out[#out + 1] = tostring(v)
  elseif t == "number" then
    out[#out + 1] = math.type(v) == "integer" and format("%d", v) or num_text(v)
  elseif t == "string" then
    out[#out + 1] = '"' .. gsub(v, '[%c"\\]', function(ch) return ESC[ch] or format("\\u%04x", ch:byte()) end) .. '"'
  elseif getmetatable(v) == ARRAY then
    out[#out + 1] = "["
    for i, x in ipairs(v) do
      if i > 1 then out[#out + 1] = "," end
      enc(x, out)
    end
    out[#out + 1] = "]"
  else
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys)
    out[#out + 1] = "{"
    for i, k in ipairs(keys) do
      if i > 1 then out[#out + 1] = "," end
      enc(k, out); out[#out + 1] = ":"
      enc(v[k], out)
    end
    out[#out + 1] = "}"
  end
end

local function json_out(res)
  local cells = arr({})
  for i, c in ipairs(res.cells) do
    cells[i] = { table = c.table, row = c.row, col = c.col, table_label = c.table_label, row_label = c.row_label,
                 col_label = c.col_label, y1 = c.y1 or NULL, y2 = c.y2 or NULL,
                 change = c.change and num_text(c.change) or NULL, large = c.large }
  end
  local secs = arr({})
  for i, s in ipairs(res.sections) do
    secs[i] = { heading = s.heading, level = s.level, similarity = s.similarity or NULL, chars_y1 = s.chars1,
                chars_y2 = s.chars2, bigrams_common = s.common, bigrams_y1 = s.bigrams1, bigrams_y2 = s.bigrams2 }
  end
  local d = res.problems
  local doc = {
    unit = res.unit, years = arr({ res.years[1], res.years[2] }), formats = arr({ res.formats[1], res.formats[2] }),
    thresholds = { factor = M.LARGE.factor, min_cases = M.LARGE.min_cases, similarity = "bigram-dice" },
    summary = res.summary, cells = cells, sections = secs,
    problems = d and { section = d.section, id = d.id, shared = arr(d.shared), only_y1 = arr(d.only_y1),
                       only_y2 = arr(d.only_y2) } or NULL,
  }
  local out = {}
  enc(doc, out)
  return table.concat(out) .. "\n"
end

function M.run(a, b, opts)
  local fmt = host.format_decl(b.format) or host.format_decl(a.format)
  local res = { unit = opts.unit, years = { opts.y1, opts.y2 }, formats = { a.format or "", b.format or "" } }
  res.cells = cells(a, b, fmt)
  local changed, large = 0, 0
  for _, c in ipairs(res.cells) do
    if (c.change and c.change ~= 0) or (not c.change and (c.y1 or "") ~= (c.y2 or "")) then changed = changed + 1 end
    if c.large then large = large + 1 end
  end
  res.summary = { cells = #res.cells, changed = changed, large = large }
  res.sections = sections(a, b)
  local s = repeat_section(fmt)
  res.problems = s and diff(a, b, s) or nil
  return opts.json and json_out(res) or text_out(res)
end

return M
