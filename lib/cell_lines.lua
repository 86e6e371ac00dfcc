-- Reading a table from text that gives every cell of the printed grid a
-- line of its own, without indentation and without blank lines between
-- rows — what LibreOffice writes when a .docx is saved as plain text:
-- cells in grid order, an empty line for a cell merged with the one above.
-- Nothing in such text says where a row ends, so the lines are walked along
-- the format's own grid (lib/grid.lua): labels must match the official
-- ones, and the value cells are the lines in between.
local host = ...

local grid = host.lib("grid").grid
local norm = host.norm
local gsub, sub, find = string.gsub, string.sub, string.find

local M = {}
local grids = {}

local function empty_grid(tbl)
  local g = grids[tbl]
  if not g then
    g = grid(tbl, {})
    grids[tbl] = g
  end
  return g
end

local trim = host.trim -- white space and U+3000 at either end

-- the first printed cell of tbl, when this layout can be recognised by it
local function first_text(tbl)
  local first = empty_grid(tbl).rows[1][1]
  return first.text ~= "" and first.text or nil
end

-- Does this line open tbl, written one cell a line?
function M.opens(tbl, line)
  local first = first_text(tbl)
  return first ~= nil and norm(trim(line)) == norm(first)
end

local function matches(slot, text)
  local n = norm(text)
  if n == norm(slot.text) then return true end
  for _, a in ipairs(slot.aliases or {}) do
    if n == norm(a) then return true end
  end
  return false
end

-- could more lines still complete the label?
local function partial(slot, text)
  local n = norm(text)
  if n == "" then return false end
  if find(norm(slot.text), n, 1, true) == 1 then return true end
  for _, a in ipairs(slot.aliases or {}) do
    if find(norm(a), n, 1, true) == 1 then return true end
  end
  return false
end

-- rows(tbl, lines, at) → the table's rows as the text importer's row items
-- ({ kind = "row", cells, lines, line }) and the number of the last line
-- used.  A label out of place is an input error naming its line.
function M.rows(tbl, lines, at)
  local items, j = {}, at
  local function mismatch(expected)
    host.input_error(j, string.format("%s：第%d行应为“%s”，却是“%s”。按“每个单元格一行”读取表格时（如 LibreOffice 另存为纯文本），" ..
      "单元格须与官方模板的顺序、合并方式一致；请检查表格是否被改动", tbl.label, j, expected, trim(lines[j] or "")))
  end
  for _, row in ipairs(empty_grid(tbl).rows) do
    local item = { kind = "row", cells = {}, lines = {}, line = j }
    for _, slot in ipairs(row) do
      if j > #lines then mismatch(slot.text ~= "" and slot.text or "（空单元格）") end
      local text = trim(lines[j])
      if slot.kind ~= "value" then
        if slot.text == "" then
          if text ~= "" then mismatch("（空单元格）") end
        else
          local first = j
          while not matches(slot, text) do
            if j - first >= 3 or j >= #lines or not partial(slot, text) then j = first; mismatch(slot.text) end
            j = j + 1
            text = text .. "\n" .. trim(lines[j])
          end
        end
      end
      item.cells[#item.cells + 1] = text
      item.lines[#item.lines + 1] = j
      j = j + 1
    end
    items[#items + 1] = item
  end
  return items, j - 1
end

return M
