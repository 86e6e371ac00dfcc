--: importer csv
--: extensions csv tsv
-- Importer for the report's tables saved as CSV from Excel or WPS, in the two
-- layouts docs/importers.md specifies: *wide* (the tables as a person lays
-- them out, labels in the first column(s), values in the cells — the
-- template's merged cells included) and *long* (one `table,row,column,value`
-- record per cell).  Decoding (UTF-8, GBK/GB18030, UTF-16) and CSV parsing
-- happen in C (host.csv_rows); this file places records by their labels and
-- refuses anything it cannot place, naming the line and the column.  A wide
-- file whose every record is certain is placed in C (host.csv_place, by the
-- labels place_spec hands it); any other is read by classify below.  For a
-- format without tables (legacy) the records are free-form statistics rows.
local host = ...

local input_error = host.input_error

-- Labels and values recur in every file of a batch (the same row labels,
-- "0", "" padding), and each record is asked several times what a cell is:
-- the answers of host.norm and host.cell_kind (C) are kept, up to MEMO_MAX
-- strings each, so a cell is not handed to C again and again.
local MEMO_MAX = 4096
local function memo(fn)
  local known, n = {}, 0
  return function(s)
    local v = known[s]
    if v == nil then
      v = fn(s)
      if n >= MEMO_MAX then known, n = {}, 0 end
      known[s], n = v, n + 1
    end
    return v
  end
end
local norm = memo(host.norm)
local find, match, byte, sub = string.find, string.match, string.byte, string.sub
local concat = table.concat

local META_KEYS = {
  ["标题"] = "title", title = "title", ["机关"] = "agency", agency = "agency",
  ["单位"] = "agency", ["单位名称"] = "agency", ["填报单位"] = "agency", ["机关名称"] = "agency",
  ["年度"] = "year", ["报告年度"] = "year", year = "year", ["格式"] = "format", format = "format",
  ["发布日期"] = "published", published = "published",
}
local META_WORDS = "标题、单位（机关）、年度、格式、发布日期"

local function err(line, column, msg)
  input_error(line, column and ("第" .. column .. "列：" .. msg) or msg)
end

-- A written value: a number (full-width digits, separators, a unit) or a
-- "not applicable" mark, as the model reads a cell.
local is_value = memo(function(s)
  local kind = host.cell_kind(s)
  return kind == "value" or kind == "na"
end)

-- Per format: labels → rows, titles → tables, accepted header labels per column.
local index_cache = {}
local function format_index(fmt)
  local idx = index_cache[fmt.id]
  if idx then return idx end
  -- header_tables: a header label → the positions in idx.tables of the tables
  -- whose headers hold it, so a header record is scored in one pass over its cells
  idx = { rows = {}, titles = {}, blocks_by_label = {}, tables = {}, ids = {}, header_tables = {} }
  local section_label = {}
  for _, s in ipairs(fmt.sections) do section_label[s.id] = s.label end
  for _, tdecl in ipairs(fmt.tables) do
    local t = { decl = tdecl, blocks = {}, header_words = {} }
    idx.tables[#idx.tables + 1] = t
    idx.ids[tdecl.id] = t
    idx.titles[norm(tdecl.label)] = t
    idx.titles[norm(tdecl.id)] = t
    local short = match(tdecl.label, "^(.-)（")
    if short then idx.titles[norm(short)] = t end
    if section_label[tdecl.section] then idx.titles[norm(section_label[tdecl.section])] = t end
    for _, bdecl in ipairs(tdecl.blocks) do
      local b = { decl = bdecl, table = t, cols = {}, accept = {}, ids = {} }
      t.blocks[#t.blocks + 1] = b
      if bdecl.labels == false then t.unlabelled = b end
      if bdecl.label then idx.blocks_by_label[norm(bdecl.label)] = b end
      if bdecl.corner then t.header_words[norm(bdecl.corner)] = true end
      local function walk_cols(cols, path)
        for _, c in ipairs(cols) do
          t.header_words[norm(c.label)] = true
          local p = {}
          for i = 1, #path do p[i] = path[i] end
          p[#p + 1] = norm(c.label)
          if c.children then
            walk_cols(c.children, p)
          else
            local acc = {}
            for i = 1, #p do acc[concat(p, "/", i)] = true end   -- leaf, and every path ending in it
            for i = 1, #p - 1 do acc[p[i]] = true end              -- a merged parent left above it
            b.cols[#b.cols + 1] = c
            b.accept[#b.cols] = acc
            b.ids[#b.cols] = c.id
          end
        end
      end
      walk_cols(bdecl.columns, {})
      local function walk_rows(rows)
        for _, row in ipairs(rows) do
          local entry = { table = t, block = b, row = row, data = row.children == nil or row.data == true }
          for _, l in ipairs({ row.label, table.unpack(row.aliases or {}) }) do
            local n = norm(l)
            idx.rows[n] = idx.rows[n] or {}
            table.insert(idx.rows[n], entry)
          end
          if row.children then walk_rows(row.children) end
        end
      end
      walk_rows(bdecl.rows)
    end
    for word in pairs(t.header_words) do
      local list = idx.header_tables[word] or {}
      list[#list + 1] = #idx.tables
      idx.header_tables[word] = list
    end
  end
  index_cache[fmt.id] = idx
  return idx
end

-- The same index as host.csv_place reads it (host/api/csv_place.c), made
-- once per format: tables and blocks by their positions in idx.tables and
-- t.blocks, rows by their ids, each column's accepted headers.
local function place_spec(fmt, idx)
  if idx.place_spec then return idx.place_spec end
  local pos, bpos = {}, {}
  local spec = { format = fmt.id, meta = META_KEYS, title_word = "年度报告",
    titles = {}, blocks = {}, rows = {}, header = idx.header_tables, tables = {} }
  for p, t in ipairs(idx.tables) do
    pos[t] = p
    local st = { id = t.decl.id, blocks = {} }
    for q, b in ipairs(t.blocks) do
      bpos[b] = q
      st.blocks[q] = b.accept
    end
    if t.unlabelled then
      st.unlabelled, st.unlabelled_row = bpos[t.unlabelled], t.unlabelled.decl.rows[1].id
    end
    spec.tables[p] = st
  end
  for label, t in pairs(idx.titles) do spec.titles[label] = pos[t] end
  for label, b in pairs(idx.blocks_by_label) do spec.blocks[label] = pos[b.table] end
  for label, list in pairs(idx.rows) do
    local entries = {}
    for i, e in ipairs(list) do entries[i] = { pos[e.table], bpos[e.block], e.row.id, e.data } end
    spec.rows[label] = entries
  end
  idx.place_spec = spec
  return spec
end

local function row_entry(idx, text, current, line, column)
  local list = idx.rows[norm(text)]
  if not list then return nil end
  if #list == 1 then return list[1] end
  for _, e in ipairs(list) do if e.table == current then return e end end
  err(line, column, "“" .. text .. "”是好几个表格都有的行名称：请在它前面加一行表格标题（如“" .. list[1].table.decl.label .. "”）")
end

local trim = host.trim -- white space and U+3000 at either end


-- What a record's first written cell makes of it: the metadata key it
-- names, TITLE_WORD when it holds 年度报告 (a report's title), else false
local TITLE_WORD = {}
local meta_word = memo(function(v)
  return META_KEYS[norm(v)] or (find(v, "年度报告", 1, true) and TITLE_WORD) or false
end)

local function first_nonempty(rec)
  for c = 1, #rec do if rec[c] ~= "" then return c, rec[c] end end
end

-- A metadata record (title or KEY,VALUE): fills meta and returns true.
-- k, v: its first non-empty cell and where it stands, when known.
local function read_meta_record(rec, meta, long, k, v)
  if not k then k, v = first_nonempty(rec) end
  if not k then return false end
  local key, value
  if long then
    if norm(v) ~= "meta" then return false end
    key, value = META_KEYS[norm(rec[2] or "")], trim(rec[4] or "")
    if not key then return true end -- noted by unknown_meta; the later records are read all the same
  else
    local word = meta_word(v)
    if not word then return false end
    if word == TITLE_WORD then
      for c = k + 1, #rec do if rec[c] ~= "" then return false end end
      meta.title = trim(v)
      meta.title_year, meta.agency = host.lib("title").parse(meta.title)
      return true
    end
    key = word
    for c = k + 1, #rec do if rec[c] ~= "" then value = trim(rec[c]); break end end
    value = value or ""
  end
  if key == "year" then
    local y = tonumber(match(value, "^(%d%d%d%d)"))
    if not y then err(rec.line, nil, "报告年度应写四位数字（如 2023），这里是“" .. value .. "”") end
    meta.year = y
  else
    meta[key] = value
  end
  return true
end

-- A record KEY,VALUE (two cells, the first no number) whose key nianbao does
-- not know (填报人, 联系电话): outside the tables it is noted and skipped, so
-- that the metadata and the tables below it are still read.
local function is_pair(rec)
  local n, k, v = 0, first_nonempty(rec)
  if not k or is_value(v) then return false end
  for c = k, #rec do if rec[c] ~= "" then n = n + 1 end end
  return n == 2
end

local function unknown_meta(notes, line, key)
  notes[#notes + 1] = { rule = "IMPORT-META", severity = "info", line = line,
    message = "“" .. key .. "”不是 nianbao 认识的元数据项（认识的有" .. META_WORDS .. "），这一行未读入" }
end

-- Chooses the format: --format, the file's own, or by year (--year, metadata, title).
local function choose_format(src, meta)
  meta.year = meta.year or src.year or meta.title_year
  meta.agency = meta.agency or src.agency -- --agency, for a sheet that names no unit
  local id = src.format or meta.format or (meta.year and host.format_for_year(meta.year))
  if not id then
    input_error(1, "无法判断报告年度，因而不知道用哪一年的格式：请在第一行写报告标题（如“××局2023年政府信息公开工作年度报告”），" ..
      "或加一行“年度,2023”，或用 --year 2023")
  end
  local fmt = host.format_decl(id)
  if not fmt then input_error(1, "未知格式“" .. id .. "”（nianbao formats 列出可用的格式）") end
  meta.format = nil
  return fmt
end

---------------------------------------------------------------- long layout

local LONG_HEADERS = { { "table", "row", "column", "value" }, { "表", "行", "列", "值" }, { "表格", "行", "列", "值" } }
local function is_long_header(rec)
  for _, h in ipairs(LONG_HEADERS) do
    local ok = #rec >= 4
    for i = 1, 4 do if ok and string.lower(norm(rec[i])) ~= h[i] then ok = false end end
    if ok then return true end
  end
  return false
end

local function long_column(b, text, line)
  local n = norm(text)
  for i, c in ipairs(b.cols) do if c.id == text then return c end end
  local found
  for i, c in ipairs(b.cols) do
    if b.accept[i][n] and (n == norm(c.label) or find(n, "/", 1, true)) then
      if found then
        err(line, 3, "列名“" .. text .. "”在" .. b.table.decl.label .. "中不唯一：请写完整路径（如“行政诉讼／复议后起诉／总计”）或列 id（" .. found.id .. "、" .. c.id .. "）")
      end
      found = c
    end
  end
  return found
end

local function import_long(src, rows)
  local meta, notes = {}, {}
  for i = 2, #rows do
    local rec = rows[i]
    if read_meta_record(rec, meta, true) and not META_KEYS[norm(rec[2] or "")] then
      unknown_meta(notes, rec.line, rec[2] or "")
    end
  end
  local fmt = choose_format(src, meta)
  local idx = format_index(fmt)
  local tables, seen = {}, {}
  for i = 2, #rows do
    local rec = rows[i]
    local tname = rec[1]
    if first_nonempty(rec) and norm(tname) ~= "meta" then
      local t = idx.ids[tname] or idx.titles[norm(tname)]
      if not t then err(rec.line, 1, "“" .. tname .. "”不是格式 " .. fmt.id .. " 的表格（可写 t2、t3、t4 或“表三”等）") end
      local entry
      for _, b in ipairs(t.blocks) do
        local function find_row(list)
          for _, r in ipairs(list) do
            if r.id == rec[2] then return r end
            if r.children then local x = find_row(r.children); if x then return x end end
          end
        end
        local r = find_row(b.decl.rows)
        if r then entry = { row = r, block = b, data = r.children == nil or r.data == true } end
      end
      entry = entry or row_entry(idx, rec[2], t, rec.line, 2)
      if not entry or entry.table and entry.table ~= t then
        err(rec.line, 2, "“" .. rec[2] .. "”不是" .. t.decl.label .. "的行")
      end
      if not entry.data then err(rec.line, 2, "“" .. entry.row.label .. "”是分组标题，没有自己的数值") end
      local col = long_column(entry.block, rec[3], rec.line)
      if not col then err(rec.line, 3, "“" .. rec[3] .. "”不是" .. t.decl.label .. "“" .. entry.row.label .. "”所在栏目的列") end
      local key = t.decl.id .. "." .. entry.row.id .. "." .. col.id
      if seen[key] then err(rec.line, 4, "单元格 " .. key .. " 出现了两次（第一次在第" .. seen[key] .. "行）") end
      seen[key] = rec.line
      tables[t.decl.id] = tables[t.decl.id] or {}
      local cells = tables[t.decl.id][entry.row.id] or { _line = rec.line, _lines = {} }
      tables[t.decl.id][entry.row.id] = cells
      cells[col.id] = rec[4]
      for k, c in ipairs(entry.block.cols) do if c == col then cells._lines[k] = rec.line end end
    end
  end
  return { format = fmt.id, meta = meta, tables = tables, tables_only = true, notes = #notes > 0 and notes or nil }
end

---------------------------------------------------------------- wide layout

-- Pass 1: what each record is.  Returns a list of items for the records
-- that are rows, with their table, and the header records before them.
local NO_HEADERS = {} -- the header records above a row when there are none (never filled)
local function classify(rows, idx, meta, fmt, notes)
  local items, current, headers = {}, nil, NO_HEADERS
  for i = 1, #rows do
    local rec = rows[i]
    local k, first = first_nonempty(rec)
    if k and not read_meta_record(rec, meta, false, k, first) then
      local nfirst = norm(first)
      local title = idx.titles[nfirst]
      local block = idx.blocks_by_label[nfirst]
      if not current and not title and not block and not idx.rows[nfirst] and is_pair(rec) then
        unknown_meta(notes, rec.line, first)
        goto next_record
      end
      -- labels in the leading cells (from the first written one): the
      -- rightmost one is the row; the cells up to the first that is none
      -- hold no value, so values are looked for from there
      local at, entry
      local c, ncells = k, #rec
      while c <= ncells do
        local v = rec[c]
        if v ~= "" then
          local e = not is_value(v) and row_entry(idx, v, current, rec.line, c)
          if not e then break end
          at, entry = c, e
        end
        c = c + 1
      end
      local values = false
      for j = c, ncells do
        local v = rec[j]
        if v ~= "" and is_value(v) then values = true; break end
      end
      if entry then
        current = entry.table
        items[#items + 1] = { rec = rec, entry = entry, at = at, headers = headers }
        headers = NO_HEADERS
      elseif title and not values then
        current, headers = title, NO_HEADERS
      elseif block and not values then
        current, headers = block.table, NO_HEADERS
      elseif not values then
        -- a header record: it may tell which table follows
        local best, score, tie = nil, 0, false
        local counts, header_tables = {}, idx.header_tables
        for c = k, #rec do -- the cells before k are empty
          local v = rec[c]
          local list = v ~= "" and header_tables[norm(v)]
          if list then
            for i = 1, #list do local p = list[i]; counts[p] = (counts[p] or 0) + 1 end
          end
        end
        for p, t in ipairs(idx.tables) do
          local n = counts[p] or 0
          if n > score then best, score, tie = t, n, false elseif n == score and n > 0 then tie = true end
        end
        if best and not tie and score >= 2 then current = best end
        if headers == NO_HEADERS then headers = {} end
        headers[#headers + 1] = rec
      elseif current and current.unlabelled and k and is_value(first) then
        items[#items + 1] = { rec = rec, entry = { table = current, block = current.unlabelled,
          row = current.unlabelled.decl.rows[1], data = true }, at = 0, headers = headers }
        headers = NO_HEADERS
      else
        for c = 1, #rec do
          if rec[c] ~= "" and not is_value(rec[c]) then
            err(rec.line, c, "“" .. rec[c] .. "”不是格式 " .. fmt.id .. " 中任何表格的行名称：请改为官方模板的行名称" ..
              "（如“（一）予以公开”），或检查是否多了、少了单元格")
          end
        end
        err(rec.line, k, "这一行有数值，但没有行名称，也不在表四之类无行名称的表格中：请在第一列写官方行名称")
      end
    end
    ::next_record::
  end
  return items
end

-- The header cell above each value column (the lowest non-empty one) must
-- name that column.
local function check_headers(item, b, width)
  if not item.headers[1] then return end
  local above = {}
  for _, h in ipairs(item.headers) do
    for j = 1, #b.cols do
      local v = h[width + j]
      if v and v ~= "" then above[j] = { text = v, line = h.line } end
    end
  end
  for j, c in ipairs(b.cols) do
    local a = above[j]
    if a and not b.accept[j][norm(a.text)] then
      err(a.line, width + j, "表头“" .. a.text .. "”与这里应有的列“" .. c.label .. "”不符：" .. b.table.decl.label ..
        "的数值须按官方列的顺序排列，从第" .. (width + 1) .. "列开始")
    end
  end
end

---------------------------------------------------------------- statistics

-- A format without tables (legacy, reports before 2019): every record from
-- FIRST on is a statistics row as `render --to csv` writes it — label, unit
-- (empty when none), values — its header row (指标名称,计量单位,本年度,历年累计)
-- first; empty fields after the last value are padding.
local function import_statistics(fmt, meta, rows, first)
  -- labels only another format prints (本年制发件数: a sheet of the 2021
  -- tables under a pre-2019 title) go to report.marks, for FMT-VER
  local owner, marks, seen = {}, {}, {}
  for _, id in ipairs(host.format_ids()) do
    if id ~= fmt.id then
      for _, m in ipairs(host.format_decl(id).marks or {}) do owner[norm(m)] = owner[norm(m)] or id end
    end
  end
  local stats = {}
  for i = first, #rows do
    local rec = rows[i]
    for c = 1, #rec do
      local n = norm(rec[c])
      if owner[n] and not seen[n] then
        seen[n] = true
        marks[#marks + 1] = { label = trim(rec[c]), format = owner[n], line = rec.line }
      end
    end
    if first_nonempty(rec) then
      local last = #rec
      while last > 2 and trim(rec[last]) == "" do last = last - 1 end
      local values = {}
      for c = 3, last do values[#values + 1] = trim(rec[c]) end
      local unit = trim(rec[2] or "")
      stats[#stats + 1] = { label = trim(rec[1]), unit = unit ~= "" and unit or nil, values = values, line = rec.line }
    end
  end
  if #stats == 0 then
    input_error(1, "没有找到统计表的行：" .. fmt.id .. " 格式没有统一表格，标题之后每一行应是统计表的一行（指标名称,计量单位,数值…）")
  end
  meta.format = nil
  return { format = fmt.id, meta = meta, tables = {}, statistics = stats, marks = #marks > 0 and marks or nil,
           tables_only = true }
end

local function import_wide(src, rows)
  -- the metadata above the tables; a pair with a key nianbao does not know
  -- (填报人,张三) does not end it
  local meta, body, stop = {}, nil, nil
  for i = 1, #rows do
    if first_nonempty(rows[i]) and not read_meta_record(rows[i], meta, false) then
      body = body or i
      if not is_pair(rows[i]) then stop = i; break end
    end
  end
  body, stop = body or #rows + 1, stop or #rows + 1
  local fmt = choose_format(src, meta)
  if #fmt.tables == 0 then return import_statistics(fmt, meta, rows, body) end
  local idx = format_index(fmt)
  -- the records placed in C when all of them are certain; the metadata
  -- records above stop read again as classify reads them (a title sets
  -- the agency again over --agency)
  local placed = host.csv_place(place_spec(fmt, idx), rows, stop)
  if placed then
    for i = 1, stop - 1 do
      if first_nonempty(rows[i]) then read_meta_record(rows[i], meta, false) end
    end
    meta.format = nil
    return { format = fmt.id, meta = meta, cells = placed, tables_only = true }
  end
  local notes = {}
  local items = classify(rows, idx, meta, fmt, notes)
  meta.format = nil
  -- label width per table: the rightmost cell holding a row label
  local width = {}
  for _, it in ipairs(items) do
    local t = it.entry.table
    width[t] = math.max(width[t] or 0, it.at)
  end
  local cells, seen = nil, {} -- cells: the rows placed, a cell bundle (host.bundle_row)
  for _, it in ipairs(items) do
    local rec, e = it.rec, it.entry
    local t, b, w = e.table, e.block, width[e.table]
    local n = #b.cols
    check_headers(it, b, w)
    for c = it.at + 1, w do
      if (rec[c] or "") ~= "" then -- a record may be shorter than the labels' width
        err(rec.line, c, "“" .. rec[c] .. "”写在了行名称的位置：" .. t.decl.label .. "的数值从第" .. (w + 1) .. "列开始" ..
          "（行名称占前" .. w .. "列）")
      end
    end
    local last = e.data and w + n or w
    for c = last + 1, #rec do
      if rec[c] ~= "" then
        if e.data then
          err(rec.line, c, "“" .. e.row.label .. "”只有" .. n .. "个数值（第" .. (w + 1) .. "—" .. (w + n) .. "列），这里多出了“" .. rec[c] .. "”")
        end
        err(rec.line, c, "“" .. e.row.label .. "”是分组标题，没有自己的数值，这里却有“" .. rec[c] .. "”")
      end
    end
    if e.data then
      -- by table, then row declaration (the same whichever label named it)
      local row, in_table = e.row, seen[t]
      if not in_table then in_table = {}; seen[t] = in_table end
      if in_table[row] then err(rec.line, it.at, "“" .. row.label .. "”出现了两次（第一次在第" .. in_table[row] .. "行）") end
      in_table[row] = rec.line
      -- every cell on the record's line
      cells = cells or host.cell_bundle(fmt.id)
      host.bundle_row(cells, t.decl.id, e.row.id, rec, w, rec.line)
    end
  end
  if not cells then input_error(1, "没有找到任何表格行：第一列应是官方模板的行名称（如“一、本年新收政府信息公开申请数量”）") end
  return { format = fmt.id, meta = meta, cells = cells, tables_only = true, notes = #notes > 0 and notes or nil }
end

-- detect's records of a whole file (its head is all of it), kept for the
-- import of those same bytes that follows it: a file parsed once, not twice
local detected = { text = nil, rows = nil }

local function import(src)
  -- src.rows: records another importer has read already (the xlsx importer's sheet)
  local rows = src.rows
  if not rows and detected.text == src.text then rows = detected.rows end
  detected.text, detected.rows = nil, nil
  rows = rows or host.csv_rows(src.text)
  local k = 1
  while rows[k] and not first_nonempty(rows[k]) do k = k + 1 end
  if not rows[k] then input_error(1, "CSV 文件中没有任何数据") end
  if is_long_header(rows[k]) then
    local rest = {}
    for i = k, #rows do rest[#rest + 1] = rows[i] end
    return import_long(src, rest)
  end
  return import_wide(src, rows)
end

-- Claims a .csv whose first records hold a long header, a title, or an
-- official row label in its first cells.
-- head up to its last line break (all of it when it has none): a pattern
-- "^(.*\n)" backtracks from the end a byte at a time, 56 K instructions a file
local function whole_lines(head)
  local e = #head
  while e > 0 and byte(head, e) ~= 10 do e = e - 1 end
  if e == 0 or e == #head then return head end
  return sub(head, 1, e)
end

local function detect(head)
  local lines = whole_lines(head)
  local ok, text = pcall(host.decode, lines)
  if not ok then return false end
  local ok2, rows = pcall(host.csv_rows, text)
  if not ok2 or not rows[1] or #rows[1] < 2 then return false end -- one field a line is not a table
  -- the records of all of head (as UTF-8 they parse to the same cells and
  -- lines): the file's own when the import is given these bytes
  detected.text, detected.rows = nil, nil
  if lines == head then detected.text, detected.rows = head, rows end
  if is_long_header(rows[1]) then return true end
  for _, id in ipairs(host.format_ids()) do
    local idx = format_index(host.format_decl(id))
    for _, rec in ipairs(rows) do
      local _, v = first_nonempty(rec)
      -- metadata alone (单位,…) is no proof: a register may name its unit too;
      -- a .csv nobody claims comes here all the same
      if v and (idx.titles[norm(v)] or idx.rows[norm(v)] or find(v, "年度报告", 1, true)) then
        return true
      end
    end
  end
  return false
end

host.importer {
  id = "csv",
  description = "Excel/WPS 导出的 CSV 统计表：宽表（按表样排列的标签和格）或长表（table,row,column,value）；UTF-8 或 GBK",
  extensions = { "csv", "tsv" },
  detect = detect,
  import = import,
}
