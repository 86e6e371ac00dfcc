-- The region's overview page (nianbao overview --year Y): one self-contained
-- HTML file — no script, no font or image fetched, every chart an inline SVG
-- drawn here.  C hands over the data (host/cli/cli_overview.c):
--
--   data = { year =, roster = { { unit, parent, level }, … },
--            reports = { { unit, format, published, source, level, late, late_msg, paired,
--                          errors, warnings, infos, copies, findings = { { rule, severity, message }, … } }, … },
--            sums = { { year, format, reports, cells = { ["t3.new.total"] = n, … } }, … } }
--
-- reports are the year's (the newest of each unit, checked against the
-- unit's previous year, DATE-DL by its roster 层级); sums are every year's
-- cells added up over the units' reports, one entry per year and format.
-- Which cells the charts read is format knowledge and is declared below
-- (CHARTS, by format id); labels come from the format declarations.
local host = ...

local template = host.lib("template")
local esc = template.escape_markup
local format, sort, concat = string.format, table.sort, table.concat

local M = {}

local OFFICIAL = {
  applications = "t3.new.total",                               -- 本年新收政府信息公开申请数量 · 总计
  outcomes = { table = "t3", group = "results", col = "total", -- 三、本年度办理结果 by its parts
               skip = { results_total = true } },
  review = { table = "t4", row = "cases", skip_suffix = "_total" }, -- 表四 every result, no 总计
}
M.CHARTS = { ["gov-2019"] = OFFICIAL, ["gov-2021"] = OFFICIAL }

M.TOP_UNITS = 20 -- units in the ranking chart

local function table_decl(fmt, tid)
  for _, t in ipairs(fmt and fmt.tables or {}) do
    if t.id == tid then return t end
  end
end

local function find_row(rows, id)
  for _, r in ipairs(rows or {}) do
    if r.id == id then return r end
    local x = r.children and find_row(r.children, id)
    if x then return x end
  end
end

local function leaf_rows(r, out)
  if not r.children or r.data then out[#out + 1] = r.id end
  for _, c in ipairs(r.children or {}) do leaf_rows(c, out) end
  return out
end

local function leaf_cols(cols, path, out)
  for _, c in ipairs(cols) do
    local p = c.label and (path and path .. "·" .. c.label or c.label) or path
    if c.children then leaf_cols(c.children, p, out) else out[#out + 1] = { id = c.id, label = p or c.id } end
  end
  return out
end

-- the sum over the year's entries (each format its own ids) of cell addr
local function sum_of(sums, year, addr_of)
  local total, any = 0, false
  for _, s in ipairs(sums) do
    local spec = M.CHARTS[s.format]
    if s.year == year and spec then
      for _, addr in ipairs(addr_of(spec, s.format)) do
        local v = s.cells[addr]
        if v then total = total + v; any = true end
      end
    end
  end
  return any and total or nil
end

-- a horizontal bar chart: bars = { { label =, value = } }; each bar a <rect
-- class="bar"> with data-label and data-value (the number drawn)
local function num(v)
  if math.type(v) == "integer" or v == math.floor(v) then return format("%d", v) end
  return (string.gsub(format("%.2f", v), "%.?0+$", ""))
end

local function bar_chart(id, bars)
  local W, LW, BH, GAP = 960, 360, 20, 8
  local max = 0
  for _, b in ipairs(bars) do if b.value > max then max = b.value end end
  local scale = max > 0 and (W - LW - 80) / max or 0
  local h = #bars * (BH + GAP) + GAP
  local out = { format('<svg id="%s" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img">',
                       esc(id), W, h, W, h) }
  for i, b in ipairs(bars) do
    local y = GAP + (i - 1) * (BH + GAP)
    local w = b.value * scale
    if b.value > 0 and w < 1 then w = 1 end
    -- a label's trailing note in brackets (（区分处理的，只计这一情形…）) is left off the drawing
    local shown, first = b.label, string.find(b.label, "（", 1, true)
    local second = first == 1 and string.find(b.label, "（", 4, true)
    if second and string.sub(b.label, -3) == "）" then shown = string.sub(b.label, 1, second - 1) end
    out[#out + 1] = format('<text class="label" x="%d" y="%d" text-anchor="end">%s</text>', LW - 8, y + BH - 5,
                           esc(shown))
    out[#out + 1] = format('<rect class="bar" x="%d" y="%d" width="%.1f" height="%d" data-label="%s" data-value="%s"/>',
                           LW, y, w, BH, esc(b.label), num(b.value))
    out[#out + 1] = format('<text class="value" x="%.1f" y="%d">%s</text>', LW + w + 6, y + BH - 5, num(b.value))
  end
  out[#out + 1] = "</svg>"
  return concat(out, "\n")
end

local function years_of(sums)
  local seen, out = {}, {}
  for _, s in ipairs(sums) do
    if M.CHARTS[s.format] and not seen[s.year] then seen[s.year] = true; out[#out + 1] = s.year end
  end
  sort(out)
  return out
end

local function applications_chart(data)
  local bars = {}
  for _, y in ipairs(years_of(data.sums)) do
    local v = sum_of(data.sums, y, function(spec) return { spec.applications } end)
    if v then bars[#bars + 1] = { label = format("%d 年", y), value = v } end
  end
  return bars
end

-- the format of the year's sums that the charts know (M.CHARTS), or nil
local function chart_format(data)
  for _, s in ipairs(data.sums) do
    if s.year == data.year and M.CHARTS[s.format] then return s.format end
  end
end

-- the parts of a group row (办理结果): label and the sum of its leaf rows
local function outcomes_chart(data)
  local bars, fmt_id = {}, chart_format(data)
  if not fmt_id then return bars end
  local spec = M.CHARTS[fmt_id].outcomes
  local t = table_decl(host.format_decl(fmt_id), spec.table)
  local group
  for _, b in ipairs(t and t.blocks or {}) do group = group or find_row(b.rows, spec.group) end
  for _, part in ipairs(group and group.children or {}) do
    if not spec.skip[part.id] then
      local v = sum_of(data.sums, data.year, function(sp)
        local addrs = {}
        for _, rid in ipairs(leaf_rows(part, {})) do
          addrs[#addrs + 1] = sp.outcomes.table .. "." .. rid .. "." .. sp.outcomes.col
        end
        return addrs
      end)
      bars[#bars + 1] = { label = part.label, value = v or 0 }
    end
  end
  return bars
end

local function review_chart(data)
  local bars, fmt_id = {}, chart_format(data)
  if not fmt_id then return bars end
  local spec = M.CHARTS[fmt_id].review
  local t = table_decl(host.format_decl(fmt_id), spec.table)
  for _, b in ipairs(t and t.blocks or {}) do
    if find_row(b.rows, spec.row) then
      for _, c in ipairs(leaf_cols(b.columns, nil, {})) do
        if c.id:sub(-#spec.skip_suffix) ~= spec.skip_suffix then
          local v = sum_of(data.sums, data.year, function(sp)
            return { sp.review.table .. "." .. sp.review.row .. "." .. c.id }
          end)
          bars[#bars + 1] = { label = c.label, value = v or 0 }
        end
      end
    end
  end
  return bars
end

local function ranking_chart(data)
  local list = {}
  for _, r in ipairs(data.reports) do
    local n = (r.errors or 0) + (r.warnings or 0)
    if n > 0 then list[#list + 1] = { label = r.unit, value = n } end
  end
  sort(list, function(a, b) if a.value ~= b.value then return a.value > b.value end return a.label < b.label end)
  local bars = {}
  for i = 1, math.min(#list, M.TOP_UNITS) do bars[i] = list[i] end
  return bars, #list
end

-- a rule's message from the format declarations, by id
local function rule_messages()
  local msg = { ["DATE-DL"] = "发布日期晚于其层级的报送期限" }
  for _, id in ipairs(host.format_ids()) do
    local f = host.format_decl(id)
    for _, r in ipairs(f and f.rules or {}) do msg[r.id] = msg[r.id] or r.message end
  end
  return msg
end

local SEV = { error = "错误", warning = "警告", info = "提示", verify = "核实" }

local function findings_by_rule(data)
  local by, list = {}, {}
  for _, r in ipairs(data.reports) do
    local units = {}
    for _, f in ipairs(r.findings or {}) do
      local key = f.rule .. "\0" .. f.severity
      local e = by[key]
      if not e then
        e = { rule = f.rule, severity = f.severity, count = 0, units = 0, example = f.message }
        by[key] = e
        list[#list + 1] = e
      end
      e.count = e.count + 1
      if not units[key] then units[key] = true; e.units = e.units + 1 end
    end
  end
  sort(list, function(a, b)
    if a.count ~= b.count then return a.count > b.count end
    if a.rule ~= b.rule then return a.rule < b.rule end
    return a.severity < b.severity
  end)
  local msg = rule_messages()
  for _, e in ipairs(list) do
    e.message = msg[e.rule] or (e.example and "例：" .. e.example) or ""
    e.severity_zh = SEV[e.severity] or e.severity
  end
  return list
end

local function status_rows(data)
  local by = {}
  for _, r in ipairs(data.reports) do by[r.unit] = r end
  local rows, listed = {}, {}
  local function row(unit, parent, level, on_roster)
    local r = by[unit]
    local e = {
      unit = unit, parent = parent or "", level = level or "", on_roster = on_roster,
      reported = r ~= nil, status = r and "已报送" or "未报送",
      published = r and r.published or "",
      errors = r and r.errors or "", warnings = r and r.warnings or "",
      duplicate = r and r.copies > 1 and format("（%d 份）", r.copies) or "",
    }
    if not r then e.timely = "—"
    elseif r.late then e.timely, e.late = "逾期", true
    elseif r.published and r.level then e.timely = "按时"
    else e.timely = "不明" end
    e.class = not r and "missing" or (e.late and "late" or (r.errors > 0 and "errors" or ""))
    rows[#rows + 1] = e
  end
  local roster = {}
  for i, u in ipairs(data.roster) do roster[i] = u end
  sort(roster, function(a, b) return a.unit < b.unit end)
  for _, u in ipairs(roster) do
    if not listed[u.unit] then listed[u.unit] = true; row(u.unit, u.parent, u.level, true) end
  end
  local extra = {}
  for _, r in ipairs(data.reports) do
    if not listed[r.unit] then extra[#extra + 1] = r.unit end
  end
  sort(extra)
  for _, u in ipairs(extra) do listed[u] = true; row(u, "（名册外）", "", false) end
  return rows
end

function M.page(data)
  local units = status_rows(data)
  local n = { roster = 0, reported = 0, missing = 0, late = 0, off_roster = 0, errors = 0, warnings = 0, timely = 0 }
  for _, u in ipairs(units) do
    if u.on_roster then
      n.roster = n.roster + 1
      if u.reported then n.reported = n.reported + 1 else n.missing = n.missing + 1 end
    else
      n.off_roster = n.off_roster + 1
    end
    if u.late then n.late = n.late + 1 end
    if u.timely == "按时" then n.timely = n.timely + 1 end
  end
  for _, r in ipairs(data.reports) do n.errors = n.errors + r.errors; n.warnings = n.warnings + r.warnings end
  local rank, ranked = ranking_chart(data)
  local charts = {
    { id = "chart-applications", title = "历年收到的政府信息公开申请（本年新收申请数量·总计，各单位相加）",
      bars = applications_chart(data) },
    { id = "chart-outcomes", title = format("%d 年办理结果（各项办理结果的总计列，各单位相加）", data.year),
      bars = outcomes_chart(data) },
    { id = "chart-review", title = format("%d 年行政复议、行政诉讼结果（案件数，各单位相加）", data.year),
      bars = review_chart(data) },
    { id = "chart-ranking", title = format("各单位问题数排名（错误加警告，前 %d 名，共 %d 个单位有问题）",
                                          M.TOP_UNITS, ranked),
      bars = rank },
  }
  for _, c in ipairs(charts) do
    c.empty = #c.bars == 0
    c.svg = c.empty and "" or bar_chart(c.id, c.bars)
  end
  local values = {
    year = data.year, units = units, counts = n, rules = findings_by_rule(data), charts = charts,
    style = host.template("overview/style.css"), version = host.version,
  }
  values.no_rules = #values.rules == 0
  return template.render("overview/page.html", values, esc)
end

return M
