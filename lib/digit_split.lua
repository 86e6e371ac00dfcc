-- The arithmetic of recovering table cells whose digits ran together, for
-- the flattened importer (plugins/importers/flattened.lua): the format's own
-- equality rules turned into equations over cells, every way to cut a row's
-- digits into its cells that the row's equations allow, and a search across
-- rows that keeps only the cuts taking part in some solution of the rest.
-- Nothing here knows a row of any year: it all comes from the declaration.
local M = {}

local find, match, gsub, sub, format = string.find, string.match, string.gsub, string.sub, string.format

local MAX_NODES = 1000000     -- search steps for one group of rows

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

---------------------------------------------------------------- splitting digits

-- Marks written in a cell instead of a number ("/" not applicable, "—"
-- none): a cell of their own, kept as written; 0 in the equations.
local MARKS = { ["/"] = true, ["-"] = true, ["\226\128\148"] = true, ["\226\128\148\226\128\148"] = true,
  ["\226\128\147"] = true, ["\\"] = true }
M.MARKS = MARKS

local function micro(s)
  if MARKS[s] then return 0 end
  local sign, w, f = match(s, "^(%-?)(%d+)%.?(%d*)$")
  local v = tonumber(w) * 1000000 + tonumber(sub(f .. "000000", 1, 6))
  return sign == "-" and -v or v
end

-- a piece of a run as one cell: a number not starting with 0 (unless it is
-- 0); a decimal only in an amount column, a minus only in a signed one
-- (the 2019 format's 本年增/减); a mark in any column
local MAX_PIECE = 32

local function valid_cell(piece, col)
  if MARKS[piece] then return true end
  if sub(piece, 1, 1) == "-" then
    if col.type ~= "signed" then return false end
    piece = sub(piece, 2)
    if piece == "0" then return false end
  end
  if find(piece, "^0$") or find(piece, "^[1-9]%d*$") then return #piece <= 12 end
  return col.type == "amount" and (find(piece, "^0%.%d+$") or find(piece, "^[1-9]%d*%.%d+$")) ~= nil
end

local function show_micro(v)
  local sign = v < 0 and "-" or ""
  v = math.abs(v)
  local w, f = v // 1000000, v % 1000000
  if f == 0 then return sign .. tostring(w) end
  return sign .. (gsub(format("%d.%06d", w, f), "0+$", ""))
end

-- Every way to cut the chunks (white-space separated digit runs) into
-- #cols cells that satisfies the row's own equations (eqs: { coefs = {[k] =
-- coef}, const =, last = k }); when the last cell an equation names has
-- coefficient ±1 its text is forced.  nil once the import has taken
-- budget.left steps (shared by all rows of an import).
-- The cuts of a row whose final cell is the sum of all the others (a 总计
-- column): the final cell's text is a tail of the row; for each tail, the
-- rest is cut with the running sum never above it and, for counts, no cell
-- longer than it.  `check` filters with the row's other equations.
local function sum_splits(chunks, cols, check, budget)
  local n, out = #cols, {}
  local counts = true
  for _, c in ipairs(cols) do if c.type == "amount" then counts = false end end
  -- a number is congruent to the sum of its digits modulo 9, however the
  -- digits before the tail are cut: a tail whose value disagrees is no total
  local function digit_sum(str) local d = 0; for c in str:gmatch("%d") do d = d + tonumber(c) end return d end
  local all = 0
  for _, c in ipairs(chunks) do all = all + digit_sum(c) end
  local lastch = chunks[#chunks]
  for t = 1, #lastch do
    local tail = sub(lastch, #lastch - t + 1)
    if valid_cell(tail, cols[n]) and (all - digit_sum(tail)) % 9 == digit_sum(tail) % 9 then
      local T = micro(tail)
      local pre = { table.unpack(chunks) }
      pre[#pre] = sub(lastch, 1, #lastch - t)
      if pre[#pre] == "" then pre[#pre] = nil end
      local left, cur = 0, {}
      for _, c in ipairs(pre) do left = left + #c end
      local function rec(ci, off, k, sum, rem)
        budget.left = budget.left - 1
        if budget.left < 0 then return end
        if ci > #pre then
          if k == n and sum == T then
            cur[n] = tail
            local cand = { table.unpack(cur) }
            if check(cand) then out[#out + 1] = cand end
          end
          return
        end
        local cells_left = n - k
        if cells_left < 1 or rem < cells_left or (counts and rem > cells_left * t) then return end
        local ch = pre[ci]
        local last = #ch
        if counts then last = math.min(last, off + t - 1) end
        for e = off, last do
          local piece = sub(ch, off, e)
          if valid_cell(piece, cols[k]) then
            local v = micro(piece)
            if sum + v > T then break end
            cur[k] = piece
            if e == #ch then rec(ci + 1, 1, k + 1, sum + v, rem - #piece) else rec(ci, e + 1, k + 1, sum + v, rem - #piece) end
          end
          if piece == "0" and sub(ch, e + 1, e + 1) ~= "." then break end
        end
      end
      if #pre > 0 then rec(1, 1, 1, 0, left) end
    end
  end
  if budget.left < 0 then return nil end
  return out
end

-- The most characters a cell's text can have (valid_cell: 12 digits, a
-- sign; an amount also a point and decimals).  A row with more than its
-- cells can hold is not searched: a crawled page with a 10,000-digit run
-- took 20 s in the search below.  Returns the row's length and the most its
-- cells hold when it is too long, else nil.
local function too_long(chunks, cols)
  local len, max = 0, 0
  for _, c in ipairs(chunks) do len = len + #c end
  for _, c in ipairs(cols) do max = max + (c.type == "amount" and 24 or 13) end
  if len > max then return len, max end
  return nil
end

local function splits(chunks, cols, eqs, budget)
  local n = #cols
  if too_long(chunks, cols) then return nil end -- as a search over budget: nothing decided
  -- only runs of plain digits can be cut from a total's end (a sign or a
  -- mark breaks its arithmetic): others are cut from the start
  local plain = true
  for _, c in ipairs(chunks) do if not find(c, "^[%d%.]+$") then plain = false end end
  -- a 总计 in the final column: cut from its end
  for i, eq in ipairs(eqs) do
    local c = eq.coefs[n]
    local whole = eq.const == 0 and eq.last == n and (c == 1 or c == -1)
    for j = 1, n - 1 do if eq.coefs[j] ~= -(c or 0) then whole = false end end
    if whole and n > 1 and plain then
      local others = {}
      for j, e in ipairs(eqs) do if j ~= i then others[#others + 1] = e end end
      return sum_splits(chunks, cols, function(cand)
        for _, e in ipairs(others) do
          local sum = e.const
          for k, coef in pairs(e.coefs) do sum = sum + coef * micro(cand[k]) end
          if sum ~= 0 then return false end
        end
        return true
      end, budget)
    end
  end
  local out, cur, vals, remaining = {}, {}, {}, 0
  for _, c in ipairs(chunks) do remaining = remaining + #c end
  -- per cell: the equations that end there, as arrays of { position, coef }
  local due = {}
  for _, eq in ipairs(eqs) do
    local terms = {}
    for j, coef in pairs(eq.coefs) do
      if j ~= eq.last then terms[#terms + 1] = { j, coef } end
    end
    due[eq.last] = due[eq.last] or {}
    table.insert(due[eq.last], { terms = terms, const = eq.const, coef = eq.coefs[eq.last] })
  end
  local function rec(ci, off, k, left)
    budget.left = budget.left - 1
    if budget.left < 0 then return end
    if ci > #chunks then
      if k > n then out[#out + 1] = { table.unpack(cur) } end
      return
    end
    if k > n or left < n - k + 1 then return end
    local ch = chunks[ci]
    -- a cell forced by an equation ending here, or the lengths allowed
    local want, first, last = nil, off, #ch
    for _, eq in ipairs(due[k] or {}) do
      local s = eq.const
      for _, t in ipairs(eq.terms) do s = s + t[2] * vals[t[1]] end
      if eq.coef == 1 or eq.coef == -1 then
        local v = -s * eq.coef
        if (v < 0 and cols[k].type ~= "signed") or (want and want ~= v) then return end
        want = v
      end
    end
    if want then
      local text = show_micro(want)
      if sub(ch, off, off + #text - 1) ~= text then return end
      first, last = off + #text - 1, off + #text - 1
    end
    -- no cell is longer than MAX_PIECE bytes (12 digits, or an amount with
    -- its decimals): without this bound every call tried each end to the
    -- end of a chunk thousands of digits long, outside the budget's count
    if last > off + MAX_PIECE - 1 then last = off + MAX_PIECE - 1 end
    for e = first, last do
      local piece = sub(ch, off, e)
      if valid_cell(piece, cols[k]) then
        cur[k], vals[k] = piece, micro(piece)
        local ok = true
        for _, eq in ipairs(due[k] or {}) do
          if eq.coef ~= 1 and eq.coef ~= -1 then
            local s = eq.const + eq.coef * vals[k]
            for _, t in ipairs(eq.terms) do s = s + t[2] * vals[t[1]] end
            if s ~= 0 then ok = false end
          end
        end
        if ok then
          if e == #ch then rec(ci + 1, 1, k + 1, left - #piece) else rec(ci, e + 1, k + 1, left - #piece) end
        end
      end
      if piece == "0" and sub(ch, e + 1, e + 1) ~= "." then break end -- 0 stands alone
    end
  end
  rec(1, 1, 1, remaining)
  if budget.left < 0 then return nil end
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
    for k, i in ipairs(members) do pos[i] = k; used[i] = {} end
    -- an equation is checked once its last row (in search order) is chosen
    local due = {}
    for _, eq in ipairs(grp.eqs) do
      local last = 0
      for _, i in ipairs(rows_in[eq]) do last = math.max(last, pos[i]) end
      due[last] = due[last] or {}
      table.insert(due[last], eq)
    end
    local empty = false
    for _, i in ipairs(members) do if #rows[i].cands == 0 then empty = true end end
    local function holds(eq)
      local s = eq.const
      for cell, coef in pairs(eq.terms) do
        local at = row_of[cell]
        s = s + coef * micro(rows[at[1]].cands[choice[at[1]]][at[2]])
      end
      return s == 0
    end
    local function search(k)
      if nodes > MAX_NODES then return end
      if k > #members then
        solutions = solutions + 1
        for _, i in ipairs(members) do used[i][choice[i]] = true end
        return
      end
      local i = members[k]
      for c = 1, #rows[i].cands do
        nodes = nodes + 1
        choice[i] = c
        local ok = true
        for _, eq in ipairs(due[k] or {}) do
          if not holds(eq) then ok = false; break end
        end
        if ok then search(k + 1) end
      end
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
M.splits = splits
M.too_long = too_long
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
