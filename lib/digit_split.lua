-- The arithmetic of recovering table cells whose digits ran together, for
-- the flattened importer (plugins/importers/flattened.lua): the format's own
-- equality rules turned into equations over cells, every way to cut a row's
-- digits into its cells that the row's equations allow, and a search across
-- rows that keeps only the cuts taking part in some solution of the rest.
-- Nothing here knows a row of any year: it all comes from the declaration.
local host = ...
local M = {}

local find, match, gsub, sub = string.find, string.match, string.gsub, string.sub
-- cutting one row's digits into its cells (lib/digit_cuts.lua)
local cuts = host.lib("digit_cuts")
local micro = cuts.micro

-- search steps for one group of rows: with the states searched once (solve),
-- 141 at most over 910 real, generated and fuzzed inputs
local MAX_NODES = 100000

---------------------------------------------------------------- the format's rules as equations

local function glob(pat, id)
  if sub(pat, 1, 1) == "{" then
    for alt in sub(pat, 2, -2):gmatch("[^,]+") do
      if glob(alt:match("^%s*(.-)%s*$"), id) then return true end
    end
    return false
  end
  return find(id, "^" .. gsub(gsub(pat, "[%-%.%+%?%^%$%(%)%%%[%]]", "%%%0"), "%*", ".*") .. "$") ~= nil
end

-- Per table: data rows (id → block's leaf columns) and the columns' ids.
local function shape(fmt)
  local tables = {}
  for _, t in ipairs(fmt.tables) do
    local info = { rows = {}, order = {}, columns = {} }
    for _, b in ipairs(t.blocks) do
      local cols = {}
      local function leaves(list)
        for _, c in ipairs(list) do
          if c.children then leaves(c.children) else cols[#cols + 1] = c; info.columns[#info.columns + 1] = c.id end
        end
      end
      leaves(b.columns)
      local function walk(list)
        for _, r in ipairs(list) do
          if not r.children or r.data then
            info.rows[r.id] = cols
            info.order[#info.order + 1] = r.id
          end
          if r.children then walk(r.children) end
        end
      end
      walk(b.rows)
    end
    tables[t.id] = info
  end
  return tables
end

-- "A + B - 2*(C) == sum(t.r_*.c)" → { terms = { ["t.r.c"] = coef }, const = k }
-- meaning Σ coef·cell + k = 0; nil for what is not a plain equation.
local function equation(text, tables)
  local pos, terms, const, ok = 1, {}, 0, true
  local function ws() pos = find(text, "[^%s]", pos) or #text + 1 end
  local function accept(tok)
    ws()
    if sub(text, pos, pos + #tok - 1) == tok then pos = pos + #tok; return true end
    return false
  end
  local function segment()
    ws()
    if sub(text, pos, pos) == "{" then
      local e = find(text, "}", pos, true) or #text
      local seg = sub(text, pos, e)
      pos = e + 1
      return seg
    end
    local a, b = find(text, "^[%w_%*%-]+", pos)
    if not a then ok = false; return "" end
    pos = b + 1
    return sub(text, a, b)
  end
  local sum
  local function ref(coef)
    ws()
    if sub(text, pos, pos + 4) == "prev." then ok = false; return end
    local t = segment(); accept("."); local r = segment(); accept("."); local c = segment()
    local info = tables[t]
    if not info then ok = false; return end
    for _, rid in ipairs(info.order) do
      if glob(r, rid) then
        for _, col in ipairs(info.rows[rid]) do
          if glob(c, col.id) then
            local key = t .. "." .. rid .. "." .. col.id
            terms[key] = (terms[key] or 0) + coef
          end
        end
      end
    end
  end
  local function atom(coef)
    ws()
    local digits = match(text, "^%d+", pos)
    if digits then pos = pos + #digits; const = const + coef * tonumber(digits) * 1000000; return end
    if accept("sum(") then ref(coef); if not accept(")") then ok = false end; return end
    if accept("(") then sum(coef); if not accept(")") then ok = false end; return end
    ref(coef)
  end
  local function term(coef)
    ws()
    local k = match(text, "^(%d+)%s*%*", pos)
    if k then pos = find(text, "*", pos, true) + 1; coef = coef * tonumber(k) end
    atom(coef)
  end
  sum = function(coef)
    if accept("-") then coef = -coef end
    term(coef)
    while ok do
      if accept("+") then term(coef) elseif accept("-") then term(-coef) else break end
    end
  end
  sum(1)
  if not accept("==") then return nil end
  sum(-1)
  ws()
  if not ok or pos <= #text then return nil end
  return { terms = terms, const = const }
end

-- Every instance of the format's "==" rules: `assert` is one assertion or a
-- list; each binding of the `each` variables an assertion uses is one.
local function equations(fmt, tables)
  local out = {}
  for _, rule in ipairs(fmt.rules) do
    local asserts = type(rule.assert) == "table" and rule.assert or { rule.assert }
    for _, text in ipairs(asserts) do
      local names, values = {}, {}
      for name, spec in pairs(rule.each or {}) do
        if find(text, "%$" .. name .. "%f[^%w_]") or find(text, "${" .. name .. "}", 1, true) then
          names[#names + 1] = name
          if type(spec) == "table" then
            values[name] = spec
          else
            local t, what = match(spec, "^([%w_]+)%.(%a+)$")
            local info = tables[t]
            values[name] = info and (what == "rows" and info.order or info.columns) or {}
          end
        end
      end
      table.sort(names)
      local binding = {}
      local function expand(k)
        if k > #names then
          local eq = equation(gsub(text, "%${?([%a_][%w_]*)}?", function(v) return binding[v] end), tables)
          if eq then eq.rule = rule.id; out[#out + 1] = eq end
          return
        end
        for _, v in ipairs(values[names[k]]) do binding[names[k]] = v; expand(k + 1) end
      end
      expand(1)
    end
  end
  return out
end

---------------------------------------------------------------- solving

-- The equations over this row's cells alone, by cell position.
local function row_equations(r, eqs)
  local pos, out = {}, {}
  for k, c in ipairs(r.cols) do pos[r.key .. "." .. c.id] = k end
  for _, eq in ipairs(eqs) do
    local coefs, last, all = {}, 0, next(eq.terms) ~= nil
    for cell, coef in pairs(eq.terms) do
      local k = pos[cell]
      if not k then all = false; break end
      coefs[k] = coef
      last = math.max(last, k)
    end
    if all then out[#out + 1] = { coefs = coefs, const = eq.const, last = last } end
  end
  return out
end

-- rows: { key = "t3.new", cols = {...}, cands = { {"64","0",…}, … } }.
-- Filters each row's candidates by its own equations (marking it
-- `constrained`), then keeps those taking part in a solution of the
-- equations across rows; when there is none, or the search is too long, the
-- rows keep their candidates and get `cross_failed` = "none" | "budget".
local function solve(rows, eqs)
  local row_of, index = {}, {}
  for i, r in ipairs(rows) do
    index[r.key] = i
    for k, c in ipairs(r.cols) do row_of[r.key .. "." .. c.id] = { i, k } end
  end
  -- equations over recovered cells only; those within one row filter it now
  local cross, rows_in = {}, {} -- rows_in[eq]: the rows an equation across rows joins
  for _, eq in ipairs(eqs) do
    local touched, all = {}, true
    for cell in pairs(eq.terms) do
      if row_of[cell] then touched[row_of[cell][1]] = true else all = false end
    end
    if all and next(touched) then
      local list = {}
      for i in pairs(touched) do list[#list + 1] = i; rows[i].constrained = true end
      rows_in[eq] = list
      if #list == 1 then
        local r = rows[list[1]]
        local keep = {}
        for _, cand in ipairs(r.cands) do
          local s = eq.const
          for cell, coef in pairs(eq.terms) do s = s + coef * micro(cand[row_of[cell][2]]) end
          if s == 0 then keep[#keep + 1] = cand end
        end
        r.cands = keep
      else
        cross[#cross + 1] = eq
      end
    end
  end
  -- groups of rows joined by equations, solved one at a time
  local parent = {}
  local function root(i) while parent[i] and parent[i] ~= i do i = parent[i] end return i end
  for _, eq in ipairs(cross) do
    for k = 2, #rows_in[eq] do parent[root(rows_in[eq][k])] = root(rows_in[eq][1]) end
  end
  local groups = {}
  for _, eq in ipairs(cross) do
    local g = root(rows_in[eq][1])
    groups[g] = groups[g] or { eqs = {}, rows = {} }
    table.insert(groups[g].eqs, eq)
  end
  for g, grp in pairs(groups) do
    local members = {}
    for i in ipairs(rows) do if root(i) == g then members[#members + 1] = i end end
    table.sort(members, function(a, b) return #rows[a].cands < #rows[b].cands end)
    local pos, choice, used, nodes, solutions = {}, {}, {}, 0, 0
    local unused = 0 -- candidates not yet in a solution: none left ends the search
    for k, i in ipairs(members) do pos[i] = k; used[i] = {}; unused = unused + #rows[i].cands end
    -- each equation as { const, { member, column, coef }, … } by search
    -- order, checked once its last row is chosen, and part of the state of
    -- the search at the rows after its first and up to its last
    local due, inside = {}, {}
    for k = 1, #members do inside[k] = {} end
    for _, eq in ipairs(grp.eqs) do
      local terms, first, last = {}, #members, 0
      for cell, coef in pairs(eq.terms) do
        local at = row_of[cell]
        terms[#terms + 1] = { pos[at[1]], at[2], coef }
        first, last = math.min(first, pos[at[1]]), math.max(last, pos[at[1]])
      end
      table.sort(terms, function(x, y) return x[1] < y[1] or (x[1] == y[1] and x[2] < y[2]) end)
      local e = { const = eq.const, terms = terms }
      due[last] = due[last] or {}
      table.insert(due[last], e)
      for k = first + 1, last do table.insert(inside[k], e) end
    end
    local empty = false
    for _, i in ipairs(members) do if #rows[i].cands == 0 then empty = true end end
    -- the candidates' values, by member in search order
    local value = {}
    for k, i in ipairs(members) do
      value[k] = {}
      for c, cand in ipairs(rows[i].cands) do
        local v = {}
        for col, text in ipairs(cand) do v[col] = micro(text) end
        value[k][c] = v
      end
    end
    local chosen = {} -- by search order: the values of the candidate chosen
    local function sum_before(e, k)
      local s = e.const
      for _, t in ipairs(e.terms) do
        if t[1] >= k then break end
        s = s + t[3] * chosen[t[1]][t[2]]
      end
      return s
    end
    -- what the rows from k on can be depends only on the partial sums of the
    -- equations open at k: a state searched once is not searched again (its
    -- solutions' candidates were marked then; the rows before it are marked
    -- now)
    local known = {}
    local function mark(upto)
      for k = 1, upto do
        local i = members[k]
        if not used[i][choice[i]] then used[i][choice[i]] = true; unused = unused - 1 end
      end
    end
    local function search(k)
      if nodes > MAX_NODES or unused == 0 then return false end
      if k > #members then
        solutions = solutions + 1
        mark(#members)
        return true
      end
      local key = k
      if #inside[k] > 0 then
        local parts = { k }
        for _, e in ipairs(inside[k]) do parts[#parts + 1] = sum_before(e, k) end
        key = table.concat(parts, ":")
      end
      local seen = known[key]
      if seen ~= nil then
        if seen then solutions = solutions + 1; mark(k - 1) end
        return seen
      end
      local i, found = members[k], false
      for c = 1, #rows[i].cands do
        nodes = nodes + 1
        choice[i], chosen[k] = c, value[k][c]
        local ok = true
        for _, e in ipairs(due[k] or {}) do
          if sum_before(e, k + 1) ~= 0 then ok = false; break end
        end
        if ok and search(k + 1) then found = true end
      end
      if nodes <= MAX_NODES and unused > 0 then known[key] = found end
      return found
    end
    if not empty then search(1) end
    if nodes <= MAX_NODES and solutions > 0 then
      for _, i in ipairs(members) do
        local keep = {}
        for c, cand in ipairs(rows[i].cands) do if used[i][c] then keep[#keep + 1] = cand end end
        rows[i].cands = keep
      end
    elseif not empty then
      for _, i in ipairs(members) do rows[i].cross_failed = nodes > MAX_NODES and "budget" or "none" end
    end
  end
end


M.micro = micro
M.splits = cuts.splits
M.too_long = cuts.too_long
M.solve = solve
M.row_equations = row_equations
-- every "==" rule of the format as equations over "table.row.column" cells
-- made once per format declaration (the same table for every import of a
-- process: host.format_decl keeps its copy); parsing the rules was a third
-- of a flattened report's import.  The equations are never changed after.
local made = setmetatable({}, { __mode = "k" })
function M.equations(fmt)
  local eqs = made[fmt]
  if not eqs then
    eqs = equations(fmt, shape(fmt))
    made[fmt] = eqs
  end
  return eqs
end
return M
