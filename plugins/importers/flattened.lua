-- Importer for report text crawled from a portal, where a table's cells run
-- together: "行政规范性文件8855698" is 88 | 55 | 698, "（七）总计14710000148"
-- is 147,1,0,0,0,0,148 (../shared/corpus/pingtan-2021-flattened.txt).  Rows
-- are found by their official labels; each row's digits are split into as
-- many numbers as the row has columns (a number never starts with 0 unless
-- it is 0; white space is always a cell boundary), and the format's own
-- equality rules (row sums, 总计, 勾稽关系 — read from the format plugin, so
-- this works for any format) decide between the splits: first those within
-- one row, then those across rows, solved per group of rows they connect.
-- A cell the rules cannot decide stays blank, with an IMPORT-AMBIGUOUS
-- finding listing its candidates; a row no split fits is an IMPORT-UNSOLVED
-- finding.  No number is presented as certain that the rules leave open.
local host = ...

local norm, input_error = host.norm, host.input_error
local find, match, gsub, sub, format = string.find, string.match, string.gsub, string.sub, string.format
local concat = table.concat

local MAX_STEPS = 1500000     -- steps in cutting all rows' digits, per import
local steps = 0
local MAX_NODES = 1000000     -- search steps for one group of rows

---------------------------------------------------------------- searching the text

-- The text with white space and quote marks dropped and full-width ASCII
-- folded (as host.norm does), with the original byte offset of each byte.
local DROP = { [" "] = true, ["\t"] = true, ["\r"] = true, ["\n"] = true, ["\194\160"] = true, ["\227\128\128"] = true,
  ['"'] = true, ["'"] = true, ["\226\128\156"] = true, ["\226\128\157"] = true, ["\226\128\152"] = true,
  ["\226\128\153"] = true, ["\227\128\140"] = true, ["\227\128\141"] = true }
local function searchable(text)
  local out, map = {}, {}
  for pos, cp in utf8.codes(text) do
    local ch = utf8.char(cp)
    if not DROP[ch] then
      if cp >= 0xFF01 and cp <= 0xFF5E then ch = string.char(cp - 0xFF01 + 0x21)
      elseif cp == 0x3010 or cp == 0x3014 then ch = "["
      elseif cp == 0x3011 or cp == 0x3015 then ch = "]" end
      for k = 1, #ch do
        out[#out + 1] = ch:sub(k, k)
        map[#map + 1] = pos
      end
    end
  end
  map[#map + 1] = #text + 1
  return { s = concat(out), map = map, text = text }
end

-- Original byte range [from, to) of the first occurrence of label at or
-- after original offset `at` (and before `limit`), or nil.
local function locate(S, label, at, limit)
  local n = norm(label)
  local i = 1
  while S.map[i] and S.map[i] < at do i = i + 1 end
  local a, b = find(S.s, n, i, true)
  if not a or S.map[a] >= (limit or math.huge) then return nil end
  return S.map[a], S.map[b + 1]
end

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

local function micro(s)
  local w, f = match(s, "^(%d+)%.?(%d*)$")
  return tonumber(w) * 1000000 + tonumber(sub(f .. "000000", 1, 6))
end

local function valid_cell(piece, col)
  if find(piece, "^0$") or find(piece, "^[1-9]%d*$") then return #piece <= 12 end
  return col.type == "amount" and (find(piece, "^0%.%d+$") or find(piece, "^[1-9]%d*%.%d+$")) ~= nil
end

local function show_micro(v)
  local w, f = v // 1000000, v % 1000000
  if f == 0 then return tostring(w) end
  return (gsub(format("%d.%06d", w, f), "0+$", ""))
end

-- Every way to cut the chunks (white-space separated digit runs) into
-- #cols cells that satisfies the row's own equations (eqs: { coefs = {[k] =
-- coef}, const =, last = k }); when the last cell an equation names has
-- coefficient ±1 its text is forced.  nil once the import has taken
-- MAX_STEPS steps.
-- The cuts of a row whose final cell is the sum of all the others (a 总计
-- column): the final cell's text is a tail of the row; for each tail, the
-- rest is cut with the running sum never above it and, for counts, no cell
-- longer than it.  `check` filters with the row's other equations.
local function sum_splits(chunks, cols, check)
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
    local tail_sum = digit_sum(tail)
    if valid_cell(tail, cols[n]) and (all - tail_sum) % 9 == tail_sum % 9 then
      local T = micro(tail)
      local pre = { table.unpack(chunks) }
      pre[#pre] = sub(lastch, 1, #lastch - t)
      if pre[#pre] == "" then pre[#pre] = nil end
      local left, cur = 0, {}
      for _, c in ipairs(pre) do left = left + #c end
      local function rec(ci, off, k, sum, rem)
        steps = steps + 1
        if steps > MAX_STEPS then return end
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
  if steps > MAX_STEPS then return nil end
  return out
end

local function splits(chunks, cols, eqs)
  local n = #cols
  -- a 总计 in the final column: cut from its end
  for i, eq in ipairs(eqs) do
    local c = eq.coefs[n]
    local whole = eq.const == 0 and eq.last == n and (c == 1 or c == -1)
    for j = 1, n - 1 do if eq.coefs[j] ~= -(c or 0) then whole = false end end
    if whole and n > 1 then
      local others = {}
      for j, e in ipairs(eqs) do if j ~= i then others[#others + 1] = e end end
      return sum_splits(chunks, cols, function(cand)
        for _, e in ipairs(others) do
          local sum = e.const
          for k, coef in pairs(e.coefs) do sum = sum + coef * micro(cand[k]) end
          if sum ~= 0 then return false end
        end
        return true
      end)
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
    steps = steps + 1
    if steps > MAX_STEPS then return end
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
        if v < 0 or (want and want ~= v) then return end
        want = v
      end
    end
    if want then
      local text = show_micro(want)
      if sub(ch, off, off + #text - 1) ~= text then return end
      first, last = off + #text - 1, off + #text - 1
    end
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
  if steps > MAX_STEPS then return nil end
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
-- Keeps in each row the candidates that take part in a solution of the
-- equations; returns the equations' rule ids when none exists or the search
-- is too long (candidates then left as they were), else nil.
local function solve(rows, eqs)
  local row_of, index = {}, {}
  for i, r in ipairs(rows) do
    index[r.key] = i
    for k, c in ipairs(r.cols) do row_of[r.key .. "." .. c.id] = { i, k } end
  end
  -- equations over recovered cells only; those within one row filter it now
  local cross = {}
  for _, eq in ipairs(eqs) do
    local touched, all = {}, true
    for cell in pairs(eq.terms) do
      if row_of[cell] then touched[row_of[cell][1]] = true else all = false end
    end
    if all and next(touched) then
      local list = {}
      for i in pairs(touched) do list[#list + 1] = i; rows[i].constrained = true end
      eq.rows = list
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
    for k = 2, #eq.rows do parent[root(eq.rows[k])] = root(eq.rows[1]) end
  end
  local groups = {}
  for _, eq in ipairs(cross) do
    local g = root(eq.rows[1])
    groups[g] = groups[g] or { eqs = {}, rows = {} }
    table.insert(groups[g].eqs, eq)
  end
  local failed = {}
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
      for _, i in ipairs(eq.rows) do last = math.max(last, pos[i]) end
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
      for _, eq in ipairs(grp.eqs) do failed[eq.rule] = true end
      for _, i in ipairs(members) do rows[i].cross_failed = nodes > MAX_NODES and "budget" or "none" end
    end
  end
  return next(failed) and failed or nil
end

---------------------------------------------------------------- reading the text

local function trim(s)
  s = gsub(gsub(s, "^[%s\227\128\128]+", ""), "[%s]+$", "")
  while sub(s, -3) == "\227\128\128" do s = gsub(sub(s, 1, -4), "%s+$", "") end
  return s
end

local function parse_title(text)
  local year = match(text, "(20%d%d)年") or match(text, "(19%d%d)年")
  local agency = text
  if year then agency = gsub(gsub(agency, year .. "年度", "", 1), year .. "年", "", 1) end
  agency = trim(gsub(agency, "政府信息公开工作年度报告.*$", ""))
  return tonumber(year), agency ~= "" and agency or nil
end

-- Full-width digits and spaces folded: the leading run of digits, points and
-- spaces of s, cut into white-space separated chunks.
local function digit_chunks(s)
  s = gsub(s, "\239\188([\144-\153])", function(c) return string.char(c:byte() - 0x60) end)
  s = gsub(gsub(gsub(s, "\239\188\142", "."), "\227\128\128", " "), "\194\160", " ")
  local run = match(s, "^[%d%s%.]*")
  local chunks = {}
  for c in run:gmatch("[%d%.]+") do chunks[#chunks + 1] = c end
  return chunks, trim(run)
end

-- Where each of the format's sections starts: { def =, from =, head_end =, heading = }
local STOP = { ["（"] = true, ["("] = true, ["。"] = true, ["："] = true, [":"] = true, ["，"] = true }
local NUMERALS = "一二三四五六七八九十"
local function find_sections(S, body, fmt)
  local found, at = {}, 1
  for d, sec in ipairs(fmt.sections) do
    local numeral = match(sec.label, "^(.-、)")
    local p = numeral and find(body, numeral, at, true)
    while p do
      -- the heading: from the numeral to a digit, a bracket, a stop or white space
      -- the heading: the official label when it is written so, else from the
      -- numeral to a digit, a bracket, a stop, white space or the next "X、"
      local a, e = locate(S, sec.label, p, p + 1)
      if not a then
        e = p + #numeral
        local count = 0
        while count < 30 and e <= #body do
          local b = body:byte(e)
          local ch = sub(body, e, e + (b < 0x80 and 0 or b >= 0xF0 and 3 or b >= 0xE0 and 2 or 1))
          local cp = utf8.codepoint(ch)
          if STOP[ch] or find(ch, "^[%d%s]") or (cp >= 0xFF10 and cp <= 0xFF19) or cp == 0x3000 or
             (find(NUMERALS, ch, 1, true) and sub(body, e + #ch, e + #ch + 2) == "、") then break end
          e, count = e + #ch, count + 1
        end
      end
      local heading = sub(body, p, e - 1)
      local all = true
      for _, w in ipairs(sec.match) do
        if not find(norm(heading), norm(w), 1, true) then all = false; break end
      end
      if all then
        found[#found + 1] = { def = d, id = sec.id, from = p, head_end = e, heading = heading }
        at = e
        break
      end
      p = find(body, numeral, p + #numeral, true)
    end
  end
  for k, s in ipairs(found) do s.to = found[k + 1] and found[k + 1].from or #body + 1 end
  return found
end

-- The labels that mark where a table begins inside its section.
local function table_marks(t)
  local marks = {}
  for _, b in ipairs(t.blocks) do
    if b.label then marks[#marks + 1] = b.label end
    if b.corner then marks[#marks + 1] = b.corner end
    local function cols(list)
      for _, c in ipairs(list) do marks[#marks + 1] = c.label; if c.children then cols(c.children) end end
    end
    cols(b.columns)
    local function rows(list)
      for _, r in ipairs(list) do marks[#marks + 1] = r.label; if r.children then rows(r.children) end end
    end
    if b.labels ~= false then rows(b.rows) end
  end
  return marks
end

-- Rows of one table with their digit runs: { key, table, row, cols, chunks, raw, at }
local function table_rows(S, body, t, from, to)
  local out, cursor = {}, from
  for _, b in ipairs(t.blocks) do
    local cols = {}
    local function leaves(list)
      for _, c in ipairs(list) do if c.children then leaves(c.children) else cols[#cols + 1] = c end end
    end
    leaves(b.columns)
    if b.labels == false then
      local d = find(body, "[%d\239]", cursor)
      while d and d < to and not find(sub(body, d, d + 2), "^%d") and not find(sub(body, d, d + 2), "^\239\188[\144-\153]") do
        d = find(body, "[%d\239]", d + 1)
      end
      if d and d < to then
        local chunks, raw = digit_chunks(sub(body, d, to - 1))
        out[#out + 1] = { key = t.id .. "." .. b.rows[1].id, table = t, row = b.rows[1], cols = cols, chunks = chunks,
          raw = raw, at = d }
        cursor = d + #raw
      end
    else
      local function walk(list)
        for _, r in ipairs(list) do
          local best_a, best_b
          for _, l in ipairs({ r.label, table.unpack(r.aliases or {}) }) do
            local a, e = locate(S, l, cursor, to)
            if a and (not best_a or a < best_a) then best_a, best_b = a, e end
          end
          if best_a then
            cursor = best_b
            if not r.children or r.data then
              out[#out + 1] = { key = t.id .. "." .. r.id, table = t, row = r, cols = cols, at = best_a, label_end = best_b }
            end
          end
          if r.children then walk(r.children) end
        end
      end
      walk(b.rows)
    end
  end
  -- a labelled row's digits run from its label to the next row's label
  for k, r in ipairs(out) do
    if r.label_end then
      local stop = to
      for j = k + 1, #out do if out[j].at > r.label_end then stop = out[j].at; break end end
      r.chunks, r.raw = digit_chunks(sub(body, r.label_end, stop - 1))
    end
  end
  return out
end

---------------------------------------------------------------- the report

local function line_at(body, offset, first_line)
  local n = first_line
  for _ in sub(body, 1, offset - 1):gmatch("\n") do n = n + 1 end
  return n
end

local function list(values, max)
  if #values <= max then return concat(values, "、") end
  return concat(values, "、", 1, max) .. "…（共" .. #values .. "种）"
end

-- Decides each row's cells from its candidates; undecided cells stay blank.
local function place(rows, tables, notes, body, first_line)
  for _, r in ipairs(rows) do
    local line = line_at(body, r.at, first_line)
    local tid, rid = r.table.id, r.row.id
    local cells = { _line = line, _lines = {} }
    tables[tid] = tables[tid] or {}
    tables[tid][rid] = cells
    for k, c in ipairs(r.cols) do cells[c.id] = ""; cells._lines[k] = line end
    if #r.chunks > 0 then
      if not r.cands then
        notes[#notes + 1] = { rule = "IMPORT-UNSOLVED", severity = "error", line = line, table = tid, row = rid,
          column = r.cols[1].id, actual = r.raw,
          message = format("原文“%s”可拆成的组合太多，无法判断；这一行留空，请对照原报告填写", r.raw) }
      elseif #r.cands == 0 then
        notes[#notes + 1] = { rule = "IMPORT-UNSOLVED", severity = "error", line = line, table = tid, row = rid,
          column = r.cols[1].id, actual = r.raw,
          message = format("原文“%s”拆不成%d个符合本格式规则的数（数不以0开头，且须满足本行的合计关系）；这一行留空，请对照原报告填写",
            r.raw, #r.cols) }
      else
        for k, c in ipairs(r.cols) do
          local seen, values = {}, {}
          for _, cand in ipairs(r.cands) do
            if not seen[cand[k]] then seen[cand[k]] = true; values[#values + 1] = cand[k] end
          end
          if #values == 1 then
            cells[c.id] = values[1]
          else
            table.sort(values, function(a, b) return micro(a) < micro(b) end)
            local ways = {}
            for i = 1, math.min(#r.cands, 6) do ways[i] = concat(r.cands[i], "|") end
            notes[#notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", line = line, table = tid, row = rid,
              column = c.id, actual = r.raw,
              message = format("原文“%s”有%d种拆法（%s）%s，本格可能是 %s：无法确定，留空，请对照原报告填写",
                r.raw, #r.cands, list(ways, 6), r.constrained and "都符合本格式的规则" or "，本行没有可用来判断的规则",
                list(values, 12)) }
          end
        end
      end
    end
  end
end

local function contact(meta, text)
  local t = text
  for wide, narrow in pairs({ ["："] = ":", ["，"] = ",", ["；"] = ";", ["）"] = ")", ["。"] = ".", ["、"] = "," }) do
    t = gsub(t, wide, narrow)
  end
  meta.address = match(t, "地址:%s*([^,;%)]+)")
  meta.phone = match(t, "电话:%s*([%d%-]+%d)")
  meta.postcode = match(t, "邮编:%s*(%d%d%d%d%d%d)")
  meta.period_year = tonumber(match(text, "(%d%d%d%d)年1月1日") or match(text, "统计期限[^。]-(%d%d%d%d)年"))
end

local function import(src)
  local text = src.text
  if not utf8.len(text) then input_error(1, "不是 UTF-8 文本：请先另存为 UTF-8") end
  if sub(text, 1, 3) == "\239\187\191" then text = sub(text, 4) end
  local lines = host.lines(text)
  local meta, first = {}, 1
  for i, l in ipairs(lines) do
    if find(l, "^=+ *正文 *=+$") then first = i + 1; break end
    meta.title = meta.title or match(l, "^标题[:：]%s*(.-)%s*$")
    meta.published = meta.published or match(l, "^发布时间[:：]%s*(%d%d%d%d%-%d%d%-%d%d)")
  end
  local body = concat(lines, "\n", first)
  if not meta.title then
    for _, l in ipairs(lines) do
      if find(l, "年度报告") and not find(l, "^#") and utf8.len(l) < 60 then meta.title = trim(l); break end
    end
  end
  if not meta.title then input_error(first, "没有找到报告标题（如“××局2023年政府信息公开工作年度报告”）") end
  meta.title_year, meta.agency = parse_title(meta.title)
  meta.year = src.year or meta.title_year
  local fmt_id = src.format or (meta.year and host.format_for_year(meta.year))
  local fmt = fmt_id and host.format_decl(fmt_id)
  if not fmt then input_error(first, "无法从标题判断报告年度，因而不知道用哪一年的格式：请用 --format 或 --year 指定") end

  local S = searchable(body)
  local found = find_sections(S, body, fmt)
  local report = { format = fmt.id, meta = meta, sections = {}, tables = {}, notes = {} }
  local pre = found[1] and sub(body, 1, found[1].from - 1) or body
  pre = trim(match(pre, "%-%->(.*)$") or pre) -- a page's navigation ends with the comment marker
  report.preamble = pre ~= "" and pre or nil
  contact(meta, pre)

  local tables_of, rows = {}, {}
  for _, t in ipairs(fmt.tables) do tables_of[t.section] = tables_of[t.section] or {}; table.insert(tables_of[t.section], t) end
  for _, s in ipairs(found) do
    local text_end = s.to
    for _, t in ipairs(tables_of[s.id] or {}) do
      local start = s.to
      for _, m in ipairs(table_marks(t)) do
        local a = locate(S, m, s.head_end, s.to)
        if a and a < start then start = a end
      end
      if start < s.to then
        text_end = math.min(text_end, start)
        for _, r in ipairs(table_rows(S, body, t, start, s.to)) do rows[#rows + 1] = r end
      end
    end
    report.sections[#report.sections + 1] = { heading = s.heading, level = 1, line = line_at(body, s.from, first),
      text = trim(sub(body, s.head_end, text_end - 1)) }
  end

  -- candidates per row, then the format's equations between them
  local eqs = equations(fmt, shape(fmt))
  steps = 0
  for _, r in ipairs(rows) do
    if #r.chunks > 0 then r.cands = splits(r.chunks, r.cols, row_equations(r, eqs)) end
  end
  local solvable = {}
  for _, r in ipairs(rows) do if r.cands then solvable[#solvable + 1] = r end end
  local failed = solve(solvable, eqs)
  place(rows, report.tables, report.notes, body, first)

  -- one note per table: how its numbers were recovered
  local by_table = {}
  for _, r in ipairs(rows) do
    local b = by_table[r.table] or { rows = 0, decided = 0, cross = false }
    by_table[r.table] = b
    if #r.chunks > 0 then
      b.rows = b.rows + 1
      if r.cands and #r.cands == 1 then b.decided = b.decided + 1 end
      b.cross = b.cross or r.cross_failed
    end
  end
  for _, t in ipairs(fmt.tables) do
    local b = by_table[t]
    if b and b.rows > 0 then
      local used = {}
      for _, eq in ipairs(eqs) do
        for cell in pairs(eq.terms) do
          if sub(cell, 1, #t.id + 1) == t.id .. "." and not used[eq.rule] then used[eq.rule] = true; used[#used + 1] = eq.rule end
        end
      end
      local msg = format("原文中%s的数字连在一起，已按每行的列数%s拆分：%d行中%d行唯一确定；请与原报告核对",
        t.label, #used > 0 and ("和本格式的规则（" .. concat(used, "、") .. "）") or "", b.rows, b.decided)
      local sev = "info"
      if b.cross then
        sev = "warning"
        msg = msg .. (b.cross == "budget" and "。跨行的规则组合过多，未能全部检验" or
          "。没有一种拆法能同时满足跨行的规则（原报告的数据本身可能不一致），各行只按本行的规则拆分")
      end
      table.insert(report.notes, { rule = "IMPORT-SPLIT", severity = sev, message = msg, line = first })
    end
  end
  report.notes = #report.notes > 0 and report.notes or nil
  return report
end

-- A row label with a digit right after it: cells run together.
local function digits_after_label(line, fmt)
  for _, t in ipairs(fmt.tables) do
    for _, b in ipairs(t.blocks) do
      local function walk(rows)
        for _, r in ipairs(rows) do
          local p = find(line, r.label, 1, true)
          if p and find(line, "^%d", p + #r.label) then return true end
          if r.children and walk(r.children) then return true end
        end
      end
      if walk(b.rows) then return true end
    end
  end
  return false
end

-- Claims text whose section headings run inside a line that is long or
-- runs a row label into its digits.
local function detect(head)
  for line in head:gmatch("[^\n]+") do
    for _, id in ipairs(host.format_ids()) do
      local fmt = host.format_decl(id)
      for _, s in ipairs(fmt.sections) do
        -- numbered headings only ("一、总体情况"): a bare "总体情况" is just words
        local p = find(s.label, "^[\228-\233][\128-\191][\128-\191]、") and find(line, s.label, 1, true)
        if p and find(sub(line, 1, p - 1), "%S") and (#line > 500 or digits_after_label(line, fmt)) then return true end
      end
    end
  end
  return false
end

host.importer {
  id = "flattened",
  description = "web text whose table cells run together (行政规范性文件693665): split by the format's rules",
  extensions = { "txt" },
  detect = detect,
  import = import,
}
