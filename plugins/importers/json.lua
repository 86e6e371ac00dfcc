--: importer json
--: extensions json
-- Importer for nianbao's canonical JSON (docs/report-json.md): the exact
-- form the json renderer writes, so json → report → json is byte-identical.
local host = ...

-- a JSON null where an object or array may stand is the same as none
local function opt(v) if v == host.null then return nil end return v end

-- the byte where "key": first stands after byte `from`, or nil
local function key_at(text, key, from)
  return (text:find('"' .. tostring(key):gsub("%p", "%%%0") .. '"%s*:', from or 1))
end

-- where "key": first stands after byte `from`, for messages: its byte and its line (0 when absent)
local function find_key(text, key, from)
  local at = key_at(text, key, from)
  if not at then return from, 0 end
  local _, n = text:sub(1, at):gsub("\n", "")
  return at, n + 1
end
local function line_of(text, key, from) return select(2, find_key(text, key, from)) end

-- where a table and a row of tables stand, looked for only for a message:
-- a search for every row costs a pass over the text each
local function table_pos(text, tid)
  local at = key_at(text, "tables")
  return key_at(text, tid, at) or at
end
local function row_pos(text, tid, rid) return key_at(text, rid, table_pos(text, tid)) or table_pos(text, tid) end
local function row_line(text, tid, rid) return select(2, find_key(text, rid, table_pos(text, tid))) end
-- a function giving a cell's line, made only when the cell is wrong (a
-- closure made for every cell was most of the walk over the tables)
local function cell_line(text, tid, rid, cid)
  return function() return line_of(text, cid, row_pos(text, tid, rid)) end
end

local META_TEXT = { title = true, agency = true, published = true, address = true, phone = true, postcode = true }
local META_YEAR = { year = true, title_year = true, period_year = true }
-- the lists of entries a document may hold besides its tables, and their
-- fields: text (strings: an array of texts), needed or null
local ENTRY_LISTS = {
  { key = "statistics", shape = "{label, unit, values}", fields = {
    { key = "label", needed = true }, { key = "unit" }, { key = "values", strings = true } } },
  { key = "marks", shape = "{label, format, values}", fields = {
    { key = "label", needed = true }, { key = "format", needed = true }, { key = "values" } } },
}

-- the ids of a format's tables, their rows and each row's columns:
-- known[table][row][column] = true; made once per format
local known_cache = {}
local function known_ids(fmt)
  local known = known_cache[fmt.id]
  if known then return known end
  known = {}
  for _, t in ipairs(fmt.tables) do
    local rows = {}
    known[t.id] = rows
    for _, b in ipairs(t.blocks) do
      local cols = {}
      local function leaves(c) if c.children then for _, k in ipairs(c.children) do leaves(k) end else cols[c.id] = true end end
      for _, c in ipairs(b.columns) do leaves(c) end
      local function walk(r) rows[r.id] = cols for _, k in ipairs(r.children or {}) do walk(k) end end
      for _, r in ipairs(b.rows) do walk(r) end
    end
  end
  known_cache[fmt.id] = known
  return known
end

-- an object's keys in sorted order (by their text): the same every run
local function sorted_pairs(t)
  local keys = {}
  for k in pairs(t) do keys[#keys + 1] = k end
  table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
  local i = 0
  return function()
    i = i + 1
    local k = keys[i]
    if k ~= nil then return k, t[k] end
  end
end

-- what the JSON holds is input: a value of the wrong kind is an input error
-- with its line.  `each` walks an object: pairs, whose order changes from
-- run to run, and when that walk met an error, sorted_pairs again, raising
-- the first met, so that the same file always gets the same message.
-- `fail(line, msg)` is told of each error, its line a function (found only
-- for the message).
local function walk_doc(doc, text, forced, each, fail)
  local function bad(key, msg) fail(function() return line_of(text, key) end, msg) end
  for k, v in each(type(doc.meta) == "table" and doc.meta or {}) do
    if v == host.null then -- absent
    elseif META_YEAR[k] then
      if math.type(v) ~= "integer" or v < 1000 or v > 9999 then
        bad(k, string.format("meta.%s 应为四位整数年份，这里是 %s", k, tostring(v)))
      end
    elseif not META_TEXT[k] then
      bad(k, string.format("meta 中没有“%s”这一项（见 docs/report-json.md）", tostring(k)))
    elseif type(v) ~= "string" then
      bad(k, string.format("meta.%s 应为文字（字符串）", k))
    elseif #v > host.meta_max_bytes then
      bad(k, string.format("meta.%s 长 %d 字节，超过 %d 字节，不像是这一项的内容：请改正这一项", k, #v, host.meta_max_bytes))
    end
  end
  if doc.meta ~= nil and doc.meta ~= host.null and type(doc.meta) ~= "table" then bad("meta", "meta 应为对象") end
  for i, s in ipairs(type(doc.sections) == "table" and doc.sections or {}) do
    if type(s) == "table" and (math.type(s.level) ~= "integer" or s.level < 1 or s.level > 9) then
      bad("level", "sections[" .. i .. "] 的 level 应为 1 至 9 的整数")
    end
    if type(s) == "table" and s.text ~= nil and s.text ~= host.null and type(s.text) ~= "string" then
      bad("text", "sections[" .. i .. "] 的 text 应为文字（字符串）")
    end
  end
  if doc.preamble ~= nil and doc.preamble ~= host.null and type(doc.preamble) ~= "string" then
    bad("preamble", "preamble 应为文字（字符串）")
  end
  if opt(doc.sections) ~= nil and type(doc.sections) ~= "table" then bad("sections", "sections 应为数组（每节一个对象）") end
  -- statistics and marks: arrays of objects with the fields the report takes
  for _, list in ipairs(ENTRY_LISTS) do
    local entries = opt(doc[list.key])
    if entries ~= nil and type(entries) ~= "table" then bad(list.key, list.key .. " 应为数组") end
    for i, e in ipairs(type(entries) == "table" and entries or {}) do
      local at = list.key .. "[" .. i .. "]"
      if type(e) ~= "table" then
        bad(list.key, at .. " 应为对象 " .. list.shape)
      else
        for _, f in ipairs(list.fields) do
          local v = e[f.key]
          if v == nil or v == host.null then
            if f.needed then bad(list.key, at .. " 缺少 " .. f.key) end
          elseif f.strings then
            local ok = type(v) == "table"
            for _, x in ipairs(ok and v or {}) do ok = ok and type(x) == "string" end
            if not ok then bad(f.key, at .. " 的 " .. f.key .. " 应为文字（字符串）的数组") end
          elseif type(v) ~= "string" then
            bad(f.key, at .. " 的 " .. f.key .. " 应为文字（字符串）")
          end
        end
      end
    end
  end
  local fmt = type(doc.format) == "string" and host.format_decl(doc.format)
  if doc.format ~= nil and not fmt then bad("format", "没有“" .. tostring(doc.format) .. "”这一格式（nianbao formats 列出已有格式）") end
  -- the format the report will be read in (--format, else the one of its
  -- year when it names none): its tables are checked here too, so that a
  -- wrong id is the input's error, not the importer's
  local fid = forced or (fmt and doc.format)
  if not fid and type(doc.meta) == "table" and math.type(doc.meta.year) == "integer" then
    fid = host.format_for_year(doc.meta.year)
  end
  fmt = fid and host.format_decl(fid) or fmt
  local tables = doc.tables
  if tables == nil or tables == host.null then return fid end
  if type(tables) ~= "table" then return bad("tables", "tables 应为对象") end
  local known = fmt and known_ids(fmt) or {}
  local null = host.null
  for tid, rows in each(tables) do
    if fmt and not known[tid] then bad(tid, "格式 " .. tostring(fid) .. " 没有表“" .. tostring(tid) .. "”") end
    if type(rows) ~= "table" then bad(tid, "tables." .. tostring(tid) .. " 应为对象") end
    local krows = fmt and known[tid]
    for rid, cells in each(type(rows) == "table" and rows or {}) do
      local kcols = krows and krows[rid]
      local function row_at() return row_line(text, tid, rid) end
      if krows and not kcols then fail(row_at, "表“" .. tid .. "”没有“" .. tostring(rid) .. "”这一行") end
      if type(cells) ~= "table" then fail(row_at, tid .. "." .. tostring(rid) .. " 应为对象") end
      -- one pass over the cells: checked, and a null (blank) taken out
      -- where it stands (clearing a field during pairs is allowed)
      for cid, v in each(type(cells) == "table" and cells or {}) do
        if kcols and not kcols[cid] then
          fail(cell_line(text, tid, rid, cid), tid .. "." .. rid .. " 没有“" .. tostring(cid) .. "”这一栏")
        end
        if v == null then
          cells[cid] = nil
        elseif type(v) ~= "string" then
          fail(cell_line(text, tid, rid, cid), tid .. "." .. rid .. "." .. cid .. " 应写作字符串（如 \"12\"），空白写 null")
        end
      end
    end
  end
end

-- raises the document's first error; else gives the format it is read in (if it had no tables or they were checked)
local function check_doc(doc, text, forced)
  local failed = false
  local fid = walk_doc(doc, text, forced, pairs, function() failed = true end)
  if failed then walk_doc(doc, text, forced, sorted_pairs, function(line, msg) host.input_error(line(), msg) end) end
  return fid
end

local function import(src)
  local doc, json = host.json_decode(src.text, "tables") -- the document but its tables; the text they stay in
  if type(doc) ~= "table" or doc.nianbao_report ~= 1 then
    host.input_error(1, "不是 nianbao 报告 JSON：缺少 \"nianbao_report\": 1（见 docs/report-json.md）")
  end
  -- every error outside the tables comes before any in them
  local fid = check_doc(doc, src.text, src.format)
  -- the cells go to the model in a bundle, unless there is something in
  -- the tables to say (or the report is read in a format other than the
  -- one checked): then they are read here, checked and their error told
  local cells = fid ~= nil and fid == (src.format or doc.format) and host.json_cells(json, fid)
  if not cells then
    doc.tables = host.json_apart(json)
    check_doc(doc, src.text, src.format)
  end
  local report = {
    format = src.format or doc.format,
    meta = {},
    preamble = doc.preamble ~= host.null and doc.preamble or nil,
    sections = {},
    tables = {},
    tables_only = doc.tables_only == true or nil,
  }
  for k, v in pairs(opt(doc.meta) or {}) do
    if v ~= host.null then report.meta[k] = v end
  end
  for i, s in ipairs(opt(doc.sections) or {}) do
    if type(s) ~= "table" or type(s.heading) ~= "string" or type(s.level) ~= "number" then
      host.input_error(0, "sections[" .. i .. "] 应有 heading（文字）和 level（数字）")
    end
    report.sections[i] = { heading = s.heading, level = s.level, text = s.text ~= host.null and s.text or nil }
  end
  -- the decoded tables are the report's (check_doc took their nulls out)
  report.tables = opt(doc.tables) or report.tables
  report.cells = cells or nil
  for i, row in ipairs(type(doc.statistics) == "table" and doc.statistics or {}) do
    report.statistics = report.statistics or {}
    report.statistics[i] = { label = row.label, unit = row.unit ~= host.null and row.unit or nil,
                             values = row.values ~= host.null and row.values or nil }
  end
  for i, m in ipairs(type(doc.marks) == "table" and doc.marks or {}) do
    report.marks = report.marks or {}
    report.marks[i] = { label = m.label, format = m.format, values = m.values ~= host.null and m.values or nil }
  end
  return report
end

host.importer {
  id = "json",
  description = "nianbao 报告 JSON（--to json 写出的标准形式）",
  extensions = { "json" },
  detect = function(head) return head:find('"nianbao_report"', 1, true) ~= nil end,
  import = import,
}
