--: renderer md
-- Renderer for Markdown: the whole report — title, preamble, sections and
-- the tables — readable in any Markdown viewer.  Tables follow the official
-- row order; grouped rows are indented, group labels printed in bold, and
-- column headers carry their parent labels (法人或其他组织／商业企业) because
-- Markdown cannot merge cells.  Free-form statistics rows (legacy reports)
-- follow the sections as one table.  The md importer reads this layout back
-- to the same report, so every line's role is unambiguous: "#" title, "<!--" the
-- metadata, "##"/"###" headings, "**…**" table and block labels, ">" a
-- table's note, "|" table rows; a line of text that would start like one of
-- them is escaped with a backslash (which Markdown does not show).
local host = ...

local concat, rep, find, sub = table.concat, string.rep, string.find, string.sub
local INDENT = "\227\128\128" -- U+3000, ignored when labels are matched

-- (most texts, the numbers, hold neither: returned as they are, without
-- the two copies gsub makes)
local function escape(s)
  if not find(s, "|", 1, true) and not find(s, "\n", 1, true) then return s end
  return (s:gsub("|", "\\|"):gsub("\n", " "))
end

-- leaf columns with the header labels above them, leaving out a label that
-- spans every column (申请人情况)
local function header_labels(columns)
  local leaves = {}
  local function count(cols)
    local n = 0
    for _, c in ipairs(cols) do n = n + (c.children and count(c.children) or 1) end
    return n
  end
  local total = count(columns)
  local function walk(cols, path)
    for _, c in ipairs(cols) do
      local p = path
      if c.children then
        if count(c.children) < total then p = path .. c.label .. "／" end
        walk(c.children, p)
      else
        leaves[#leaves + 1] = { id = c.id, label = p .. c.label }
      end
    end
  end
  walk(columns, "")
  return leaves
end

local function render_block(out, block, cells)
  local cols = header_labels(block.columns)
  if block.label then out[#out + 1] = "**" .. block.label .. "**\n" end
  if block.corner and #block.corner > 30 then out[#out + 1] = "> " .. block.corner .. "\n" end
  local head, rule = { block.labels == false and "" or (block.corner and #block.corner <= 30 and block.corner or "项目") }, { "---" }
  for _, c in ipairs(cols) do
    head[#head + 1] = escape(c.label)
    rule[#rule + 1] = "---:"
  end
  out[#out + 1] = "| " .. concat(head, " | ") .. " |"
  out[#out + 1] = "|" .. concat(rule, "|") .. "|"
  local function walk(rows, depth)
    for _, row in ipairs(rows) do
      local line = { rep(INDENT, depth) .. escape(row.label) }
      local data = row.children == nil or row.data == true
      if not data then line[1] = rep(INDENT, depth) .. "**" .. escape(row.label) .. "**" end
      local values = cells[row.id] or {}
      for _, c in ipairs(cols) do line[#line + 1] = data and escape(values[c.id] or "") or "" end
      out[#out + 1] = "| " .. concat(line, " | ") .. " |"
      if row.children then walk(row.children, depth + 1) end
    end
  end
  walk(block.rows, 0)
  out[#out + 1] = ""
end

-- free-form statistics rows (legacy 统计表), after the sections, its first
-- row as the header (指标名称 | 计量单位 | 本年度 | 历年累计)
local function render_statistics(out, rows)
  if not rows or #rows == 0 then return end
  local width = 0
  for _, r in ipairs(rows) do width = math.max(width, #r.values) end
  local function line(r)
    local cells = { escape(r.label), escape(r.unit or "") }
    for k = 1, width do cells[#cells + 1] = escape(r.values[k] or "") end
    return "| " .. concat(cells, " | ") .. " |"
  end
  out[#out + 1] = line(rows[1])
  out[#out + 1] = "|---|---|" .. rep("---:|", width)
  for i = 2, #rows do out[#out + 1] = line(rows[i]) end
  out[#out + 1] = ""
end

-- each non-empty line of text, escaped when it starts like a line of the
-- layout; cut with plain searches (the pattern "(.-)\n" tried "\n" at
-- every byte)
local function paragraphs(out, text)
  if not text or text == "" then return end
  local pos, len = 1, #text
  while pos <= len do
    local nl = find(text, "\n", pos, true) or len + 1
    if nl > pos then
      local line = sub(text, pos, nl - 1)
      out[#out + 1] = (find(line, "^[#|<>*\\]") and "\\" or "") .. line
      out[#out + 1] = ""
    end
    pos = nl + 1
  end
end

-- a metadata value inside the HTML comment: no ";" (the separator), no
-- line break, no "--" (which would end the comment); %XX as in URLs
local function meta_value(v)
  return (tostring(v):gsub("[%%;\n\r]", function(c) return string.format("%%%02X", c:byte()) end)
    :gsub("%-%-+", function(d) return "-" .. d:sub(2):gsub("%-", "%%2D") end))
end

local function render(report, fmt)
  local out, meta = {}, report.meta
  out[#out + 1] = "# " .. (meta.title or ((meta.agency or "") .. (meta.year or "") .. "年政府信息公开工作年度报告"))
  out[#out + 1] = ""
  local facts = { "format=" .. report.format }
  for _, k in ipairs({ "agency", "year", "title_year", "period_year", "published", "address", "phone", "postcode" }) do
    if meta[k] then facts[#facts + 1] = k .. "=" .. meta_value(meta[k]) end
  end
  if report.tables_only then facts[#facts + 1] = "tables_only=1" end
  out[#out + 1] = "<!-- nianbao " .. concat(facts, "; ") .. " -->"
  out[#out + 1] = ""
  if meta.published then
    out[#out + 1] = "发布日期：" .. meta.published
    out[#out + 1] = ""
  end
  paragraphs(out, report.preamble)
  local tables_of = {}
  for _, t in ipairs(fmt.tables) do tables_of[t.section] = tables_of[t.section] or {}; table.insert(tables_of[t.section], t) end
  local section_ids = {}
  for _, s in ipairs(fmt.sections) do section_ids[#section_ids + 1] = s end
  local function def_of(heading)
    local n = host.norm(heading)
    for _, s in ipairs(section_ids) do
      local all = true
      for _, w in ipairs(s.match) do if not n:find(host.norm(w), 1, true) then all = false end end
      if all then return s.id end
    end
  end
  local pending -- tables follow the text of their section (and its subsections)
  local function flush()
    if not pending then return end
    for _, t in ipairs(pending) do
      for _, block in ipairs(t.blocks) do render_block(out, block, report.tables[t.id] or {}) end
    end
    pending = nil
  end
  local placed = {}
  for _, s in ipairs(report.sections) do
    if s.level == 1 then flush() end
    out[#out + 1] = (s.level == 1 and "## " or "### ") .. s.heading
    out[#out + 1] = ""
    paragraphs(out, s.text)
    if s.level == 1 then
      local id = def_of(s.heading)
      if id and not placed[id] then pending, placed[id] = tables_of[id], true end
    end
  end
  flush()
  -- tables whose section the report lacks (a CSV, the register) come last,
  -- each under its label, rather than being lost
  for _, t in ipairs(fmt.tables) do
    if not placed[t.section] then
      out[#out + 1] = "**" .. t.label .. "**"
      out[#out + 1] = ""
      for _, block in ipairs(t.blocks) do render_block(out, block, report.tables[t.id] or {}) end
    end
  end
  render_statistics(out, report.statistics)
  return concat(out, "\n")
end

host.renderer {
  id = "md",
  description = "Markdown：完整的报告，随处可读",
  extension = "md",
  render = render,
}
