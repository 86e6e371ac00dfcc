--: importer md
--: extensions md markdown
-- Importer for a report kept as Markdown: the layout the md renderer writes
-- (plugins/renderers/markdown.lua), so a clerk can keep the whole report —
-- narrative and tables — in one file, edit it and check it, and md → report →
-- md gives the same bytes.  Every line's role is told by its start: "#" the
-- title, "<!-- nianbao …" the metadata, "##"/"###" headings, "**…**" labels,
-- ">" a table's note, "|" table rows, "\" escaped text; anything else is text.
-- Table rows are matched by their official labels; a hand-written Markdown
-- report in this shape reads as well.
local host = ...

local norm, input_error = host.norm, host.input_error
local find, match, gsub, sub, byte = string.find, string.match, string.gsub, string.sub, string.byte
local concat = table.concat

local META_STRINGS = { agency = true, published = true, address = true, phone = true, postcode = true }
local META_NUMBERS = { year = true, title_year = true, period_year = true }

-- Per format: row labels, block columns with the header labels they accept.
local index_cache = {}
local function format_index(fmt)
  local idx = index_cache[fmt.id]
  if idx then return idx end
  idx = { rows = {}, corners = {}, tables = {} }
  for _, t in ipairs(fmt.tables) do
    idx.tables[norm(t.label)] = t
    for _, bdecl in ipairs(t.blocks) do
      local b = { decl = bdecl, table = t, cols = {}, accept = {}, ids = {} }
      if bdecl.corner then idx.corners[bdecl.corner] = true end
      local function walk_cols(cols, path)
        for _, c in ipairs(cols) do
          local p = { table.unpack(path) }
          p[#p + 1] = norm(c.label)
          if c.children then
            walk_cols(c.children, p)
          else
            local acc = {}
            for i = 1, #p do acc[concat(p, "/", i)] = true end
            b.cols[#b.cols + 1] = c
            b.accept[#b.cols] = acc
            b.ids[#b.cols] = c.id
          end
        end
      end
      walk_cols(bdecl.columns, {})
      if bdecl.labels == false then idx.rows[""] = { table = t, block = b, row = bdecl.rows[1], data = true } end
      local function walk_rows(rows)
        for _, row in ipairs(rows) do
          local entry = { table = t, block = b, row = row, data = row.children == nil or row.data == true }
          for _, l in ipairs({ row.label, table.unpack(row.aliases or {}) }) do idx.rows[norm(l)] = entry end
          if row.children then walk_rows(row.children) end
        end
      end
      walk_rows(bdecl.rows)
    end
  end
  -- a row's first cell as written → its row's entry (false: none): its
  -- label read and host.norm asked once a spelling
  idx.written = {}
  index_cache[fmt.id] = idx
  return idx
end

-- "| a | b \\| c |" → { "a", "b | c" }, cut in C: the one space the renderer
-- puts on each side of a cell dropped, any other kept (a cell written " 3 ")
local split_row = host.pipe_cells

local function read_meta(line, meta, lineno)
  local body = match(line, "^<!%-%- nianbao (.*) %-%->$")
  local facts = {}
  for item in body:gmatch("[^;]+") do
    local k, v = match(item, "^%s*([%w_]+)=(.*)$")
    if k then facts[k] = gsub(v, "%%(%x%x)", function(h) return string.char(tonumber(h, 16)) end) end
  end
  for k, v in pairs(facts) do
    if META_STRINGS[k] then
      if #v > host.meta_max_bytes then
        input_error(lineno, "nianbao 注释中的 " .. k .. " 长 " .. #v .. " 字节，超过 " .. host.meta_max_bytes ..
          " 字节，不像是这一项的内容：请改正这一项")
      end
      meta[k] = v
    elseif META_NUMBERS[k] then
      local y = find(v, "^%d%d?%d?%d?$") and tonumber(v)
      if not y then
        input_error(lineno, "nianbao 注释中的 " .. k .. "=“" .. v .. "”应是四位数的年份（如 2023）")
      end
      meta[k] = y
    end
  end
  return facts
end


-- A row's label as its first cell writes it: the indent of grouped rows,
-- "**" around it and "\\" escapes taken off (each pattern asked only when
-- the first byte can start it)
local function row_label(label)
  while byte(label, 1) == 227 and sub(label, 1, 3) == "\227\128\128" do label = sub(label, 4) end
  if byte(label, 1) == 42 then label = gsub(label, "^%*%*(.-)%*%*$", "%1") end -- "*"
  if find(label, "\\", 1, true) then label = gsub(label, "\\(.)", "%1") end
  return label
end

-- One Markdown table (consecutive "|" lines from `first`) into the cell
-- bundle placed (host.bundle_row), made here for the first row; returns it.
local function read_table(lines, first, last, idx, fmt, placed, seen)
  local header = split_row(lines[first])
  if not lines[first + 1] or not find(lines[first + 1], "^[%s|:%-]+$") then
    input_error(first + 1, "表格的第二行应是分隔行（如 |---|---:|）")
  end
  local block, written = nil, idx.written
  for i = first + 2, last do
    local cells = split_row(lines[i])
    local e = written[cells[1]]
    if e == nil then
      e = idx.rows[norm(row_label(cells[1]))] or false
      written[cells[1]] = e
    end
    if not e then
      input_error(i, "“" .. row_label(cells[1]) .. "”不是格式 " .. fmt.id .. " 中任何表格的行名称：请改为官方模板的行名称")
    end
    if not block then
      block = e.block
      if #header - 1 ~= #block.cols then
        input_error(first, string.format("%s的表头应有%d列数值，这里有%d列", e.table.label, #block.cols, #header - 1))
      end
      for j, c in ipairs(block.cols) do
        if header[j + 1] ~= "" and not block.accept[j][norm(header[j + 1])] then
          input_error(first, "表头第" .. (j + 1) .. "列“" .. header[j + 1] .. "”与这里应有的列“" .. c.label .. "”不符：数值须按官方列的顺序排列")
        end
      end
    elseif e.block ~= block then
      input_error(i, "“" .. row_label(cells[1]) .. "”属于另一个表格栏目，不能和上面的行放在同一个表格里")
    end
    if #cells - 1 ~= #block.cols then
      input_error(i, string.format("“%s”应有%d个数值，这里有%d个；可能多了或少了“|”", e.row.label, #block.cols, #cells - 1))
    end
    if e.data then
      -- by table, then row declaration (the same whichever label named it)
      local row, in_table = e.row, seen[e.table]
      if not in_table then in_table = {}; seen[e.table] = in_table end
      if in_table[row] then input_error(i, "“" .. row.label .. "”出现了两次（第一次在第" .. in_table[row] .. "行）") end
      in_table[row] = i
      -- every cell on the row's line
      placed = placed or host.cell_bundle(fmt.id)
      host.bundle_row(placed, e.table.id, e.row.id, cells, 1, i)
    else
      for j = 2, #cells do
        if cells[j] ~= "" then input_error(i, "“" .. e.row.label .. "”是分组标题，没有自己的数值，这里却有“" .. cells[j] .. "”") end
      end
    end
  end
  return placed
end

-- A format without tables (legacy): a Markdown table is free-form
-- statistics rows — label, unit, values — its header being the first row.
local function read_statistics(lines, first, last, stats)
  for i = first, last do
    if i ~= first + 1 then
      local cells = split_row(lines[i])
      local values = {}
      for k = 3, #cells do values[#values + 1] = cells[k] end
      stats[#stats + 1] = { label = cells[1], unit = cells[2] ~= "" and cells[2] or nil, values = values, line = i }
    end
  end
end

local function import(src)
  local text = src.text
  -- GB18030/GBK or UTF-16 with a BOM: converted, and said in an info note
  local encoding
  text, encoding = host.lib("encoding").utf8(text)
  local lines = host.lines(text)
  local n, i = #lines, 1
  local meta, facts = {}, {}
  local function skip_blank() while i <= n and lines[i] == "" do i = i + 1 end end
  skip_blank()
  if i <= n and find(lines[i], "^# ") then
    meta.title = sub(lines[i], 3)
    i = i + 1
    skip_blank()
  end
  if i <= n and find(lines[i], "^<!%-%- nianbao .* %-%->$") then
    facts = read_meta(lines[i], meta, i)
    i = i + 1
    skip_blank()
  end
  if meta.published and lines[i] == "发布日期：" .. meta.published then i = i + 1 end
  if meta.title and not facts.agency then
    local y, agency = host.lib("title").parse(meta.title)
    meta.title_year, meta.agency = meta.title_year or y, meta.agency or agency
  end
  meta.year = meta.year or meta.title_year
  local format_id = src.format or facts.format or (meta.year and host.format_for_year(meta.year))
  if not format_id then
    input_error(1, "无法判断报告年度，因而不知道用哪一年的格式：第一行应是“# ××局2023年政府信息公开工作年度报告”，或用 --format 指定")
  end
  local fmt = host.format_decl(format_id)
  if not fmt then input_error(1, "未知格式“" .. format_id .. "”（nianbao formats 列出可用的格式）") end
  local idx = format_index(fmt)

  local preamble, sections, body = {}, {}, nil
  local placed, seen, stats = nil, {}, {} -- placed: a cell bundle, once a row is
  -- a line's role by its first byte before any pattern is asked: most
  -- lines are text, which none of them starts
  while i <= n do
    local l = lines[i]
    local c = byte(l, 1)
    if l == "" then
      i = i + 1
    elseif c == 35 and find(l, "^##+ ") then -- "#"
      local hashes, heading = match(l, "^(#+) (.*)$")
      body = {}
      sections[#sections + 1] = { heading = heading, level = #hashes == 2 and 1 or 2, line = i, body = body }
      i = i + 1
    elseif (c == 124 or c == 32 or (c >= 9 and c <= 13)) and find(l, "^%s*|") then -- "|" or white space
      local first = i
      while i <= n and (byte(lines[i], 1) == 124 or find(lines[i], "^%s*|")) do i = i + 1 end -- "|" asked first
      if #fmt.tables == 0 then
        read_statistics(lines, first, i - 1, stats)
      else
        placed = read_table(lines, first, i - 1, idx, fmt, placed, seen)
      end
    elseif (c == 42 and find(l, "^%*%*.*%*%*$")) or (c == 62 and find(l, "^> ") and idx.corners[sub(l, 3)]) then -- "*", ">"
      i = i + 1 -- a table's or a block's label, a table's note
    else
      if c == 92 then l = sub(l, 2) end -- "\\"
      local into = body or preamble
      into[#into + 1] = l
      i = i + 1
    end
  end
  for _, s in ipairs(sections) do
    s.text = concat(s.body, "\n")
    s.body = nil
  end
  local pre = concat(preamble, "\n")
  return {
    format = format_id,
    meta = meta,
    preamble = pre ~= "" and pre or nil,
    sections = sections,
    tables = {},
    cells = placed,
    statistics = #stats > 0 and stats or nil,
    tables_only = facts.tables_only == "1" and #sections == 0 or nil,
    notes = encoding and { host.lib("encoding").note(encoding) } or nil,
  }
end

host.importer {
  id = "md",
  description = "以 Markdown 保存的报告，即 --to md 写出的版式（正文和表格）",
  extensions = { "md", "markdown" },
  detect = function(head)
    head = host.lib("encoding").head(head)
    return head ~= nil and find(head, "<!-- nianbao format=", 1, true) ~= nil
  end,
  import = import,
}
