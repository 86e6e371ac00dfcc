--: renderer csv
-- Renderer for CSV in the wide layout: the tables as a person lays them out
-- in Excel or WPS, cell for cell as the official template prints them —
-- labels in the first column(s), values beside them, a merged cell's text
-- in its top-left field and its other fields empty (lib/grid.lua).  The
-- first line is the report's title, then each table's label and grid.
-- Every line has the same number of fields (the widest table's), as a
-- spreadsheet saves it; UTF-8 with a byte-order mark (so Excel reads the
-- Chinese), CRLF line ends, RFC 4180 quoting.  A format without tables
-- (legacy) has free-form statistics rows instead: one line each, label,
-- unit, values, which the CSV importer reads back.  docs/renderers.md.
local host = ...

-- lib modules, loaded on the first render: most runs render nothing
local grid, document
local concat, find, gsub = table.concat, string.find, string.gsub

local function field(s)
  if find(s, '[",\r\n]') then return '"' .. gsub(s, '"', '""') .. '"' end
  return s
end

local function render(report, fmt)
  grid = grid or host.lib("grid").grid
  document = document or host.lib("document")
  local lines, width = {}, 1
  local function add(fields)
    lines[#lines + 1] = fields
    if #fields > width then width = #fields end
  end
  add({ document.title(report) })
  for _, tbl in ipairs(fmt.tables) do
    local g = grid(tbl, report.tables[tbl.id])
    add({ tbl.label })
    for _, row in ipairs(g.rows) do
      local fields = {}
      for _, slot in ipairs(row) do
        fields[slot.col] = slot.cont and "" or slot.text
        for c = slot.col + 1, slot.col + slot.colspan - 1 do fields[c] = "" end
      end
      add(fields)
    end
  end
  -- the legacy 统计表, its header row first, as written: label, unit (empty
  -- when none), values
  for _, r in ipairs(report.statistics or {}) do
    local fields = { r.label or "", r.unit or "" }
    for _, v in ipairs(r.values) do fields[#fields + 1] = v end
    add(fields)
  end
  local out = {}
  for i, fields in ipairs(lines) do
    local f = {}
    for c = 1, width do f[c] = field(fields[c] or "") end
    out[i] = concat(f, ",")
  end
  return "\239\187\191" .. concat(out, "\r\n") .. "\r\n"
end

host.renderer {
  id = "csv",
  description = "CSV 宽表：按官方表样排列，供 Excel/WPS 使用",
  extension = "csv",
  render = render,
}
