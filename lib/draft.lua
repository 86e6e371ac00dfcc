-- Next year's report, started from last year's (nianbao new): the format's
-- sections with the opening paragraph and narrative skeleton of
-- templates/draft/, and tables left blank except the cells that carry over.
-- Which cells carry is read from the format's own cross-year rules: a rule
--   A == prev.B [+ or - cells of this year]
-- (XY-CARRY: t3.carried_in.$c == prev.t3.carried_out.$c; T2-VALID:
-- t2.$r.in_force == prev.t2.$r.in_force + issued - repealed) starts A at
-- last year's B, so a new format's rules bring their own carry-over.
-- Cells this year's tables give (nianbao new --tables: a CSV sheet, the
-- register) are filled in, over the carried ones.  Everything else stays
-- blank, and check lists it as still to fill.
local host = ...

local template = host.lib("template")
local find, match, gsub, gmatch = string.find, string.match, string.gsub, string.gmatch

local M = {}

local REF = "[%a_][%w_]*%.[%a_][%w_]*%.[%a_][%w_]*"

-- ids a variable of a rule's `each` ranges over
local function range(fmt, spec)
  if type(spec) == "table" then return spec end
  local tid, what = match(spec, "^([%w_]+)%.(%a+)$")
  local out, seen = {}, {}
  for _, t in ipairs(fmt.tables) do
    if t.id == tid then
      local function add(id)
        if id and not seen[id] then seen[id] = true; out[#out + 1] = id end
      end
      local function rows(list)
        for _, r in ipairs(list) do
          if r.children == nil or r.data == true then add(r.id) end
          if r.children then rows(r.children) end
        end
      end
      local function cols(list)
        for _, c in ipairs(list) do
          if c.children then cols(c.children) else add(c.id) end
        end
      end
      for _, b in ipairs(t.blocks) do
        if what == "rows" then rows(b.rows) else cols(b.columns) end
      end
    end
  end
  return out
end

-- every binding of a rule's variables (their cartesian product)
local function bindings(fmt, each)
  local out = { {} }
  local names = {}
  for name in pairs(each or {}) do names[#names + 1] = name end
  table.sort(names)
  for _, name in ipairs(names) do
    local next_out = {}
    for _, b in ipairs(out) do
      for _, v in ipairs(range(fmt, each[name])) do
        local nb = {}
        for k, x in pairs(b) do nb[k] = x end
        nb[name] = v
        next_out[#next_out + 1] = nb
      end
    end
    out = next_out
  end
  return out
end

local function substitute(text, b)
  return (gsub(gsub(text, "%${([%w_]+)}", b), "%$([%w_]+)", b))
end

-- { ["t3.carried_in.natural"] = "t3.carried_out.natural", … } from the rules
function M.carries(fmt)
  local out = {}
  for _, rule in ipairs(fmt.rules or {}) do
    if rule.assert and find(rule.assert, "prev.", 1, true) then
      for _, b in ipairs(bindings(fmt, rule.each)) do
        local lhs, rhs = match(substitute(rule.assert, b), "^%s*(" .. REF .. ")%s*==%s*(.-)%s*$")
        local from = rhs and match(rhs, "^prev%.(" .. REF .. ")")
        -- the other terms must be this year's cells added or subtracted
        local rest = from and gsub(gsub(rhs, "^prev%." .. REF, ""), "%s*[%+%-]%s*" .. REF, "")
        if lhs and not find(lhs, "^prev%.") and rest == "" then out[lhs] = from end
      end
    end
  end
  return out
end

local function cell(report, address)
  local t, r, c = match(address, "^([^.]+)%.([^.]+)%.([^.]+)$")
  local row = report and report.tables[t] and report.tables[t][r]
  return row and row[c]
end

-- a template's text split into the section's own text and its （一）… subsections
local function section_parts(text)
  local own, subs = {}, {}
  for line in gmatch(text, "[^\n]+") do
    if find(line, "^（[一二三四五六七八九十]+）") then
      subs[#subs + 1] = { heading = line, level = 2, text = "" }
    elseif #subs > 0 then
      local s = subs[#subs]
      s.text = s.text == "" and line or (s.text .. "\n" .. line)
    else
      own[#own + 1] = line
    end
  end
  return table.concat(own, "\n"), subs
end

local function exists(name) return (pcall(host.template, name)) end

-- the format's name without a trailing notice number: 《…年度报告格式》
local function format_name(fmt)
  local name, last, at = fmt.name, nil, 1
  while true do
    local i = find(name, "（", at, true)
    if not i then break end
    last, at = i, i + 1
  end
  if last and find(name, "号）$") then return string.sub(name, 1, last - 1) end
  return name
end

-- The format's 填报说明, by section id: one line "（填报说明：…）" for each
-- of a table's instructions, then one for each row that has its own.
function M.instructions(fmt)
  local out = {}
  for _, t in ipairs(fmt.tables) do
    local lines = {}
    for _, text in ipairs(t.instructions or {}) do
      lines[#lines + 1] = "（填报说明：" .. t.label .. "：" .. text .. "）"
    end
    local function rows(list)
      for _, r in ipairs(list) do
        if r.instruction then lines[#lines + 1] = "（填报说明：“" .. r.label .. "”：" .. r.instruction .. "）" end
        if r.children then rows(r.children) end
      end
    end
    for _, b in ipairs(t.blocks) do rows(b.rows) end
    if #lines > 0 then
      local prev = out[t.section]
      out[t.section] = (prev and (prev .. "\n") or "") .. table.concat(lines, "\n")
    end
  end
  return out
end

-- start({ agency =, year =, format = }, prev report or nil, this year's
-- tables (a report) or nil) → a report table
function M.start(opts, prev, tables)
  local fmt = host.format_decl(opts.format)
  local pm = prev and prev.meta or {}
  local values = {
    agency = opts.agency, year = opts.year, prev_year = opts.year - 1, notice = fmt.notice,
    format_name = format_name(fmt),
    address = pm.address, phone = pm.phone, postcode = pm.postcode,
  }
  local report = {
    format = fmt.id,
    meta = { title = opts.agency .. opts.year .. "年" .. (fmt.title or "政府信息公开工作年度报告"),
             agency = opts.agency, year = opts.year, title_year = opts.year, period_year = opts.year,
             address = pm.address, phone = pm.phone, postcode = pm.postcode },
    preamble = (gsub(template.render("draft/preamble.txt", values), "\n+$", "")),
    sections = {},
    tables = {},
  }
  local guide = M.instructions(fmt)
  for _, s in ipairs(fmt.sections) do
    local name = "draft/" .. s.id .. ".txt"
    local own, subs = section_parts(exists(name) and template.render(name, values) or "")
    if guide[s.id] then own = own == "" and guide[s.id] or (own .. "\n" .. guide[s.id]) end
    report.sections[#report.sections + 1] = { heading = s.label, level = 1, text = own }
    for _, sub in ipairs(subs) do report.sections[#report.sections + 1] = sub end
  end
  for to, from in pairs(M.carries(fmt)) do
    local v = cell(prev, from)
    if v and v ~= "" then
      local t, r, c = match(to, "^([^.]+)%.([^.]+)%.([^.]+)$")
      report.tables[t] = report.tables[t] or {}
      report.tables[t][r] = report.tables[t][r] or {}
      report.tables[t][r][c] = v
    end
  end
  for tid, rows in pairs(tables and tables.tables or {}) do
    for rid, cells in pairs(rows) do
      for cid, v in pairs(cells) do
        if type(v) == "string" and v ~= "" and string.sub(cid, 1, 1) ~= "_" then
          report.tables[tid] = report.tables[tid] or {}
          report.tables[tid][rid] = report.tables[tid][rid] or {}
          report.tables[tid][rid][cid] = v
        end
      end
    end
  end
  return report
end

return M
