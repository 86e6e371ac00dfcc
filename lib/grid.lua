-- The printed grid of a format table, with its merged cells, derived from
-- the format declaration's column and row trees alone — no year's layout is
-- written here, so every format (gov-2019, gov-2021, the next) renders as
-- its template prints it.  HTML, DOCX, the published text and CSV all lay
-- out their tables from this one grid.
--
-- grid(tbl, cells) returns
--   { width = grid columns, label_cols = L, value_cols = W, widths = {percent…},
--     header_rows = number of leading rows that form the header (0 when the
--     table has several blocks), rows = { { slots… }, … } }
-- Each row lists its slots left to right, one per cell that starts in it or
-- that a cell from a row above covers there:
--   { text =, col = first grid column (1-based), colspan =, rowspan =,
--     kind = "title" | "corner" | "head" | "group" | "label" | "value",
--     cell = "t3.new.natural" (values), aliases = the row's (labels),
--     cont = true (covered from above) }
-- HTML leaves out the cont slots; DOCX writes them as vMerge continuations;
-- the published text writes them as empty cells.

local M = {}

local function leaves(cols)
  local n = 0
  for _, c in ipairs(cols) do n = n + (c.children and leaves(c.children) or 1) end
  return n
end

local function depth(nodes)
  local d = 0
  for _, n in ipairs(nodes) do
    local k = 1 + (n.children and depth(n.children) or 0)
    if k > d then d = k end
  end
  return d
end

local function is_data(row) return row.children == nil or row.data == true end

-- grid rows a row subtree occupies
local function span_of(row)
  if not row.children then return 1 end
  local n = row.data and 1 or 0
  for _, c in ipairs(row.children) do n = n + span_of(c) end
  return n
end

-- column header rows of a block: nodes at depth d go into header row d
local function header(block, L, W, out)
  local H = depth(block.columns)
  local first = #out + 1
  for d = 1, H do out[first + d - 1] = {} end
  local extend = W - leaves(block.columns) -- a narrower block's last column spans the rest
  if L > 0 then
    local r = out[first]
    r[#r + 1] = { text = block.corner or "", col = 1, colspan = L, rowspan = H, kind = "corner" }
  end
  local function walk(cols, d, col, rightmost)
    for i, c in ipairs(cols) do
      local last = rightmost and i == #cols
      local span = (c.children and leaves(c.children) or 1) + (last and extend or 0)
      local r = out[first + d - 1]
      r[#r + 1] = { text = c.label, col = col, colspan = span, rowspan = c.children and 1 or H - d + 1, kind = "head" }
      if c.children then walk(c.children, d + 1, col, last) end
      col = col + span
    end
  end
  walk(block.columns, 1, L + 1, true)
  return H
end

-- The slots made for every report (values, labels, covered cells) are
-- written with three fields more, room1..3, never set: a table constructor
-- sizes the table by its fields, so there is room for the fields a
-- renderer adds to each slot (HTML four or five, DOCX four) and adding them
-- does not grow and rehash every slot.

-- cell ids by table, row and column id: made once, not for every report
local cell_ids = {}

-- a row's value slots, their texts the cells of the report (cells: by row
-- and column id), each noted, for a standing grid, in vals with the cell
-- it holds: vals.slots[i] holds cell vals.cids[i] of row vals.rids[i]

local function value_slots(r, tid, row, leaf_cols, L, W, cells, vals)
  local col = L + 1
  local by_table = cell_ids[tid]
  if not by_table then by_table = {}; cell_ids[tid] = by_table end
  local rid = row.id
  local ids = by_table[rid]
  if not ids then ids = {}; by_table[rid] = ids end
  local values = cells[rid] or {}
  for i, c in ipairs(leaf_cols) do
    local span = i == #leaf_cols and W - #leaf_cols + 1 or 1
    local cid = c.id
    local id = ids[cid]
    if not id then id = tid .. "." .. rid .. "." .. cid; ids[cid] = id end
    local s = { text = values[cid] or "", col = col, colspan = span, rowspan = 1, kind = "value", cell = id,
                room1 = nil, room2 = nil, room3 = nil }
    r[#r + 1] = s
    if vals then
      local n = #vals.slots + 1
      vals.slots[n], vals.rids[n], vals.cids[n] = s, rid, cid
    end
    col = col + span
  end
end

local function leaf_columns(cols, out)
  for _, c in ipairs(cols) do
    if c.children then leaf_columns(c.children, out) else out[#out + 1] = c end
  end
  return out
end

-- data rows of a block; group labels span the rows beneath them
local function body(tid, block, L, W, out, cells, vals)
  local cols = leaf_columns(block.columns, {})
  local pending = {}
  local function new_row()
    local r = pending
    pending = {}
    out[#out + 1] = r
    return r
  end
  local function walk(rows, d)
    for _, row in ipairs(rows) do
      if block.labels == false then
        local r = new_row()
        if L > 0 then r[#r + 1] = { text = "", col = 1, colspan = L, rowspan = 1, kind = "label" } end
        value_slots(r, tid, row, cols, L, W, cells, vals)
      elseif not row.children then
        local r = new_row()
        r[#r + 1] = { text = row.label, col = d, colspan = L - d + 1, rowspan = 1, kind = "label", aliases = row.aliases,
                      room1 = nil, room2 = nil, room3 = nil }
        value_slots(r, tid, row, cols, L, W, cells, vals)
      else
        if is_data(row) then
          -- a group with values of its own: a row like any other, its
          -- children beneath it with an empty merged cell to their left
          local r = new_row()
          r[#r + 1] = { text = row.label, col = d, colspan = L - d + 1, rowspan = 1, kind = "label", aliases = row.aliases }
          value_slots(r, tid, row, cols, L, W, cells, vals)
          pending[#pending + 1] = { text = "", col = d, colspan = 1, rowspan = span_of(row) - 1, kind = "group" }
        else
          pending[#pending + 1] = { text = row.label, col = d, colspan = 1, rowspan = span_of(row), kind = "group",
                                    aliases = row.aliases }
        end
        walk(row.children, d + 1)
      end
    end
  end
  walk(block.rows, 1)
end

-- adds the slots that cells from rows above cover, in column order
local function add_continuations(rows, width)
  local cov_slot, cov_left = {}, {} -- grid column → the slot covering it from above, rows it still covers
  for i, r in ipairs(rows) do
    local starts, out, col = {}, {}, 1
    for _, s in ipairs(r) do starts[s.col] = s end
    while col <= width do
      local left = cov_left[col]
      if left and left > 0 then
        local s = cov_slot[col]
        out[#out + 1] = { text = "", col = col, colspan = s.colspan, rowspan = 1, kind = s.kind, cont = true,
                          room1 = nil, room2 = nil, room3 = nil }
        cov_left[col] = left - 1
        col = col + s.colspan
      else
        local s = starts[col]
        if not s then error("grid：某行第 " .. col .. " 列没有格（格式的行或栏树无法排成网格）") end
        out[#out + 1] = s
        if s.rowspan > 1 then cov_slot[col], cov_left[col] = s, s.rowspan - 1 end
        col = col + s.colspan
      end
    end
    rows[i] = out
  end
end

-- column widths in percent: labels take 45 (the innermost label column most
-- of it, outer group columns are narrow), values share the rest
local function widths(L, W)
  local w, label_total = {}, L > 0 and 45 or 0
  for i = 1, L - 1 do w[i] = 8 end
  if L > 0 then w[L] = label_total - 8 * (L - 1) end
  for i = 1, W do w[L + i] = (100 - label_total) / W end
  return w
end

-- the grid, its value slots' texts the cells; vals (given for a standing
-- grid) gets its value slots (value_slots)
local function build(tbl, cells, vals)
  local L, W = 0, 0
  for _, b in ipairs(tbl.blocks) do
    if b.labels ~= false then L = math.max(L, depth(b.rows)) end
    W = math.max(W, leaves(b.columns))
  end
  local rows, header_rows = {}, 0
  for _, b in ipairs(tbl.blocks) do
    if b.label then
      rows[#rows + 1] = { { text = b.label, col = 1, colspan = L + W, rowspan = 1, kind = "title" } }
    end
    local h = header(b, L, W, rows)
    if #tbl.blocks == 1 and not b.label then header_rows = h end
    body(tbl.id, b, L, W, rows, cells, vals)
  end
  add_continuations(rows, L + W)
  return { width = L + W, label_cols = L, value_cols = W, widths = widths(L, W), header_rows = header_rows, rows = rows }
end

function M.grid(tbl, cells)
  return build(tbl, cells or {})
end

-- A standing grid, for a renderer that renders many reports and never
-- changes its declaration: standing(tbl) works out the layout once, and
-- refill(st, cells) gives a report's grid, as grid() would, whose slot
-- tables are the same for every report, only the value slots' texts set
-- anew — the rows arrays, the widths and the grid table itself are fresh.
-- What a renderer sets on a slot must then be the same for every report
-- (HTML's decorate).  Walking the trees and making the slots for every
-- report was a third of an HTML render.
function M.standing(tbl)
  local vals = { slots = {}, rids = {}, cids = {} }
  return { grid = build(tbl, {}, vals), vals = vals }
end

function M.refill(st, cells)
  cells = cells or {}
  local vals = st.vals
  local slots, rids, cids = vals.slots, vals.rids, vals.cids
  for i = 1, #slots do
    local values = cells[rids[i]]
    slots[i].text = values and values[cids[i]] or ""
  end
  local g = st.grid
  local rows, w = {}, {}
  for i, r in ipairs(g.rows) do rows[i] = r end
  for i, x in ipairs(g.widths) do w[i] = x end
  return { width = g.width, label_cols = g.label_cols, value_cols = g.value_cols, widths = w,
           header_rows = g.header_rows, rows = rows }
end

-- statistics(rows): the same shape for the free-form statistics rows of a
-- format without tables (the legacy 统计表: report.statistics, each
-- { label, unit, values }).  The first row is the header as printed
-- (指标名称 | 计量单位 | 本年度 | 历年累计, kind "head"); then one grid row per
-- statistics row: the label, the unit (kind "label"), the values (kind
-- "number", printed right-aligned).  The unit column is left out when no row
-- has a unit (the text importer knows a unit column only by its header);
-- a row shorter than the widest gets empty cells.
function M.statistics(stats)
  local W, L = 0, 1
  for _, r in ipairs(stats) do
    W = math.max(W, #r.values)
    if r.unit and r.unit ~= "" then L = 2 end
  end
  local rows = {}
  for i, r in ipairs(stats) do
    local head = i == 1
    local row = { { text = r.label or "", col = 1, colspan = 1, rowspan = 1, kind = head and "head" or "label" } }
    if L == 2 then row[2] = { text = r.unit or "", col = 2, colspan = 1, rowspan = 1, kind = head and "head" or "label" } end
    for k = 1, W do
      row[L + k] = { text = r.values[k] or "", col = L + k, colspan = 1, rowspan = 1, kind = head and "head" or "number" }
    end
    rows[i] = row
  end
  -- label and unit take 45 % (as the format tables' label area; the unit
  -- 10 of it), the values share the rest; without values the label takes it
  local unit = L == 2 and 10 or 0
  local w = { W > 0 and 45 - unit or 100 - unit }
  if L == 2 then w[2] = unit end
  for k = 1, W do w[L + k] = 55 / W end
  return { width = L + W, label_cols = L, value_cols = W, widths = w, header_rows = 1, rows = rows }
end

return M
