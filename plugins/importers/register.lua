--: importer register
--: extensions csv sqlite sqlite3 db
-- Importer for the application register (依申请公开登记台账) an office keeps
-- all year: one row per application — received date, applicant type, final
-- result, closing date (empty while open) — as CSV or as a table of an SQLite
-- database.  It computes table 三 for the report year (--year): 新收
-- (received in the year), 上年结转 (received before it and still open on
-- 1 January), results by category for those closed in the year, 结转下年度
-- (open on 31 December).  Column names and the office's own wordings come
-- from templates/register-map.lua, which an office overrides with its own
-- copy.  A row that cannot be read (an impossible date) stops the import;
-- wordings it does not know (an applicant type, a result) are gathered over
-- the whole register and listed together, each with its lines; a row that is readable but cannot be counted (no result
-- for a closed application) is listed as an error finding with its line.
local host = ...

local norm, input_error = host.norm, host.input_error
local match, gsub, format = string.match, string.gsub, string.format

local MAP_NAME = "register-map.lua"

-- read and run once per process (it was most of a small register's import:
-- fuzz_register_csv); a map that fails is read again next time, to say why
local loaded_map
local function load_map()
  if loaded_map then return loaded_map end
  local text = host.template(MAP_NAME)
  local chunk, why = load(text, "=" .. MAP_NAME, "t", {})
  if not chunk then error(MAP_NAME .. " 有语法错误：" .. why, 0) end
  local ok, map = pcall(chunk)
  if not ok or type(map) ~= "table" or type(map.columns) ~= "table" then
    error(MAP_NAME .. " 应返回一个表，含 columns、applicants、results（见 docs/importers.md）", 0)
  end
  loaded_map = map
  return map
end

-- wording → id, built from the official labels and the map; the map's
-- wordings win over the official forms, and one given for two ids is a
-- mistake in the map
local function wordings(official, extra, what)
  local out, clash, explicit = {}, {}, {}
  for id, labels in pairs(official) do
    for _, l in ipairs(labels) do
      local n = norm(l)
      if out[n] and out[n] ~= id then clash[n] = true end
      out[n] = id
    end
  end
  for n in pairs(clash) do out[n] = nil end
  for id, list in pairs(extra or {}) do
    if official[id] then
      for _, w in ipairs(list) do
        local n = norm(w)
        if explicit[n] and explicit[n] ~= id then
          error(format("%s：%s“%s”同时对应了 %s 和 %s", MAP_NAME, what, w, explicit[n], id), 0)
        end
        explicit[n], out[n] = id, id
      end
    end
  end
  return out
end

-- the official label, its text without the numbering, and without a note in brackets
local function label_forms(label)
  local bare = gsub(gsub(label, "^（[一二三四五六七八九十]+）", ""), "^%d+%.", "")
  local short = gsub(bare, "（.*）$", "")
  return { label, bare, short }
end

local function table_three(fmt)
  for _, t in ipairs(fmt.tables) do
    if t.id == "t3" then return t end
  end
  input_error(0, "格式 " .. fmt.id .. " 没有表三，无法从登记台账计算")
end

-- The rows and columns of table 三 the register fills.
local function layout(fmt)
  local t3 = table_three(fmt)
  local block = t3.blocks[1]
  local cols, results = {}, {}
  local function walk_cols(list)
    for _, c in ipairs(list) do
      if c.children then walk_cols(c.children) else cols[#cols + 1] = c end
    end
  end
  walk_cols(block.columns)
  local rows = {}
  local function walk_rows(list, under_results)
    for _, r in ipairs(list) do
      rows[#rows + 1] = r
      local inside = under_results or r.id == "results"
      if r.children then
        walk_rows(r.children, inside)
      elseif under_results and r.id ~= "results_total" then
        results[#results + 1] = r
      end
    end
  end
  walk_rows(block.rows, false)
  return { cols = cols, rows = rows, results = results }
end

---------------------------------------------------------------- dates

local DAYS = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 }

-- "2023-01-05", "2023/1/5", "2023.1.5", "2023年1月5日", "20230105", with an
-- optional time after: a number yyyymmdd, or nil for an empty cell.
local function read_date(s, line, column, what)
  s = gsub(gsub(s, "\239\188([\144-\153])", function(c) return string.char(c:byte() - 0x60) end), "^%s+", "")
  s = gsub(s, "%s+$", "")
  if s == "" then return nil end
  local y, m, d, rest = match(s, "^(%d%d%d%d)[-/.](%d%d?)[-/.](%d%d?)(.*)$")
  if not y then y, m, d, rest = match(s, "^(%d%d%d%d)年(%d%d?)月(%d%d?)日(.*)$") end
  if not y then y, m, d, rest = match(s, "^(%d%d%d%d)(%d%d)(%d%d)(.*)$") end
  if not y or not (rest == "" or match(rest, "^[%sT]+%d%d?:%d%d")) then
    input_error(line, format("第%d列：%s“%s”不是可识别的日期：请写成 2023-01-05 或 2023年1月5日", column, what, s))
  end
  y, m, d = tonumber(y), tonumber(m), tonumber(d)
  local leap = (y % 4 == 0 and y % 100 ~= 0) or y % 400 == 0
  local last = (m == 2 and leap) and 29 or DAYS[m]
  if m < 1 or m > 12 or d < 1 or d > last or y < 1990 or y > 2100 then
    input_error(line, format("第%d列：%s“%s”是不存在的日期", column, what, s))
  end
  return y * 10000 + m * 100 + d
end

local function show(date) return format("%d-%02d-%02d", date // 10000, date // 100 % 100, date % 100) end

---------------------------------------------------------------- reading

local function header_index(header, map)
  local names, idx = {}, {}
  for key, list in pairs(map.columns) do
    for _, n in ipairs(list) do names[norm(n)] = key end
  end
  for k, h in ipairs(header) do
    local key = names[norm(h)]
    if key and not idx[key] then idx[key] = k end
  end
  return idx
end

local REQUIRED = { { "received", "收到日期" }, { "applicant", "申请人类型" }, { "result", "处理结果" }, { "closed", "办结日期" } }

-- the unit named above the header: a record 单位,NAME (or 机关, 填报单位,
-- 单位名称), or a title NAME…登记台账 / NAME2023年…
local UNIT_KEYS = { ["单位"] = true, ["单位名称"] = true, ["填报单位"] = true, ["机关"] = true, ["机关名称"] = true }
local function unit_above(rows, k)
  for i = 1, k - 1 do
    local rec, first = rows[i], nil
    for c = 1, #rec do
      local v = host.trim(rec[c])
      if v ~= "" then
        if not first then
          first = v
          local name = match(v, "^(.-)%d%d%d%d年") or match(v, "^(.-)依申请") or match(v, "^(.-)政府信息公开")
          if name and name ~= "" and not UNIT_KEYS[norm(v)] then return name end
        elseif UNIT_KEYS[norm(first)] then
          return v
        end
      end
    end
  end
end

-- the register's records: header names, rows (each with .line), the header's
-- line, and the unit named above the header
local function records(src, map)
  if src.text:sub(1, 16) == "SQLite format 3\0" then
    local header, rows = host.sqlite_rows(src.name, map.sqlite_table)
    return header, rows, 0
  end
  local rows = host.csv_rows(src.text)
  -- the header is the first record naming the columns (a title, the unit
  -- and other lines of the office's own may come first)
  for k = 1, math.min(#rows, 30) do
    local idx = header_index(rows[k], map)
    if idx.received or idx.result then
      local data = {}
      for i = k + 1, #rows do data[#data + 1] = rows[i] end
      return rows[k], data, rows[k].line, unit_above(rows, k)
    end
  end
  if not rows[1] then input_error(1, "登记台账是空的") end
  return rows[1], {}, rows[1].line
end

-- the layout of table 三 and the wordings of a format, made once per format
-- and process (the map is read once too): they were most of a small
-- register's import (fuzz_register_sqlite)
local by_format = {}
local function wordings_of(fmt, map)
  local w = by_format[fmt.id]
  if not w then
    local lay = layout(fmt)
    local official_app, official_res = {}, {}
    for _, c in ipairs(lay.cols) do
      if c.id ~= "total" then official_app[c.id] = { c.label } end
    end
    for _, r in ipairs(lay.results) do official_res[r.id] = label_forms(r.label) end
    w = { lay, wordings(official_app, map.applicants, "申请人类型"), wordings(official_res, map.results, "处理结果") }
    by_format[fmt.id] = w
  end
  return w[1], w[2], w[3]
end

local function import(src)
  local map = load_map()
  local year = src.year
  if not year then
    input_error(0, "从登记台账计算表三需要知道是哪一年的报告：请加 --year，如 --year 2023")
  end
  local fmt_id = src.format or host.format_for_year(year)
  local fmt = fmt_id and host.format_decl(fmt_id)
  if not fmt then input_error(0, "没有适用于 " .. year .. " 年的格式：请用 --format 指定") end
  local lay, applicant_of, result_of = wordings_of(fmt, map)

  local header, rows, header_line, unit = records(src, map)
  local col = header_index(header, map)
  for _, f in ipairs(REQUIRED) do
    if not col[f[1]] then
      input_error(header_line, format("登记台账缺少“%s”列：表头应有 %s 之一（在 templates/%s 的 columns.%s 中可以改）",
        f[2], table.concat(map.columns[f[1]], "、"), MAP_NAME, f[1]))
    end
  end

  local first, last = year * 10000 + 101, year * 10000 + 1231
  local counts = {}
  for _, r in ipairs(lay.rows) do counts[r.id] = {} end
  local notes, stats = {}, { total = 0, counted = 0, before = 0, after = 0 }
  local function cannot(line, why)
    notes[#notes + 1] = { rule = "IMPORT-ROW", severity = "error", line = line,
      message = "这条申请无法计入表三：" .. why .. "；请补全登记台账" }
  end
  local function add(row_id, app)
    local c = counts[row_id]
    c[app] = (c[app] or 0) + 1
    c.total = (c.total or 0) + 1
  end

  -- wordings nobody told nianbao about, gathered over the whole register
  local unknown, unknown_order = {}, {}
  local function unknown_wording(kind, column, text, line)
    local key = kind .. "\0" .. text
    local u = unknown[key]
    if not u then
      u = { kind = kind, column = column, text = text, lines = {} }
      unknown[key] = u
      unknown_order[#unknown_order + 1] = u
    end
    u.lines[#u.lines + 1] = line
  end

  for _, rec in ipairs(rows) do
    local function cell(key) return rec[col[key]] or "" end
    if match(table.concat(rec, ""), "^%s*$") == nil then
      stats.total = stats.total + 1
      local line = rec.line
      local received = read_date(cell("received"), line, col.received, "收到日期")
      local closed = read_date(cell("closed"), line, col.closed, "办结日期")
      local app_text, res_text = cell("applicant"), cell("result")
      local app = applicant_of[norm(app_text)]
      if app_text ~= "" and not app then unknown_wording("applicants", col.applicant, app_text, line) end
      local res = result_of[norm(res_text)]
      if res_text ~= "" and not res then unknown_wording("results", col.result, res_text, line) end
      if received and closed and closed < received then
        input_error(line, format("第%d列：办结日期 %s 早于收到日期 %s", col.closed, show(closed), show(received)))
      end
      if closed and closed < first then
        stats.before = stats.before + 1
      elseif received and received > last then
        stats.after = stats.after + 1
      elseif not received then
        cannot(line, "没有收到日期")
      elseif not app then
        cannot(line, "没有申请人类型")
      elseif not closed and res then
        cannot(line, "有处理结果“" .. res_text .. "”却没有办结日期，无法判断在哪一年办结")
      elseif closed and closed <= last and not res then
        cannot(line, show(closed) .. " 办结，却没有处理结果")
      else
        stats.counted = stats.counted + 1
        add(received >= first and "new" or "carried_in", app)
        if closed and closed <= last then
          add(res, app)
          add("results_total", app)
        else
          add("carried_out", app)
        end
      end
    end
  end

  if #unknown_order > 0 then
    local lines = {}
    for _, u in ipairs(unknown_order) do
      local at = {}
      for i = 1, math.min(#u.lines, 8) do at[i] = tostring(u.lines[i]) end
      lines[#lines + 1] = format("  第%d列 %s“%s”：第 %s 行%s", u.column,
        u.kind == "applicants" and "申请人类型" or "处理结果", u.text, table.concat(at, "、"),
        #u.lines > 8 and format(" 等 %d 行", #u.lines) or "")
    end
    input_error(unknown_order[1].lines[1], format("登记台账中有 %d 种叫法 nianbao 不认识（申请人类型应为自然人、商业企业、" ..
      "科研机构、社会公益组织、法律服务机构或其他；处理结果应为表三的一种办理结果，如“予以公开”）；本单位的叫法可以加到 " ..
      "templates/%s 的 applicants 或 results 中：\n%s", #unknown_order, MAP_NAME, table.concat(lines, "\n")))
  end

  local t3 = {}
  local function fill(row)
    local cells, c = {}, counts[row.id]
    for _, column in ipairs(lay.cols) do cells[column.id] = tostring(c[column.id] or 0) end
    t3[row.id] = cells
  end
  for _, r in ipairs(lay.rows) do
    if not r.children or r.data then fill(r) end
  end
  table.insert(notes, 1, { rule = "IMPORT-REGISTER", severity = "info",
    message = format("登记台账共 %d 条申请，计入 %d 年度表三 %d 条；%d 条在 %d 年以前办结、%d 条在 %d 年以后收到，不计入",
      stats.total, year, stats.counted, stats.before, year, stats.after, year) })
  local agency = map.agency or unit or src.agency
  return {
    format = fmt.id,
    meta = { year = year, agency = agency,
      title = agency and (agency .. year .. "年政府信息公开工作年度报告") or nil },
    tables = { t3 = t3 },
    tables_only = true,
    notes = notes,
  }
end

-- Claims a CSV whose header names at least a received date and a result, or
-- an SQLite database.
local function detect(head)
  if head:sub(1, 16) == "SQLite format 3\0" then return true end
  local ok, text = pcall(host.decode, match(head, "^(.*\n)") or head)
  if not ok then return false end
  local ok2, rows = pcall(host.csv_rows, text)
  local ok3, map = pcall(load_map)
  if not ok2 or not ok3 then return false end
  for k = 1, math.min(#rows, 10) do
    local idx = header_index(rows[k], map)
    if idx.received and idx.result then return true end
  end
  return false
end

host.importer {
  id = "register",
  description = "依申请公开登记台账，每件申请一行 → 按 --year 计算表三；CSV 或 SQLite",
  extensions = { "csv", "sqlite", "sqlite3", "db" },
  detect = detect,
  import = import,
}
