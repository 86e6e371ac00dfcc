--: renderer xlsx
-- Renderer for the fill-in spreadsheet (.xlsx): the official tables on one
-- sheet, laid out as the CSV wide layout lays them out (lib/grid.lua: the
-- title first, then each table's label and its grid with the template's
-- merged headers), so the xlsx importer reads a filled copy back the way the
-- CSV importer reads a CSV.  The workbook is written by libxlsxwriter
-- through host.xlsx_book (docs/renderers.md); everything about the layout
-- is here.
--
-- What makes it a form to fill in:
-- * every 总计 cell holds a formula, derived from the format's own rules:
--   an assertion `CELL == a + sum(…)` (T3-COL, T3-RES, T4-SUM) makes CELL
--   the sum of the right side;
-- * every other equality over one column (T3-BAL, 本列数据的勾稽关系) gets
--   a 勾稽 row below its table: left side minus right side, 0 when it holds;
-- * input cells (yellow) accept a whole number ≥ 0 (a decimal for amounts)
--   or "/", nothing else (data validation);
-- * the 填报说明 of the format (table instructions, row instructions) are
--   cell notes on the table's label and the row's label.
local host = ...

local grid, document
local concat, floor = table.concat, math.floor

-- the label a 勾稽 row starts with: plugins/importers/xlsx.lua skips such rows
local CHECK = "勾稽："
local SHEET = "统计表"

local function col_letters(c)
  local s = ""
  while c > 0 do
    local r = (c - 1) % 26
    s = string.char(65 + r) .. s
    c = (c - 1 - r) // 26
  end
  return s
end

local function ref(r, c) return col_letters(c) .. r end

---------------------------------------------------------------- rules → formulas

local function leaf_ids(cols, out)
  for _, c in ipairs(cols) do
    if c.children then leaf_ids(c.children, out) else out[#out + 1] = c.id end
  end
  return out
end

local function data_row_ids(rows, out)
  for _, r in ipairs(rows) do
    if not r.children or r.data then out[#out + 1] = r.id end
    if r.children then data_row_ids(r.children, out) end
  end
  return out
end

-- the values a variable of `each` ranges over
local function each_values(fmt, spec)
  if type(spec) == "table" then return spec end
  local tid, what = string.match(spec, "^([%w_]+)%.(%a+)$")
  for _, t in ipairs(fmt.tables) do
    if t.id == tid then
      local out = {}
      for _, b in ipairs(t.blocks) do
        if what == "columns" then leaf_ids(b.columns, out) else data_row_ids(b.rows, out) end
      end
      return out
    end
  end
  return {}
end

local function glob(pat)
  return "^" .. string.gsub(pat, "[%^%$%(%)%%%.%[%]%+%-%?]", "%%%0"):gsub("%*", ".*") .. "$"
end

-- the cells a reference names (row and column may be a glob or a set), in
-- grid order; nil when the reference is no plain cell reference
local function expand(r, addr, order)
  local t, row, col = string.match(r, "^([%w_]+)%.([%w_*{},]+)%.([%w_*{},]+)$")
  if not t then return nil end
  local function matcher(p)
    local set = string.match(p, "^{(.*)}$")
    if set then
      local ok = {}
      for w in string.gmatch(set, "[^,%s]+") do ok[w] = true end
      return function(x) return ok[x] end
    end
    local g = glob(p)
    return function(x) return string.find(x, g) ~= nil end
  end
  local mr, mc = matcher(row), matcher(col)
  local out = {}
  for _, id in ipairs(order) do
    local tt, rr, cc = string.match(id, "^([%w_]+)%.([%w_]+)%.([%w_]+)$")
    if tt == t and mr(rr) and mc(cc) then out[#out + 1] = id end
  end
  return out
end

-- a side `a + sum(b) - c`: { { sign = 1|-1, cells = {…} }, … }, or nil when
-- it holds anything else (numbers, multiples, parentheses)
local function parse_side(s, addr, order)
  local terms = {}
  s = "+" .. string.gsub(s, "%s+", "")
  for sign, term in string.gmatch(s, "([%+%-])([^%+%-]+)") do
    local inner = string.match(term, "^sum%((.*)%)$") or term
    if string.find(inner, "prev.", 1, true) then return nil end
    local cells = expand(inner, addr, order)
    if not cells then return nil end
    terms[#terms + 1] = { sign = sign == "+" and 1 or -1, cells = cells }
  end
  return terms
end

local function instances(fmt, rule, text)
  local vars, used = {}, {}
  for v in string.gmatch(text, "%${?([%a_][%w_]*)}?") do
    if not used[v] and rule.each and rule.each[v] then used[v] = true; vars[#vars + 1] = v end
  end
  local out = { text }
  for _, v in ipairs(vars) do
    local next_out = {}
    for _, t in ipairs(out) do
      for _, val in ipairs(each_values(fmt, rule.each[v])) do
        local s = string.gsub(t, "%${" .. v .. "}", val)
        next_out[#next_out + 1] = (string.gsub(s, "%$" .. v .. "([^%w_]?)", val .. "%1"))
      end
    end
    out = next_out
  end
  return out
end

-- formulas[cell id] = { terms }, checks = { { rule =, table =, col = cell
-- column id, left =, right = } … } from the rules' equalities
local function derive(fmt, addr, order)
  local formulas, checks = {}, {}
  for _, rule in ipairs(fmt.rules or {}) do
    local asserts = type(rule.assert) == "table" and rule.assert or { rule.assert }
    for _, a in ipairs(asserts) do
      if type(a) == "string" and not string.find(a, "prev.", 1, true) then
        for _, inst in ipairs(instances(fmt, rule, a)) do
          local l, r = string.match(inst, "^(.-)==(.*)$")
          local left = l and parse_side(l, addr, order)
          local right = r and parse_side(r, addr, order)
          if left and right and #left > 0 and #right > 0 then
            local target = #left == 1 and left[1].sign == 1 and #left[1].cells == 1 and left[1].cells[1]
            local plus = true
            for _, t in ipairs(right) do
              if t.sign < 0 then plus = false end
              for _, c in ipairs(t.cells) do if c == target then plus = false end end
            end
            if target and plus and addr[target] then
              formulas[target] = formulas[target] or right
            elseif not target then
              -- an equality of sums: a 勾稽 check, when every cell is in one grid column
              local col
              for _, side in ipairs({ left, right }) do
                for _, t in ipairs(side) do
                  for _, c in ipairs(t.cells) do
                    local a2 = addr[c]
                    if not a2 then col = false elseif col == nil then col = a2.c elseif col ~= a2.c then col = false end
                  end
                end
              end
              if col then
                checks[#checks + 1] = { rule = rule, table = string.match(left[1].cells[1] or "", "^([%w_]+)%."),
                                        col = col, left = left, right = right }
              end
            end
          end
        end
      end
    end
  end
  return formulas, checks
end

---------------------------------------------------------------- values

local function number_of(v)
  if v == nil or v == "" or v == "/" then return nil end
  local s = string.gsub(v, ",", "")
  return tonumber(s)
end

-- cell addresses {r, c} as the shortest list of references and ranges
-- (runs along a row or down a column)
local function ref_list(cells)
  table.sort(cells, function(a, b) return a.r < b.r or a.r == b.r and a.c < b.c end)
  local out, i = {}, 1
  while i <= #cells do
    local a, j = cells[i], i
    while cells[j + 1] and cells[j + 1].r == a.r and cells[j + 1].c == cells[j].c + 1 do j = j + 1 end
    if j == i then
      while cells[j + 1] and cells[j + 1].c == a.c and cells[j + 1].r == cells[j].r + 1 do j = j + 1 end
    end
    out[#out + 1] = j > i and (ref(a.r, a.c) .. ":" .. ref(cells[j].r, cells[j].c)) or ref(a.r, a.c)
    i = j + 1
  end
  return out
end

-- SUM(args) in the sheet's syntax and its value now (nil when no argument is a number)
local function sum_of(terms, addr, value)
  local plus, minus, total, any = {}, {}, 0, false
  for _, t in ipairs(terms) do
    for _, c in ipairs(t.cells) do
      local a = addr[c]
      local list = t.sign > 0 and plus or minus
      list[#list + 1] = { r = a.r, c = a.c }
      local n = number_of(value(c))
      if n then total, any = total + t.sign * n, true end
    end
  end
  return ref_list(plus), ref_list(minus), any and total or nil
end

local function fmt_number(n)
  if n == floor(n) and math.abs(n) < 2 ^ 53 then return string.format("%d", n) end
  return string.format("%.15g", n)
end

---------------------------------------------------------------- the workbook

local WIDTH_GROUP, WIDTH_LABEL, WIDTH_VALUE = 14, 40, 11

local function render(report, fmt)
  grid = grid or host.lib("grid").grid
  document = document or host.lib("document")
  local book = host.xlsx_book()
  local F = {
    title = book:format({ bold = true, size = 14, align = "center", valign = "center" }),
    table = book:format({ bold = true, size = 12 }),
    head = book:format({ bold = true, wrap = true, align = "center", valign = "center", border = 1, bg = 0xD9D9D9 }),
    label = book:format({ wrap = true, valign = "center", border = 1 }),
    group = book:format({ wrap = true, align = "center", valign = "center", border = 1 }),
    input = book:format({ border = 1, align = "right", bg = 0xFFF2CC, unlocked = true }),
    formula = book:format({ border = 1, align = "right", bg = 0xE2EFDA, bold = true }),
    check = book:format({ border = 1, align = "right", bg = 0xDDEBF7 }),
    checklabel = book:format({ wrap = true, valign = "center", border = 1, bg = 0xDDEBF7 }),
  }
  local sh = book:sheet(SHEET)
  local title = document.title(report)

  -- pass 1: where every value cell goes, the widest grid, the label columns
  local layouts, r, width, label_cols = {}, 2, 1, 0
  local addr, order, amount = {}, {}, {}
  for _, tbl in ipairs(fmt.tables) do
    local g = grid(tbl, report.tables[tbl.id])
    layouts[#layouts + 1] = { tbl = tbl, g = g, top = r + 2 } -- the label in row r + 1, the grid below it
    r = r + 1
    for _, b in ipairs(tbl.blocks) do
      local cols = {}
      local function leaves(cs) for _, c in ipairs(cs) do if c.children then leaves(c.children) else cols[#cols + 1] = c end end end
      leaves(b.columns)
      for _, rid in ipairs(data_row_ids(b.rows, {})) do
        for _, c in ipairs(cols) do
          if c.type == "amount" or c.type == "signed" then amount[tbl.id .. "." .. rid .. "." .. c.id] = c.type end
        end
      end
    end
    for _, row in ipairs(g.rows) do
      r = r + 1
      for _, s in ipairs(row) do
        if s.kind == "value" and not s.cont then
          addr[s.cell] = { r = r, c = s.col, slot = s }
          order[#order + 1] = s.cell
        end
      end
    end
    layouts[#layouts].bottom = r
    if g.width > width then width = g.width end
    if g.label_cols > label_cols then label_cols = g.label_cols end
    r = r + 1 -- room for the table's 勾稽 rows is made below, when there are any
  end
  local formulas, checks = derive(fmt, addr, order)
  local checks_of = {}
  for _, ck in ipairs(checks) do
    local t = ck.table
    checks_of[t] = checks_of[t] or {}
    local list = checks_of[t]
    local key = ck.rule.id
    local row = list[key]
    if not row then
      row = { rule = ck.rule, cols = {} }
      list[key] = row
      list[#list + 1] = row
    end
    row.cols[#row.cols + 1] = ck
  end

  -- pass 2: the rows, with the 勾稽 rows of a table right below it (which
  -- shifts the tables after it: addresses are recomputed)
  local shift, shifted = 0, {}
  for _, lay in ipairs(layouts) do
    lay.top = lay.top + shift
    lay.bottom = lay.bottom + shift
    for _, row in ipairs(lay.g.rows) do
      for _, s in ipairs(row) do
        if s.kind == "value" and not s.cont then shifted[s.cell] = shift end
      end
    end
    shift = shift + #(checks_of[lay.tbl.id] or {})
  end
  for id, a in pairs(addr) do a.r = a.r + shifted[id] end

  local values = {}
  local function value(id)
    if values[id] ~= nil then return values[id] end
    local a = addr[id]
    local v = a and a.slot.text or ""
    local terms = formulas[id]
    if terms then
      values[id] = "" -- a cycle reads as blank
      local _, _, n = sum_of(terms, addr, value)
      v = n and fmt_number(n) or ""
    end
    values[id] = v
    return v
  end

  for c = 1, width do
    book:column(sh, c, c, c > label_cols and WIDTH_VALUE or c == label_cols and WIDTH_LABEL or WIDTH_GROUP)
  end
  book:merge(sh, 1, 1, 1, math.max(width, 2), title, F.title)
  book:row(sh, 1, 30)
  book:comment(sh, 1, 1, "填写说明：黄色格填写数字，没有的填 0，不适用的填“/”；绿色格是公式，自动合计，不要改写；" ..
    "蓝色的“勾稽”行应为 0，不为 0 说明数据有误。表格标题和行名称上的批注是格式规定的填报说明。",
    { width = 420, height = 120 })

  for _, lay in ipairs(layouts) do
    local tbl, g = lay.tbl, lay.g
    local row_no = lay.top - 1
    book:text(sh, row_no, 1, tbl.label, F.table)
    if tbl.instructions and #tbl.instructions > 0 then
      book:comment(sh, row_no, 1, "填报说明：\n" .. concat(tbl.instructions, "\n"), { width = 420, height = 160 })
    end
    local instr = {}
    local function walk(rows)
      for _, rw in ipairs(rows) do
        if rw.instruction then instr[rw.label] = rw.instruction end
        if rw.children then walk(rw.children) end
      end
    end
    for _, b in ipairs(tbl.blocks) do walk(b.rows) end
    for i, row in ipairs(g.rows) do
      local rn = lay.top + i - 1
      for _, s in ipairs(row) do
        if not s.cont then
          local r2, c2 = rn + s.rowspan - 1, s.col + s.colspan - 1
          if s.kind == "value" then
            local a = addr[s.cell]
            local terms = formulas[s.cell]
            -- a value spanning columns: merged first (a merge writes its text into the first cell)
            if c2 > s.col then book:merge(sh, rn, s.col, rn, c2, "", terms and F.formula or F.input) end
            if terms then
              local plus = sum_of(terms, addr, value)
              local list = concat(plus, ",")
              local v = value(s.cell)
              book:formula(sh, a.r, a.c, "=IF(COUNT(" .. list .. ")=0,\"\",SUM(" .. list .. "))", F.formula,
                           number_of(v) or v)
            else
              local n = number_of(s.text)
              if n then book:number(sh, a.r, a.c, n, F.input) else book:text(sh, a.r, a.c, s.text, F.input) end
              local x = ref(a.r, a.c)
              local kind = amount[s.cell]
              local f = kind == "signed" and ("=OR(ISNUMBER(" .. x .. ")," .. x .. "=\"/\")")
                or kind == "amount" and ("=OR(AND(ISNUMBER(" .. x .. ")," .. x .. ">=0)," .. x .. "=\"/\")")
                or ("=OR(AND(ISNUMBER(" .. x .. ")," .. x .. ">=0,INT(" .. x .. ")=" .. x .. ")," .. x .. "=\"/\")")
              local what = kind == "signed" and "填写数字" or kind == "amount" and "填写金额（不小于 0）"
                or "填写整数（不小于 0）"
              book:validation(sh, a.r, a.c, a.r, a.c, {
                formula = f, title = "填写", message = what .. "，没有的填 0，不适用的填“/”",
                error_title = "不能这样填", error = "只能" .. what .. "，或“/”",
              })
            end
          else
            local f = (s.kind == "head" or s.kind == "corner" or s.kind == "title") and F.head
              or s.kind == "group" and F.group or F.label
            if r2 > rn or c2 > s.col then
              book:merge(sh, rn, s.col, r2, c2, s.text, f)
            else
              book:text(sh, rn, s.col, s.text, f)
            end
            if s.kind == "label" and instr[s.text] then
              book:comment(sh, rn, s.col, "填报说明：" .. instr[s.text], { width = 300, height = 80 })
            end
          end
        end
      end
    end
    -- the 勾稽 rows: left side minus right side, in each column the rule covers
    for k, ck in ipairs(checks_of[tbl.id] or {}) do
      local rn = lay.bottom + k
      local L = math.max(g.label_cols, 1)
      book:merge(sh, rn, 1, rn, L, CHECK .. ck.rule.message .. "（左减右，应为 0）", F.checklabel)
      book:row(sh, rn, 45)
      for _, c in ipairs(ck.cols) do
        local lp, lm, lv = sum_of(c.left, addr, value)
        local rp, rm, rv = sum_of(c.right, addr, value)
        local function expr(p, m)
          local e = #p > 0 and ("SUM(" .. concat(p, ",") .. ")") or "0"
          if #m > 0 then e = e .. "-SUM(" .. concat(m, ",") .. ")" end
          return e
        end
        book:formula(sh, rn, c.col, "=(" .. expr(lp, lm) .. ")-(" .. expr(rp, rm) .. ")", F.check,
                     (lv or 0) - (rv or 0))
      end
    end
  end

  -- a format without tables (legacy): the statistics rows as written
  local rn = 3
  for _, st in ipairs(report.statistics or {}) do
    book:text(sh, rn, 1, st.label or "", F.label)
    book:text(sh, rn, 2, st.unit or "", F.label)
    for k, v in ipairs(st.values) do
      local n = number_of(v)
      if n then book:number(sh, rn, 2 + k, n, F.input) else book:text(sh, rn, 2 + k, v, F.input) end
    end
    rn = rn + 1
  end
  return book:close()
end

host.renderer {
  id = "xlsx",
  description = "Excel 填报表：官方表样（合并表头），总计和勾稽行为公式，输入校验，填报说明作批注",
  extension = "xlsx",
  render = render,
}
