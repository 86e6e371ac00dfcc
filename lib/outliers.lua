-- 核实 (severity "verify"): outliers against last year's report that the
-- report should explain — not errors.  The format declares the quantities and
-- thresholds as data; this module only applies them (with check --prev):
--
--   outliers.jump(spec) → a Lua rule function (report, prev) → findings
--     spec = { factor = 5, min_cases = 10,
--              quantities = { { what = "本年新收申请", cells = { "t3.new.total" } }, … } }
--     a quantity that grew or fell by factor or more (×5, ÷5) where the larger
--     year has at least min_cases, or that is 0 after a year of min_cases or more
--   outliers.drift(spec) → rule function
--     spec = { min_cases = 10, share = 50, carried_in = "t3.carried_in.total",
--              carried_out = "t3.carried_out.total", received = { "t3.new.total", "t3.carried_in.total" } }
--     the carry-over grew since last year and is at least min_cases and share %
--     of the year's applications (a backlog building up)
-- A blank or non-numeric cell in either year: not compared.
local M = {}
local match, format = string.match, string.format

-- a cell address "t3.new.total" as { table, row, column }: split once,
-- when the rule is made, not at every report
local function split(addr)
  local t, r, c = match(addr, "^([^.]+)%.([^.]+)%.([^.]+)$")
  return { t, r, c }
end

local function split_all(cells)
  local out = {}
  for i, addr in ipairs(cells) do out[i] = split(addr) end
  return out
end

-- the sum of the cells (split addresses) in report, or nil when one is blank or not a number
local function value(report, cells)
  if not report then return nil end
  local tables = report.tables
  local sum = 0
  for i = 1, #cells do
    local a = cells[i]
    local tab = tables and tables[a[1]]
    local row = tab and tab[a[2]]
    local n = row and tonumber(row[a[3]])
    if not n then return nil end
    sum = sum + n
  end
  return sum
end

local function at(addr, f)
  f.table, f.row, f.column = match(addr, "^([^.]+)%.([^.]+)%.([^.]+)$")
  return f
end

function M.jump(spec)
  local factor, min = spec.factor, spec.min_cases
  local cells = {}
  for i, q in ipairs(spec.quantities) do cells[i] = split_all(q.cells) end
  return function(report, prev)
    local out = {}
    if not prev then return out end
    for i, q in ipairs(spec.quantities) do
      local now, last = value(report, cells[i]), value(prev, cells[i])
      if now and last then
        local msg
        if now == 0 and last >= min then
          msg = format("%s本年为 0，上年为 %d：请在报告中说明原因，或核对表格", q.what, last)
        elseif math.max(now, last) >= min and now >= factor * last and now > last then
          msg = format("%s本年 %d，上年 %d，增长到 %s 倍以上：请在报告中说明原因，或核对表格", q.what, now, last,
                       last > 0 and format("%d", now // last) or format("%d", factor))
        elseif math.max(now, last) >= min and last >= factor * now and now > 0 then
          msg = format("%s本年 %d，上年 %d，减少到 %d 分之一以下：请在报告中说明原因，或核对表格", q.what, now, last,
                       last // now)
        end
        if msg then
          out[#out + 1] = at(q.cells[1], { message = msg, expected = format("与上年 %d 相近", last),
                                           actual = format("%d", now) })
        end
      end
    end
    return out
  end
end

function M.drift(spec)
  local carried_out, received_cells = { split(spec.carried_out) }, split_all(spec.received)
  return function(report, prev)
    if not prev then return {} end
    local now, last = value(report, carried_out), value(prev, carried_out)
    local received = value(report, received_cells)
    if not (now and last and received) or received == 0 then return {} end
    if now > last and now >= spec.min_cases and now * 100 >= spec.share * received then
      return { at(spec.carried_out, {
        message = format("结转下年度 %d 件，占本年应办理的 %d 件的 %d%%，上年结转下年度 %d 件：积压在增加，请在报告中说明原因",
                         now, received, now * 100 // received, last),
        expected = format("少于 %d%%", spec.share), actual = format("%d", now) }) }
    end
    return {}
  end
end

return M
