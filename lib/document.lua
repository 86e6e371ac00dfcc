-- A report in reading order, as every page-like renderer (HTML, DOCX, the
-- published text) prints it: title, 发布日期, the opening paragraphs, then
-- each section's heading and paragraphs, with a format table placed after
-- the text of the section it belongs to (and of that section's subsections).
-- Tables whose section heading is missing come at the end under the
-- section's official heading, so no cell is ever left out.  Free-form
-- statistics rows (legacy reports) come last, as one table, where the
-- Markdown renderer puts them.
local host = ...

local find, sub, byte = string.find, string.sub, string.byte
local grid_lib = host.lib("grid")

local M = {}

function M.title(report)
  local meta = report.meta
  return meta.title or ((meta.agency or "") .. (meta.year and (meta.year .. "年") or "") .. "政府信息公开工作年度报告")
end

-- the non-empty lines of a text, one paragraph each (a line ends at "\n",
-- one "\r" before it dropped); cut with plain searches, since the pattern
-- "(.-)\r?\n" tried "\r?\n" at every byte: a tenth of an HTML render
function M.paragraphs(text)
  local out = {}
  if not text then return out end
  local pos, len = 1, #text
  while pos <= len do
    local nl = find(text, "\n", pos, true)
    local stop = (nl or len + 1) - 1
    if stop >= pos and byte(text, stop) == 13 then stop = stop - 1 end
    if stop >= pos then out[#out + 1] = sub(text, pos, stop) end
    if not nl then break end
    pos = nl + 1
  end
  return out
end

-- id of the format section a heading opens, or nil (the text importer's matching)
local function section_id(fmt, heading)
  local n = host.norm(heading)
  for _, s in ipairs(fmt.sections) do
    local all = true
    for _, w in ipairs(s.match) do
      if not find(n, host.norm(w), 1, true) then all = false; break end
    end
    if all then return s.id end
  end
  return nil
end

-- blocks(report, fmt) → { { kind = "paragraph", text = }, { kind = "heading",
-- level = 1|2, text = }, { kind = "table", table = decl }, …,
-- { kind = "statistics", rows = report.statistics } } after the title
function M.blocks(report, fmt)
  local out = {}
  for _, p in ipairs(M.paragraphs(report.preamble)) do out[#out + 1] = { kind = "paragraph", text = p } end
  local placed, pending = {}, nil
  local function flush()
    for _, t in ipairs(pending or {}) do out[#out + 1] = { kind = "table", table = t } end
    pending = nil
  end
  for _, s in ipairs(report.sections or {}) do
    if s.level == 1 then flush() end
    out[#out + 1] = { kind = "heading", level = s.level == 1 and 1 or 2, text = s.heading }
    for _, p in ipairs(M.paragraphs(s.text)) do out[#out + 1] = { kind = "paragraph", text = p } end
    if s.level == 1 then
      local id = section_id(fmt, s.heading)
      pending = {}
      for _, t in ipairs(fmt.tables) do
        if t.section == id and id and not placed[t.id] then
          placed[t.id] = true
          pending[#pending + 1] = t
        end
      end
    end
  end
  flush()
  -- a table whose section heading the report lacks (a report from a CSV
  -- file has tables only) comes last, under its section's official heading
  for _, s in ipairs(fmt.sections) do
    pending = {}
    for _, t in ipairs(fmt.tables) do
      if t.section == s.id and not placed[t.id] then
        placed[t.id] = true
        pending[#pending + 1] = t
      end
    end
    if #pending > 0 then out[#out + 1] = { kind = "heading", level = 1, text = s.label } end
    flush()
  end
  -- the legacy 统计表, after everything (as the Markdown renderer places it)
  if report.statistics and #report.statistics > 0 then
    out[#out + 1] = { kind = "statistics", rows = report.statistics }
  end
  return out
end

local function decorate_slots(g, decorate)
  for _, r in ipairs(g.rows) do
    for k = 1, #r do decorate(r[k], g) end
  end
end

-- The values a page template is filled with: { title, published, agency,
-- year, blocks = { { paragraph = true, text }, { heading = true, heading1 |
-- heading2 = true, text }, { table = grid (lib/grid.lua) with rows as
-- { slots = … } and id, label } } } — the statistics rows a table too, with
-- id "statistics" (grid.statistics).  decorate(slot, grid), when given, adds
-- a renderer's own fields to each slot.  layouts, when given, keeps each
-- table's standing grid (lib/grid.lua) by its declaration from one report
-- to the next, its slots decorated once, when it is laid out: for a
-- renderer that never changes its declaration and whose decorate sets what
-- depends on a slot's place only, never on its text.
function M.view(report, fmt, decorate, layouts)
  local blocks = {}
  for _, b in ipairs(M.blocks(report, fmt)) do
    if b.kind == "table" or b.kind == "statistics" then
      local g
      local decorated = not decorate
      if b.kind == "table" then
        local tbl = b.table
        local cells = report.tables[tbl.id]
        if layouts then
          local st = layouts[tbl]
          if not st then
            st = grid_lib.standing(tbl)
            if decorate then
              st.grid.id, st.grid.label = tbl.id, tbl.label
              decorate_slots(st.grid, decorate)
            end
            layouts[tbl] = st
          end
          g, decorated = grid_lib.refill(st, cells), true
        else
          g = grid_lib.grid(tbl, cells)
        end
        g.id, g.label = tbl.id, tbl.label
      else
        g = grid_lib.statistics(b.rows)
        g.id, g.label = "statistics", "统计表"
      end
      if not decorated then decorate_slots(g, decorate) end
      local rows, header_rows = g.rows, g.header_rows
      for i = 1, #rows do rows[i] = { slots = rows[i], header = i <= header_rows } end
      blocks[#blocks + 1] = { table = g }
    elseif b.kind == "heading" then
      blocks[#blocks + 1] = { heading = true, ["heading" .. b.level] = true, text = b.text }
    else
      blocks[#blocks + 1] = { paragraph = true, text = b.text }
    end
  end
  local meta = report.meta
  return { title = M.title(report), published = meta.published, agency = meta.agency, year = meta.year,
           format = report.format, blocks = blocks }
end

return M
