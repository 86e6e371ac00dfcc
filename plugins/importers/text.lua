--: importer text
--: extensions txt
-- Importer for the published text of a report: a .docx saved as text (one
-- table cell a line, tab-indented, blank lines between rows, header cells
-- broken over lines; or, as LibreOffice saves it, one cell a line with
-- nothing marking the rows: lib/cell_lines.lua) or a page saved with its
-- table cells TAB-separated.
-- It finds the title, the preamble (统计期限, contact), the sections and the
-- three tables, and matches table rows by their official labels.  The
-- format is the one whose `marks` (labels only it prints) the report shows,
-- else the one for the report year; labels of other formats are recorded in
-- report.marks for FMT-VER.  A format without tables (legacy) keeps table
-- rows free-form in report.statistics.
local host = ...

local norm, lines_of, input_error = host.norm, host.lines, host.input_error
-- text_scan: lines → items { kind = "text", text, line } or
-- { kind = "row", cells = {…}, lines = {…}, line }, kept in C and lent as
-- scan[k]; text_marks: the formats' marks the report prints; text_place
-- (host/text/text_place.c): the items read as the loop in import() reads them —
-- the rows it would place without a question placed into a cell bundle,
-- the text made sections — but for the rows only place_row can read; trim:
-- without white space or U+3000 at either end.  All in C: they see every
-- byte of every report.
local text_scan, text_place, text_marks, trim = host.text_scan, host.text_place, host.text_marks, host.trim
-- the sections text_place read come as a section bundle (lua/section_bundle.h),
-- handed on as report.sections: only the last one's text is read here
local last_section_text, cut_last_section = host.last_section_text, host.cut_last_section
-- tables written one cell a line with nothing between rows (LibreOffice's text
-- export): lib/cell_lines.lua, loaded when such a table is first met
local cell_lines

-- what follows 发布日期： when it can be a date: a text of hundreds of bytes
-- there (a damaged or run-together line) is no publication date, and the
-- report is read without one rather than refused
local MAX_DATE_BYTES = 256
local function date_text(s)
  if s and #s <= MAX_DATE_BYTES then return s end
  return nil
end
-- lib/title.lua, loaded when first needed
local title_lib
local function cell_lines_lib()
  cell_lines = cell_lines or host.lib("cell_lines")
  return cell_lines
end
local find, sub, match, gsub = string.find, string.sub, string.match, string.gsub
local concat, unpack = table.concat, table.unpack

-- How the text is laid out, as data for the C primitives (host/text/): the
-- heading forms (level 1 "一、…", level 2 "（一）…": what comes before the
-- ordinal, its characters, what follows, the longest heading in bytes), the
-- prefixes of the publication date, the bookmark marks of a Word export,
-- how short a line continues a header cell broken over lines (characters),
-- and how long a cell or a line may be to count as a mark of a format.
-- The fast path (text_place) and the loop in import() both read headings
-- and dates through it: a change here changes both.
local ORDINALS = "一二三四五六七八九十"
local LAYOUT = host.text_layout {
  headings = {
    { level = 1, ordinals = ORDINALS, after = "、", max_bytes = 120 },
    { level = 2, before = "（", ordinals = ORDINALS, after = "）", max_bytes = 90 },
  },
  published = { "发布日期：", "发布日期:" },
  bookmark = { open = "[bookmark: ", close = "]" },
  continuation_chars = 10,
  mark_cell_bytes = 160,
  mark_line_bytes = 64,
}

-- Per format: label lookups, built once.
local index_cache = {}

-- A function (cells, at, line, lines) → { _line = line, _lines = lines,
-- [col1] = cells[at + 1], … } for a block's columns: a table constructor
-- sizes the table once, where filling it key by key would resize it often.
local function row_maker(cols)
  local src = { "local c, a, l, ls = ...\nreturn { _line = l, _lines = ls" }
  for k, col in ipairs(cols) do src[#src + 1] = string.format(", [%q] = c[a + %d]", col.id, k) end
  src[#src + 1] = " }"
  return assert(load(concat(src), "=(row_maker)"))
end

-- The parts of a format's declaration the importer reads (its id, tables
-- and sections), each the plugin's own copy: a copy of the whole
-- declaration, rules included, was 8 % of a one-report check.
local decl_cache = {}
local function format_decl(id)
  local fmt = decl_cache[id]
  if fmt == nil then
    local tables = host.format_decl(id, "tables")
    fmt = tables and { id = id, tables = tables, sections = host.format_decl(id, "sections") } or false
    decl_cache[id] = fmt
  end
  return fmt or nil
end

local function format_index(fmt)
  local idx = index_cache[fmt.id]
  if idx then return idx end
  idx = { tables = {}, by_section = {}, by_id = {}, noise = {} }
  local function walk_rows(tbl, block, rows, out)
    for _, row in ipairs(rows) do
      local entry = { table = tbl, block = block, row = row, data = row.children == nil or row.data == true }
      out[norm(row.label)] = entry
      for _, alias in ipairs(row.aliases or {}) do out[norm(alias)] = entry end
      if row.children then walk_rows(tbl, block, row.children, out) end
    end
  end
  local function walk_cols(cols, out, noise)
    for _, col in ipairs(cols) do
      noise[norm(col.label)] = true
      if col.children then walk_cols(col.children, out, noise) else out[#out + 1] = col end
    end
  end
  for _, tbl in ipairs(fmt.tables) do
    local t = { decl = tbl, labels = {}, blocks = {} }
    for _, block in ipairs(tbl.blocks) do
      local cols = {}
      walk_cols(block.columns, cols, idx.noise)
      local b = { decl = block, cols = cols, unlabelled = block.labels == false, make_row = false }
      t.blocks[#t.blocks + 1] = b
      walk_rows(tbl, b, block.rows, t.labels)
      if block.label then idx.noise[norm(block.label)] = true end
      if block.corner then idx.noise[norm(block.corner)] = true end
    end
    -- the rows check_complete requires: all but groups without cells
    t.required = {}
    local function walk(rows)
      for _, row in ipairs(rows) do
        if row.children and row.data ~= true then walk(row.children) else t.required[#t.required + 1] = row end
      end
    end
    for _, b in ipairs(t.blocks) do walk(b.decl.rows) end
    idx.tables[#idx.tables + 1] = t
    idx.by_section[tbl.section] = t
    idx.by_id[tbl.id] = t
  end
  idx.sections = fmt.sections
  idx.section_words = {} -- each section's match words, normalised
  for i, sec in ipairs(fmt.sections) do
    local words = {}
    for k, w in ipairs(sec.match) do words[k] = norm(w) end
    idx.section_words[i] = words
  end
  index_cache[fmt.id] = idx
  return idx
end

-- The label index of a format as host.text_place reads it (nil for a
-- format without tables), made once.
local function placer_of(fmt, idx)
  if idx.placer == nil then
    local tables, index_of = {}, {}
    for k, t in ipairs(idx.tables) do
      local labels, cols, unlabelled = {}, {}, {}
      for n, e in pairs(t.labels) do
        labels[n] = e.data and e.row.id or false
        cols[e.row.id] = #e.block.cols
      end
      for _, b in ipairs(t.blocks) do
        if b.unlabelled then unlabelled[#unlabelled + 1] = b.decl.rows[1].id end
      end
      local required = {}
      for i, row in ipairs(t.required) do required[i] = row.id end
      tables[k] = { id = t.decl.id, labels = labels, cols = cols, unlabelled = unlabelled, required = required }
      index_of[t] = k
    end
    local sections = {}
    for i, sec in ipairs(idx.sections) do
      sections[i] = { words = idx.section_words[i], table = index_of[idx.by_section[sec.id]] or 0 }
    end
    idx.placer = #idx.tables > 0 and
      host.text_placer(fmt.id, { tables = tables, sections = sections, noise = idx.noise })
  end
  return idx.placer or nil
end

-- fn (of a string, never giving nil) with its results remembered: the same
-- labels and values recur in every report.  The memory is dropped when it
-- grows large, so it stays bounded over any number of reports.
local function remembered(fn)
  local memo, size = {}, 0
  return function(s)
    local v = memo[s]
    if v ~= nil then return v end
    v = fn(s)
    if size >= 4096 then memo, size = {}, 0 end
    memo[s], size = v, size + 1
    return v
  end
end
local norm_cached = remembered(norm)

-- Is a cell a written number ("12", "１２", "1,234", "251000元", "-15"), as the model reads a cell?
local cell_kind = host.cell_kind
local looks_numeric = remembered(function(s) return cell_kind(s) == "value" end)

-- Per format: table id → { [normalised label] = { format id, data } } of
-- the other formats' rows, the first format (in load order) having a label
-- winning; built once.
local foreign_cache = {}

-- Another format's row of the same table with this label: its format id and
-- whether it carries cells there.
local function foreign_row(src, table_id, n)
  local by_table = foreign_cache[src.format_id]
  if not by_table then
    by_table = {}
    for _, fid in ipairs(host.format_ids()) do
      if fid ~= src.format_id then
        for _, t in ipairs(format_index(format_decl(fid)).tables) do
          local labels = by_table[t.decl.id] or {}
          by_table[t.decl.id] = labels
          for k, e in pairs(t.labels) do
            if labels[k] == nil then labels[k] = { fid, e.data } end
          end
        end
      end
    end
    foreign_cache[src.format_id] = by_table
  end
  local e = by_table[table_id] and by_table[table_id][n]
  if e then return e[1], e[2] end
end

-- Records a label of another format (report.marks), once per label and format.
local function add_mark(src, fid, label, line, values)
  local key = fid .. "\0" .. norm(label)
  local m = src.marks_by_key[key]
  if not m then
    m = { label = label, format = fid, line = line }
    src.marks_by_key[key] = m
    src.marks[#src.marks + 1] = m
  end
  m.values = m.values or values
end

-- A row of another format's table: recorded with its values, not placed.
local function foreign(src, t, item, k, fid)
  local values = {}
  for j = k + 1, #item.cells do values[#values + 1] = item.cells[j] ~= "" and item.cells[j] or "空白" end
  while values[#values] == "空白" do values[#values] = nil end
  add_mark(src, fid, item.cells[k], item.lines[k], #values > 0 and table.concat(values, "、") or nil)
  src.foreign_tables[t.decl.id] = true
  return true
end


-- Which section a level-1 heading opens (index into fmt.sections), or nil.
local function section_of(sections, words, heading)
  local n = norm(heading)
  for i = 1, #sections do
    local all = true
    for _, w in ipairs(words[i]) do
      if not find(n, w, 1, true) then all = false; break end
    end
    if all then return i end
  end
  return nil
end

-- contact line of the preamble: （地址：…，电话：…，邮编：…）, a colon wide
-- or narrow.  Each value is read where its word stands, found by a plain
-- search (host.find_first: a plain find in Lua stops at each byte equal to a
-- word's first, a third of the bytes of Chinese text; a pattern tried at
-- every byte of the preamble, with its wide marks narrowed first, was a
-- sixteenth of a report's import).  What is read is what
-- match(narrowed, word .. ":%s*(…)") reads: the first occurrence of the
-- word whose value matches.
local find_first = host.find_first
local CONTACT_WORDS, YEAR_START = { "地址", "电话", "邮编" }, { "年1月1日" }
local NARROW = { ["："] = ":", ["，"] = ",", ["；"] = ";", ["）"] = ")", ["。"] = ".", ["、"] = "," }
local NARROW_MARKS = "[\227\239][\128\188][\129\130\137\140\154\155]" -- the six wide marks' bytes
-- what ends an address: a comma, semicolon or closing parenthesis, narrow or wide (、 narrows to a comma)
local ADDRESS_END = { ",", ";", ")", "，", "；", "）", "、" }

-- The value after the first `word` + colon in text (from byte `from` on)
-- that read(text, at) reads, `at` where the colon ends.
local function labelled(text, from, word, read)
  local at = find(text, word, from, true)
  while at do
    local c = at + #word
    if sub(text, c, c) == ":" then c = c + 1 elseif sub(text, c, c + 2) == "：" then c = c + 3 else c = nil end
    local v = c and read(text, c)
    if v then return v end
    at = find(text, word, at + 1, true)
  end
end
-- "%s*([^,;%)]+)" in the narrowed text: the text up to the address's end
-- narrowed (it holds no end, so the match stops where it would)
local function read_address(text, at)
  local stop = find_first(text, ADDRESS_END, at)
  return match(gsub(sub(text, at, stop and stop - 1 or #text), NARROW_MARKS, NARROW), "^%s*([^,;%)]+)")
end
-- digits and hyphens: what narrowing changes is none of them, nor white space
local function read_phone(text, at) return match(text, "^%s*([%d%-]+%d)", at) end
local function read_postcode(text, at) return match(text, "^%s*(%d%d%d%d%d%d)", at) end
local function contact(report, text)
  -- only the text from the first of the three words on can hold a match
  local from = find_first(text, CONTACT_WORDS)
  if not from then return end
  local meta = report.meta
  local address = labelled(text, from, "地址", read_address)
  -- past the model's 4 KB for a metadata text it is no address but a run of
  -- text without a comma (crawled, or damaged): left blank, not refused
  meta.address = address and #address <= 4096 and address or nil
  meta.phone = labelled(text, from, "电话", read_phone)
  meta.postcode = labelled(text, from, "邮编", read_postcode)
end

local function period_year(text)
  -- match(text, "(%d%d%d%d)年1月1日"), by a plain search: a pattern tried at
  -- every byte of a long preamble is slow
  local y, at = nil, find_first(text, YEAR_START)
  while at and not y do
    y = at > 4 and match(sub(text, at - 4, at - 1), "^%d%d%d%d$") or nil
    at = find(text, "年1月1日", at + 1, true)
  end
  y = y or match(text, "统计期限[^。]-(%d%d%d%d)年")
  return tonumber(y)
end

-- Places one table row's values; returns true if the row carried a label it knew.
local function place_row(src, t, item, cells_out, seen)
  local cells, labels = item.cells, t.labels
  local at, entry = nil, nil
  for k = #cells, 1, -1 do
    local c = cells[k]
    if c ~= "" then
      local e = labels[norm_cached(c)]
      if e then at, entry = k, e; break end
      local fid = not looks_numeric(c) and foreign_row(src, t.decl.id, norm(c))
      if fid then return foreign(src, t, item, k, fid) end
    end
  end
  if not entry then
    -- a row of values with no label: the table's unlabelled block (表四)
    local values, written = 0, 0
    for k = 1, #cells do
      if looks_numeric(cells[k]) then values = values + 1 end
      if cells[k] ~= "" then written = written + 1 end
    end
    for _, b in ipairs(t.blocks) do
      -- values, or exactly one row's worth of blank cells (a draft not yet filled)
      if b.unlabelled and (values > 0 or (written == 0 and #cells == #b.cols)) then
        -- too few values are reported below as a cut-off row
        entry = { block = b, row = b.decl.rows[1], data = true }
        at = 0
        -- empty cells before the values: the table's label column
        while #cells - at > #b.cols and cells[at + 1] == "" do at = at + 1 end
        break
      end
    end
    if not entry then
      if values == 0 then return false end
      for k = 1, #cells do
        if cells[k] ~= "" and not looks_numeric(cells[k]) then
          input_error(item.lines[k], t.decl.label .. "：无法识别的行“" .. cells[k] ..
            "”，它不是本格式（" .. src.format_id .. "）的行名称；请改为官方模板的行名称")
        end
      end
      return false
    end
  end
  local row, cols = entry.row, entry.block.cols
  local n = #cells - at
  -- trailing empty cells beyond the columns are only the end of the line
  while n > #cols and cells[at + n] == "" do n = n - 1 end
  if not entry.data then
    -- a group label with values: another format's numeric row (（六）其他处理 of 2019)?
    local written = false
    for k = at + 1, #cells do written = written or cells[k] ~= "" end
    local fid, data = foreign_row(src, t.decl.id, norm(row.label))
    if written and fid and data then return foreign(src, t, item, at, fid) end
    if n > 0 then
      for k = at + 1, #cells do
        if cells[k] ~= "" then
          input_error(item.lines[k], t.decl.label .. "：“" .. row.label .. "”在格式 " .. src.format_id ..
            " 中只是分组标题，没有自己的数值；这份报告可能用了另一年度的格式（试试 --format）")
        end
      end
    end
    return true
  end
  if n ~= #cols then
    input_error(item.lines[at > 0 and at or 1], string.format(
      "%s“%s”：应有%d个数值，这里有%d个；表格可能被截断或多出单元格", t.decl.label, row.label, #cols, n))
  end
  if seen[row.id] then
    input_error(item.lines[at > 0 and at or 1], t.decl.label .. "：“" .. row.label .. "”出现了两次（第一次在第" ..
      seen[row.id] .. "行）")
  end
  seen[row.id] = item.lines[at > 0 and at or 1]
  local lines = item.lines
  local block = entry.block
  local make_row = block.make_row
  if not make_row then -- compiled when first needed: text_place places most rows in C
    make_row = row_maker(block.cols)
    block.make_row = make_row
  end
  cells_out[row.id] = make_row(cells, at, lines[at + 1], { unpack(lines, at + 1, at + n) })
  return true
end

-- A free-form statistics row (指标名称 | 计量单位 | 本年度 | 历年累计): the first
-- written cell is its label, the cell under a 计量单位 header its unit, the
-- rest its values as written.
local function stat_row(report, it, state)
  local cells, first = it.cells, nil
  for k = 1, #cells do
    local n = norm(cells[k])
    if n == "计量单位" or n == "单位" then state.unit = k end
    first = first or (n ~= "" and k)
  end
  if not first then return end
  local row = { label = trim(cells[first]), values = {}, line = it.lines[first] }
  local last = #cells
  while last > first and trim(cells[last]) == "" do last = last - 1 end
  for k = first + 1, last do
    local v = trim(cells[k])
    if k == state.unit then row.unit = v ~= "" and v or nil else row.values[#row.values + 1] = v end
  end
  report.statistics = report.statistics or {}
  report.statistics[#report.statistics + 1] = row
end

-- A line of the old 统计表 (formats without tables): lib/legacy_rows reads it.
-- Returns true when the line was the table's.
local legacy_rows
local function stat_line(report, it, t, free)
  legacy_rows = legacy_rows or host.lib("legacy_rows")
  return legacy_rows.read_line(report, it, t, free.stats)
end

-- Rows of each table that must be there once the table has begun (its
-- header counts: a file that ends after the header was cut off too).
-- (A table holding another format's rows is read as far as it goes: its
-- missing rows stay blank and FMT-VER says why.)
local function check_complete(t, seen, last_line)
  local missing = {}
  for _, row in ipairs(t.required) do
    if not seen[row.id] then missing[#missing + 1] = row.label end
  end
  if #missing > 0 then
    input_error(last_line, string.format("%s不完整：缺少%d行（%s%s）；表格可能被截断", t.decl.label, #missing,
      missing[1], #missing > 1 and "…" or ""))
  end
end

-- A report in a format with tables of which not one row was read is no
-- report to check (its tables lost in copying, or not a report at all):
-- an input error, not a blank cell reported for every row.
local function no_table_found(idx, seen_rows, src)
  if #idx.tables == 0 or next(src.foreign_tables) then return end
  local labels = {}
  for _, t in ipairs(idx.tables) do
    if next(seen_rows[t.decl.id] or {}) then return end
    labels[#labels + 1] = t.decl.label
  end
  input_error(0, "没有找到" .. concat(labels, "、") .. "：报告里没有一行能按官方表格的行名称读出；" ..
    "请确认表格随报告一起复制或保存（或用 --format 指定另一年度的格式）")
end

-- How much of a last section's text stays when its 落款 (the unit's name,
-- a date, blank lines) is taken off its end: its lines found by a plain
-- search (a pattern run over the whole section to split it was a
-- measurable part of a report's import), and taken off from the end.
local function closing_cut(text, agency)
  local starts = { 1 }
  local at = find(text, "\n", 1, true)
  while at do
    starts[#starts + 1] = at + 1
    at = find(text, "\n", at + 1, true)
  end
  local n, agency_n = #starts, norm(agency)
  local function line_end(k) return k < #starts and starts[k + 1] - 2 or #text end
  while n > 1 do
    local l = trim(sub(text, starts[n], line_end(n)))
    if l == "" or norm(l) == agency_n or find(l, "^%d%d%d%d年%d%d?月%d%d?日$") or
        find(l, "^%d%d%d%d%-%d%d?%-%d%d?$") then
      n = n - 1
    else
      break
    end
  end
  return line_end(n)
end

local function import(src)
  local text = src.text
  -- GB18030/GBK (Word's 另存为纯文本 on Chinese Windows) or UTF-16 with a
  -- BOM: converted as the CSV importer converts, and said in an info note
  local encoding
  if find(text, "\0", 1, true) or not host.utf8_valid(text) then
    local ok, decoded, enc = pcall(host.decode, text)
    if not ok or type(decoded) ~= "string" or find(decoded, "\0", 1, true) then
      input_error(1, "不是 UTF-8 文本（可能是二进制文件或无法识别的编码）：请先另存为 UTF-8 文本，或用 iconv -f GBK -t UTF-8 转换")
    end
    text, encoding = decoded, enc
  end
  if sub(text, 1, 3) == "\239\187\191" then text = sub(text, 4) end
  local items, rows_marked = text_scan(text, LAYOUT) -- items[k] and #items as for a list
  local report = { meta = {}, sections = {}, tables = {} }

  -- title: the first line of text that names a 年度报告 (leading "# " notes are skipped)
  local i, first = 1, items[1]
  while first and (first.kind ~= "text" or find(first.text, "^%s*$") or find(first.text, "^# ")) do
    i = i + 1
    first = items[i]
  end
  -- a title broken over lines ("…2023年政府信息公开" / "年度报告") is joined
  local title_end = i
  if first and first.kind == "text" and not find(first.text, "报告") then
    local joined = first.text
    for k = i + 1, math.min(i + 3, #items) do
      local nx = items[k]
      if nx.kind ~= "text" or utf8.len(nx.text) > 40 or find(nx.text, "^%s*$") then break end
      joined = joined .. trim(nx.text)
      if find(nx.text, "报告") then
        first = { kind = "text", text = joined, line = first.line }
        title_end = k
        break
      end
    end
  end
  if not first or first.kind ~= "text" or not find(first.text, "报告") then
    input_error(first and first.line or 1, "没有找到报告标题（如“××局2023年政府信息公开工作年度报告”）：这不像一份政府信息公开工作年度报告")
  end
  local title = trim(first.text)
  -- the host refuses a title past 4096 bytes as an importer's bug: here it is the input's
  if #title > 4096 then
    input_error(first.line, "标题这一行长 " .. #title .. " 字节：不像是报告标题（如“××局2023年政府信息公开工作年度报告”），文件可能已损坏")
  end
  title_lib = title_lib or host.lib("title") -- looked up once: host.lib was 2.5 K instructions a call
  local year, agency = title_lib.parse(title)
  report.meta.title, report.meta.agency, report.meta.title_year = title, agency, year
  -- the template filled in: the format whose marks the report shows most,
  -- else (and on a tie) the one its year calls for
  -- marks printed (a whole cell or a short line): a list of { label, line,
  -- owners } (less those of the format the year calls for, which need
  -- nothing below), and how many distinct marks of each format
  local by_year = year and host.format_for_year(year)
  local found, count = text_marks(items, title_end + 1, by_year)
  local format_id = src.format
  if not format_id then
    local most = by_year and count[by_year] or 0
    format_id = by_year
    for _, fid in ipairs(host.format_ids()) do
      if (count[fid] or 0) > most then format_id, most = fid, count[fid] end
    end
  end
  if not format_id then
    input_error(first.line, "无法从标题判断报告年度，因而不知道用哪一年的格式：请用 --format 指定")
  end
  local fmt = format_decl(format_id)
  if not fmt then input_error(first.line, "未知格式 " .. format_id) end
  local idx = format_index(fmt)
  src.format_id = format_id
  report.format = format_id
  -- labels that the format the year calls for does not print
  src.marks, src.marks_by_key, src.foreign_tables = {}, {}, {}
  local expected = by_year or format_id
  for _, m in ipairs(found) do
    local own = false
    for _, fid in ipairs(m.owners) do own = own or fid == expected end
    if not own then
      for _, fid in ipairs(m.owners) do add_mark(src, fid, m.label, m.line) end
    end
  end
  local free = #fmt.tables == 0 and {} -- statistics rows, when the format has no tables

  local preamble, section = {}, nil
  local body, current_table, seen_rows = nil, nil, {}
  local last_table_line = {}
  local read_to = 0 -- last line already read as a table written one cell a line
  -- text whose rows are marked, in a format with tables: read in C as the
  -- loop below reads it, but for the rows text_place cannot place itself
  local placer = rows_marked and placer_of(fmt, idx)
  local rows, cells, seen_c, last_c, sections, pre, published, complete
  if placer then
    rows, cells, seen_c, last_c, sections, pre, published, complete = text_place(items, title_end + 1, placer)
  end
  if rows then
    report.sections, report.meta.published, report.cells = sections, date_text(published), cells
    for tid, seen in pairs(seen_c) do
      seen_rows[tid], report.tables[tid] = seen, {}
    end
    for _, it in ipairs(rows) do
      place_row(src, idx.by_id[it.table], it, report.tables[it.table], seen_rows[it.table])
    end
    for tid, line in pairs(last_c) do last_table_line[tid] = line end
  end
  for k = title_end + 1, rows and 0 or #items do -- every item, unless text_place read them
    local it = items[k]
    if it.line <= read_to then
      -- part of that table
    elseif it.kind == "text" and not rows_marked and current_table and not seen_rows[current_table.decl.id] and
        cell_lines_lib().opens(current_table.decl, it.text) then
      local tid = current_table.decl.id
      report.tables[tid] = report.tables[tid] or {}
      seen_rows[tid] = {}
      local rows
      rows, read_to = cell_lines_lib().rows(current_table.decl, lines_of(text), it.line)
      for _, row in ipairs(rows) do place_row(src, current_table, row, report.tables[tid], seen_rows[tid]) end
      last_table_line[tid] = read_to
    elseif it.kind == "text" and free and free.stats and stat_line(report, it, trim(it.text), free) then
      -- a row of the old 统计表 written with spaces between its cells
    elseif it.kind == "text" then
      local t = trim(it.text)
      if free and t ~= "" then free.unit = nil end -- text ends a statistics table
      local level = LAYOUT:heading(t)
      local def = level == 1 and section_of(idx.sections, idx.section_words, t) or nil
      if free and def then free.stats = idx.sections[def].id == "statistics" and { numeral = match(t, "^(.-)、") } end
      if def then
        section = { heading = t, level = 1, line = it.line }
        report.sections[#report.sections + 1] = section
        body = {}
        section.body = body
        local tbl = idx.by_section[idx.sections[def].id]
        current_table = tbl
      elseif section and level == 2 then
        section = { heading = t, level = 2, line = it.line }
        report.sections[#report.sections + 1] = section
        body = {}
        section.body = body
      elseif t ~= "" then
        if body then
          if not (current_table and idx.noise[norm(t)]) then body[#body + 1] = t end
        elseif not report.meta.published and date_text(LAYOUT:published(t)) then
          report.meta.published = LAYOUT:published(t)
        else
          preamble[#preamble + 1] = t
        end
      end
    elseif free then
      stat_row(report, it, free)
    elseif current_table then
      local tid = current_table.decl.id
      report.tables[tid] = report.tables[tid] or {}
      seen_rows[tid] = seen_rows[tid] or {}
      place_row(src, current_table, it, report.tables[tid], seen_rows[tid])
      last_table_line[tid] = it.lines[#it.lines]
    elseif section then
      -- a table where the format has none: keep its text
      body[#body + 1] = concat(it.cells, "\t")
    else
      preamble[#preamble + 1] = concat(it.cells, "\t")
    end
  end
  if not rows then
    for _, s in ipairs(report.sections) do
      s.text = concat(s.body, "\n")
      s.body = nil
    end
    pre = concat(preamble, "\n")
  end
  for _, t in ipairs(idx.tables) do
    local seen = seen_rows[t.decl.id]
    -- (a table text_place saw complete is: the rows placed here only add to it)
    if seen and not src.foreign_tables[t.decl.id] and not (complete and complete[t.decl.id]) then
      check_complete(t, seen, last_table_line[t.decl.id])
    end
  end
  no_table_found(idx, seen_rows, src)
  -- a 落款 closing the last section (the unit's name, a date, as nianbao's
  -- DOCX and most published reports end) is no section text
  local last = not rows and report.sections[#report.sections]
  local last_text
  if rows then last_text = last_section_text(report.sections) else last_text = last and last.text end
  if last_text and agency then
    local keep = closing_cut(last_text, agency)
    if rows then cut_last_section(report.sections, keep) else last.text = sub(last_text, 1, keep) end
  end
  report.preamble = pre ~= "" and pre or nil
  report.meta.period_year = period_year(pre)
  contact(report, pre)
  report.meta.year = year
  report.marks = #src.marks > 0 and src.marks or nil
  if encoding then
    report.notes = report.notes or {}
    table.insert(report.notes, 1, { rule = "IMPORT-ENCODING", severity = "info", line = 1,
      message = "文本不是 UTF-8，已按 " .. encoding .. " 编码读取" })
  end
  return report
end

host.importer {
  id = "text",
  description = "发布的报告文本（docx 另存为文本，每格一行，可有 TAB 缩进；或以 TAB 分隔的表格）",
  extensions = { "txt" },
  import = import,
}
