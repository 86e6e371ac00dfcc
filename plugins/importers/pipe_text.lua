--: importer pipe_text
--: extensions txt md
--: marks txt within 4096 "|" "｜" "#" "0 " "1 " "2 " "3 " "4 " "5 " "6 " "7 " "8 " "9 "
--: uses text
-- Importer for a report that OCR or a PDF-to-Markdown extractor wrote out:
-- tables as pipe rows ("| （一）予以公开 | 12 | 0 | … |"), headings as
-- "# …"/"## …" or "**…**", header rows of its own invention ("| 数据1 |
-- 数据2 | …") and the errors such tools make.  Each line is made what the
-- text importer reads (a heading without its marks, a row one cell a line)
-- and the text importer does the rest, so that sections, the preamble and
-- table placement are read exactly as for any text.  Here:
--   * a row's label is matched tolerantly to the format's (lib/label_match:
--     ordinal optional, brackets, spaces, punctuation, OCR confusions) and
--     written as the official label; a row that names no label and holds no
--     number (a header row, "数据1…") is left out;
--   * numbers: several in one cell ("12 0 3") are several cells, OCR's O/l
--     in a number are 0/1, a label cell ending in its numbers is cut;
--   * a label with no numbers (or too few) followed by rows of numbers only
--     is joined with them when that makes the row's count exactly; when it
--     cannot, the row is left blank with IMPORT-AMBIGUOUS — never guessed;
--   * a title over two lines is joined, "2024 年" read as "2024年", a section
--     heading without its ordinal given it.
local host = ...

local find, match, gsub, sub = string.find, string.match, string.gsub, string.sub
local concat = table.concat
local trim, norm = host.trim, host.norm
local labels -- lib/label_match, on first use
local split, eqs = nil, {} -- lib/digit_split and the format's equalities, for rows paired column by column

local function leaf_columns(block)
  local cols = {}
  local function leaves(list) for _, x in ipairs(list) do if x.children then leaves(x.children) else cols[#cols + 1] = x end end end
  leaves(block.columns)
  return cols
end
local doc_text

local NUMERALS = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十" }

-- "| a | b |" → { "a", "b" } (full-width ｜ too); nil for a line that is no pipe row
local function pipe_cells(line)
  local l = gsub(trim(line), "｜", "|")
  if sub(l, 1, 1) ~= "|" then return nil end
  l = gsub(l, "^|", "")
  if sub(l, -1) == "|" then l = sub(l, 1, -2) end
  local cells = {}
  for c in (l .. "|"):gmatch("(.-)|") do cells[#cells + 1] = trim(c) end
  return cells
end

local function is_rule(cells)
  for _, c in ipairs(cells) do if not find(c, "^:?%-*:?$") then return false end end
  return true
end

-- markup of a cell or a line: **bold**, leading "> ", U+3000 indents
local function plain(s)
  s = gsub(gsub(s, "%*%*", ""), "__", "")
  s = gsub(s, "^>%s*", "")
  return trim(s)
end

-- a cell that is a number once OCR's letters for digits are read as digits
local OCR_DIGITS = { O = "0", o = "0", D = "0", l = "1", I = "1", i = "1", S = "5", B = "8" }
local function number_cell(c)
  if c == "" then return nil end
  local kind = host.cell_kind(c)
  if kind == "value" or kind == "na" then return c end
  if find(c, "^[%dOoDlIiSB%.,]+$") and find(c, "%d") then
    local d = gsub(c, "[OoDlIiSB]", OCR_DIGITS)
    if host.cell_kind(d) == "value" then return d end
  end
  return nil
end

-- a cell holding several numbers separated by spaces: all of them, else nil
local function numbers_in(c)
  if not find(c, "%s") then return nil end
  local out = {}
  for w in c:gmatch("%S+") do
    local v = number_cell(w)
    if not v then return nil end
    out[#out + 1] = v
  end
  return out
end

-- the format the title's year calls for
local function format_of(src, lines)
  if src.format then return host.format_decl(src.format) end
  for k = 1, math.min(#lines, 40) do
    local y = match(gsub(lines[k], "(%d)%s+年", "%1年"), "(20%d%d)年")
    if y then
      local id = host.format_for_year(tonumber(y))
      return id and host.format_decl(id)
    end
  end
end

local function import(src)
  labels = labels or host.lib("label_match")
  doc_text = doc_text or host.lib("doc_text")
  local text, encoding = host.lib("encoding").utf8(src.text)
  local lines = host.lines(text)
  local fmt = format_of(src, lines)

  local out, emitted, fixed, dropped, doubts = {}, {}, 0, 0, {}
  local sections_seen, title_seen = 0, false
  -- first: every line as text or a row { label =, entry =, values = {}, line = }
  local items = {}
  for n, line in ipairs(lines) do
    local cells = pipe_cells(line)
    if cells then
      if not is_rule(cells) then
        local label, values = plain(cells[1] or ""), {}
        -- a label cell ending in its numbers: "（一）予以公开 12 0"
        local head, tail = match(label, "^(.-[^%d%s%.])%s+([%d%s%.]+)$")
        if head and numbers_in(" " .. tail) then label = head; table.insert(cells, 2, tail) end
        local numeric = number_cell(label) ~= nil
        if numeric then label = ""; table.insert(cells, 2, cells[1]) end
        for k = 2, #cells do
          local c = plain(cells[k])
          local several = numbers_in(c)
          if several then
            for _, v in ipairs(several) do values[#values + 1] = v end
          else
            values[#values + 1] = number_cell(c) or c
          end
        end
        items[#items + 1] = { row = true, label = label, values = values, line = n }
      end
    elseif not find(line, "^%s*<!%-%-") then
      -- OCR text without pipes: "（一）予以公开 4 1 0 0 0 0 5", a row when the
      -- words before its numbers name a row of the format
      local words = {}
      for w in gsub(line, "\227\128\128", " "):gmatch("%S+") do words[#words + 1] = w end
      local values = {}
      while #words > 1 and number_cell(words[#words]) do table.insert(values, 1, number_cell(table.remove(words))) end
      local label = concat(words, "")
      if #words == 1 and number_cell(words[1]) then table.insert(values, 1, number_cell(words[1])); label = "" end
      local tables = fmt and #fmt.tables > 0
      if tables and #values > 0 and (label == "" or labels.find(fmt, label)) then
        items[#items + 1] = { row = true, label = label, values = values, line = n }
      elseif tables and #values == 0 and label ~= "" and utf8.len(label) and utf8.len(label) <= 60 and
          labels.find(fmt, label) and labels.find(fmt, label).data then
        items[#items + 1] = { row = true, label = label, values = values, line = n }
      else
        items[#items + 1] = { text = line, line = n, words_label = label, words_values = values }
      end
    end
  end

  -- numbers and blank cells, at least one number
  local function numbers_only(values)
    local k = 0
    for _, v in ipairs(values) do
      if number_cell(v) then k = k + 1 elseif v ~= "" then return false end
    end
    return k > 0
  end
  -- a line of text that is the first half of the label of the row after it
  for k = 1, #items - 1 do
    local it, nx = items[k], items[k + 1]
    if it.text and nx.row and nx.label ~= "" and fmt and #fmt.tables > 0 and utf8.len(it.text) and
        utf8.len(it.text) <= 40 and not find(it.text, "|", 1, true) then
      local first = trim(gsub(it.text, "%*%*", ""))
      if first ~= "" and not labels.find(fmt, nx.label) and labels.find(fmt, first .. nx.label) then
        items[k] = { row = true, label = first, values = {}, line = it.line }
      end
    elseif it.text and nx.text and nx.words_values and #nx.words_values > 0 and fmt and #fmt.tables > 0 and
        utf8.len(it.text) and utf8.len(it.text) <= 40 then
      -- the same without pipes: "（二）部分公开（区分处理的，" / "只计这一情形，不计其他情形） 1 0 …"
      local first = trim(gsub(it.text, "%*%*", ""))
      local e = first ~= "" and labels.find(fmt, first .. nx.words_label)
      if e then
        items[k] = { row = true, label = first .. nx.words_label, values = nx.words_values, line = it.line }
        nx.consumed, nx.text = true, nil
      end
    end
  end
  local function count_numbers(values)
    local k = 0
    for _, v in ipairs(values) do if number_cell(v) then k = k + 1 end end
    return k
  end

  -- the column counts of the format's unlabelled rows (表四: values only)
  local unlabelled, stray = {}, {}
  for _, t in ipairs(fmt and fmt.tables or {}) do
    for _, b in ipairs(t.blocks) do
      if b.labels == false then
        local n = 0
        local function leaves(list) for _, c in ipairs(list) do if c.children then leaves(c.children) else n = n + 1 end end end
        leaves(b.columns)
        unlabelled[n] = true
      end
    end
  end
  -- a row of exactly the shape of a table's unlabelled row (表四) is that row
  local function unlabelled_row(it)
    return it.label == "" and unlabelled[#it.values] and count_numbers(it.values) > 0
  end
  for n = 1, #lines do out[n] = "" end
  local runs = {}
  local function digits_only(values)
    for _, v in ipairs(values) do if not find(v, "^%d+$") then return false end end
    return true
  end
  -- a column of labels, then a column of numbers (OCR read the table column
  -- by column): K labels without numbers followed by K rows of numbers only,
  -- each of its label's count, are paired in order; the pairing is then
  -- checked by the format's own equalities (below)
  local paired = {}
  do
    local k = 1
    while k <= #items do
      local run = {}
      local m = k
      while m <= #items and items[m].row and items[m].label ~= "" and #items[m].values == 0 do
        local e = fmt and labels.find(fmt, items[m].label)
        if not e or not e.data then break end
        run[#run + 1] = { item = items[m], entry = e }
        m = m + 1
      end
      local ok = #run >= 2
      for q = 1, #run do
        local nx = items[m + q - 1]
        if not (nx and nx.row and nx.label == "" and #nx.values == run[q].entry.cols and numbers_only(nx.values)) then
          ok = false; break
        end
      end
      if ok then
        local group = {}
        for q = 1, #run do
          local nx = items[m + q - 1]
          run[q].item.values, run[q].item.pair_line = nx.values, nx.line
          nx.consumed = true
          group[#group + 1] = { entry = run[q].entry, line = run[q].item.line }
        end
        paired[#paired + 1] = group
        k = m + #run
      else
        k = math.max(m, k + 1)
      end
    end
  end
  -- rows whose label OCR misread beyond matching: { line, label, raw, prev, next }
  local garbled, prev_entry = {}, nil
  local i = 1
  while i <= #items do
    local it = items[i]
    if it.consumed then
      i = i + 1
    elseif it.text then
      local t = trim(gsub(it.text, "^%s*#+%s*", ""))
      t = plain(t)
      if not title_seen and t ~= "" then
        t = gsub(t, "(%d)%s+年", "%1年")
        if find(t, "报告") or find(t, "%d年") then title_seen = find(t, "报告") ~= nil end
      end
      -- a level-2 heading in half-width brackets; a section heading without its ordinal
      t = gsub(t, "^%(([一二三四五六七八九十]+)%)", "（%1）")
      local numeral = match(t, "^([一二三四五六七八九十]+)、")
      if numeral then
        sections_seen = sections_seen + 1
      elseif fmt and utf8.len(t) and utf8.len(t) <= 30 and find(it.text, "^%s*#") and doc_text.names_section(t) and
          not find(t, "^（") then
        sections_seen = sections_seen + 1
        if NUMERALS[sections_seen] then t = NUMERALS[sections_seen] .. "、" .. t end
      end
      out[it.line] = t
      i = i + 1
    elseif fmt and #fmt.tables == 0 then
      -- a format without tables (≤2018): every row as written, header and
      -- blank cells too, for the text importer's free-form 统计表
      out[it.line] = concat({ it.label, table.unpack(it.values) }, "\t")
      i = i + 1
    else
      local e = it.label ~= "" and fmt and labels.find(fmt, it.label)
      -- a label broken over two rows ("（二）部分公开（区分处理的，" / "只计这一情形…） | 3 | …")
      local nx = items[i + 1]
      if not e and fmt and it.label ~= "" and #it.values == 0 and nx and nx.row and nx.label ~= "" then
        e = labels.find(fmt, it.label .. nx.label)
        if e then
          nx.label, nx.line_of_label = e.label, it.line
          out[it.line] = ""
          i = i + 1
          it = nx
        end
      end
      if e then
        local values = { table.unpack(it.values) }
        -- blank cells past the row's columns are the end of the line
        while #values > e.cols and values[#values] == "" do values[#values] = nil end
        local j = i + 1
        -- numbers detached from their label: the rows of numbers only that follow
        if e.data and #values < e.cols then
          while j <= #items and items[j].row and items[j].label == "" and #values < e.cols and
              numbers_only(items[j].values) and not unlabelled_row(items[j]) do
            for _, v in ipairs(items[j].values) do values[#values + 1] = v end
            j = j + 1
          end
        end
        if norm(it.label) ~= norm(e.label) then fixed = fixed + 1 end
        if not e.data then
          values = {}
        elseif #values < e.cols and #values > 0 and digits_only(values) and #concat(values) >= e.cols then
          -- digits of several cells run together in a cell ("| 予以公开 | 4100005 |"):
          -- cut below as the flattened importer cuts them
          runs[#runs + 1] = { entry = e, line = it.line, chunks = values, cols = leaf_columns(e.block),
            key = e.table.id .. "." .. e.row.id }
          values = {}
          for c = 1, e.cols do values[c] = "" end
        elseif #values ~= e.cols then
          doubts[#doubts + 1] = { entry = e, line = it.line, raw = concat(values, " "), n = #values }
          values = {}
          for c = 1, e.cols do values[c] = "" end
        end
        emitted[e.table.id .. "." .. e.row.id] = { values = values, cols = leaf_columns(e.block) }
        out[it.line] = concat({ e.label, table.unpack(values) }, "\t")
        if e.data then
          for _, g in ipairs(garbled) do g.next = g.next or e end
          prev_entry = e
        end
        i = j
      elseif count_numbers(it.values) > 0 and it.label ~= "" then
        -- numbers under a label no row has, even read tolerantly: OCR misread
        -- it; the numbers are not read (the row they belong to is a guess)
        -- and the note says where the row can only be
        garbled[#garbled + 1] = { line = it.line, label = it.label, n = count_numbers(it.values),
          values = it.values, raw = concat(it.values, " "), prev = prev_entry }
        i = i + 1
      elseif count_numbers(it.values) > 0 and unlabelled_row(it) then
        -- the shape of a table's unlabelled row (表四)
        out[it.line] = concat(it.values, "\t")
        i = i + 1
      elseif count_numbers(it.values) > 0 then
        -- numbers with no label, joined to no row: said, not dropped
        stray[#stray + 1] = { line = it.line, raw = concat(it.values, " ") }
        i = i + 1
      else
        dropped = dropped + 1 -- a header row: column labels, "数据1…数据6"
        i = i + 1
      end
    end
  end

  -- digit runs of rows: every cut the row's own equalities allow, then those
  -- across the rows so cut (lib/digit_split, as the flattened importer);
  -- a cell all remaining cuts agree on is taken, any other left blank
  local run_notes, decided = {}, 0
  if #runs > 0 then
    split = split or host.lib("digit_split")
    eqs[fmt.id] = eqs[fmt.id] or split.equations(fmt)
    local budget = { left = 200000 }
    local solvable = {}
    for _, r in ipairs(runs) do
      r.cands = split.splits(r.chunks, r.cols, split.row_equations(r, eqs[fmt.id]), budget)
      if r.cands then solvable[#solvable + 1] = r end
    end
    split.solve(solvable, eqs[fmt.id])
    for _, r in ipairs(runs) do
      local values, raw = {}, concat(r.chunks, " ")
      for k, c in ipairs(r.cols) do
        local seen, list = {}, {}
        for _, cand in ipairs(r.cands or {}) do
          if not seen[cand[k]] then seen[cand[k]] = true; list[#list + 1] = cand[k] end
        end
        values[k] = #list == 1 and list[1] or ""
        if #list ~= 1 then
          run_notes[#run_notes + 1] = { rule = r.cands and #r.cands > 0 and "IMPORT-AMBIGUOUS" or "IMPORT-UNSOLVED",
            severity = "error", line = r.line, table = r.entry.table.id, row = r.entry.row.id, column = c.id, actual = raw,
            message = #list == 0 and string.format("原文“%s”拆不成%d个符合本格式规则的数：这一格留空，请对照原报告填写", raw, #r.cols) or
              string.format("原文“%s”的数字连在一起，本格可能是 %s：无法确定，留空，请对照原报告填写", raw, concat(list, "、")) }
        end
      end
      emitted[r.key] = { values = values, cols = r.cols }
      out[r.line] = concat({ r.entry.label, table.unpack(values) }, "\t")
      if r.cands and #r.cands == 1 then decided = decided + 1 end
    end
    run_notes[#run_notes + 1] = { rule = "IMPORT-SPLIT", severity = "info", line = runs[1].line,
      message = string.format("%d行的数字在单元格中连在一起，已按每行的列数和本格式的规则拆分：%d行唯一确定；请与原报告核对",
        #runs, decided) }
  end

  -- rows paired column by column: every equality of the format that names
  -- their cells must hold, else the pairing is no more than a guess and
  -- those rows are left blank
  local pair_notes = {}
  for _, group in ipairs(paired) do
    split = split or host.lib("digit_split")
    eqs[fmt.id] = eqs[fmt.id] or split.equations(fmt)
    local in_group = {}
    for _, g in ipairs(group) do in_group[g.entry.table.id .. "." .. g.entry.row.id] = true end
    -- the equalities touching the group, evaluated on the values as emitted
    local function evaluate()
      local broken, checked = nil, 0
      for _, eq in ipairs(eqs[fmt.id]) do
        local touches, sum, known = false, eq.const, true
        for cell, coef in pairs(eq.terms) do
          local t, r, c = match(cell, "^([^.]+)%.([^.]+)%.(.+)$")
          if in_group[t .. "." .. r] then touches = true end
          local row = emitted[t .. "." .. r]
          local v
          if row then
            for k, col in ipairs(row.cols) do if col.id == c then v = row.values[k] end end
          end
          if type(v) ~= "string" or not find(v, "^%d+$") then known = false; break end
          sum = sum + coef * tonumber(v) * 1000000
        end
        if touches and known then
          checked = checked + 1
          if sum ~= 0 then broken = broken or eq.rule end
        end
      end
      return broken, checked
    end
    local broken, checked = evaluate()
    -- the pairing in order must be the only one the equalities allow: two
    -- rows of numbers swapped (when they differ) must break one
    local also
    if not broken and checked > 0 then
      for a = 1, #group do
        for b = a + 1, #group do
          local ra = emitted[group[a].entry.table.id .. "." .. group[a].entry.row.id]
          local rb = emitted[group[b].entry.table.id .. "." .. group[b].entry.row.id]
          if not also and ra and rb and #ra.values == #rb.values and concat(ra.values, "|") ~= concat(rb.values, "|") then
            ra.values, rb.values = rb.values, ra.values
            local bad = evaluate()
            ra.values, rb.values = rb.values, ra.values
            if not bad then also = { group[a].entry.label, group[b].entry.label } end
          end
        end
      end
    end
    if broken or checked == 0 or also then
      for _, g in ipairs(group) do
        local e = g.entry
        local cols = leaf_columns(e.block)
        local blank = { e.label }
        for k = 1, #cols do blank[k + 1] = "" end
        out[g.line] = concat(blank, "\t")
        for _, c in ipairs(cols) do
          pair_notes[#pair_notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error",
            line = g.line, table = e.table.id, row = e.row.id, column = c.id,
            message = string.format("行名称与数字分成两栏识别，按顺序配对后%s：无法确定哪行数字属于哪一行，留空，请对照原报告填写",
              broken and ("不符合本格式的规则 " .. broken) or
              also and string.format("，“%s”与“%s”的数字互换也都符合本格式的规则", also[1], also[2]) or
              "没有本格式的规则可以核对") }
        end
      end
    else
      pair_notes[#pair_notes + 1] = { rule = "IMPORT-PIPE", severity = "info", line = group[1].line,
        message = string.format("行名称与数字分成两栏识别：%d行按顺序配对，本格式的%d处勾稽关系均成立；请与原报告核对", #group, checked) }
    end
  end

  -- a misread label whose place leaves one row: that row, blank; else the
  -- label as written, which the text importer refuses with its line
  for k = #garbled, 1, -1 do
    local g = garbled[k]
    local cands = {}
    for _, e in ipairs(labels.rows_between(fmt, g.prev, g.next, g.n)) do
      if not emitted[e.table.id .. "." .. e.row.id] then cands[#cands + 1] = e end
    end
    if #cands == 1 then
      g.row = cands[1]
      emitted[cands[1].table.id .. "." .. cands[1].row.id] = { values = {}, cols = leaf_columns(cands[1].block) }
      local blank = { cands[1].label }
      for c = 1, cands[1].cols do blank[c + 1] = "" end
      out[g.line] = concat(blank, "\t")
    else
      out[g.line] = g.label .. "\t" .. concat(g.values, "\t")
      table.remove(garbled, k)
    end
  end

  local text_import = host.importer_of("text")
  if not text_import then host.input_error(0, "没有 text 导入器，无法读取") end
  local report = text_import({ text = concat(out, "\n"), name = src.name, format = src.format, year = src.year })
  report.notes = report.notes or {}
  for _, n in ipairs(run_notes) do report.notes[#report.notes + 1] = n end
  for _, n in ipairs(pair_notes) do report.notes[#report.notes + 1] = n end
  for _, d in ipairs(doubts) do
    local e = d.entry
    for _, c in ipairs((function()
      local cols = {}
      local function leaves(list) for _, x in ipairs(list) do if x.children then leaves(x.children) else cols[#cols + 1] = x end end end
      leaves(e.block.columns)
      return cols
    end)()) do
      report.notes[#report.notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", line = d.line,
        table = e.table.id, row = e.row.id, column = c.id, actual = d.raw ~= "" and d.raw or nil,
        message = string.format("原文这一行有%d个数值（%s），本行应有%d个：数字与行名称分离或跨块断开，无法确定哪个数属于哪一格；这一行留空，请对照原报告填写",
          d.n, d.raw ~= "" and d.raw or "无", e.cols) }
    end
  end
  for _, g in ipairs(garbled) do
    local e = g.row
    for _, c in ipairs(leaf_columns(e.block)) do
      report.notes[#report.notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", line = g.line, actual = g.raw,
        table = e.table.id, row = e.row.id, column = c.id, message = string.format(
          "无法识别的行名称“%s”（识别可能有误），按位置只可能是“%s”：这一行的数字（%s）未读入，留空，请对照原报告填写",
          g.label, e.label, g.raw) }
    end
  end
  for _, st in ipairs(stray) do
    report.notes[#report.notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", line = st.line, actual = st.raw,
      message = string.format("这一行的数字（%s）没有行名称，也接不上前面的行：不知道属于哪一行，未读入；请对照原报告填写", st.raw) }
  end
  if fixed > 0 or dropped > 0 then
    report.notes[#report.notes + 1] = { rule = "IMPORT-PIPE", severity = "info", line = 1,
      message = string.format("按识别（OCR）或 PDF 转换的文本读取：%d个行名称与官方名称不完全一致，已按容错匹配读取；%d行表头或无法识别的非数字行未读入；请与原报告核对",
        fixed, dropped) }
  end
  if encoding then
    table.insert(report.notes, 1, host.lib("encoding").note(encoding))
  end
  -- the text importer's own encoding note is not wanted twice
  if #report.notes == 0 then report.notes = nil end
  return report
end

-- text with pipe rows, not nianbao's own Markdown (that has its metadata comment)
local function detect(head, name)
  head = host.lib("encoding").head(head)
  if not head or find(head, "<!-- nianbao format=", 1, true) then return false end
  if name and find(name, "%.md$") then return true end
  -- most text has neither a pipe nor a "#" line: said at once
  if not (find(head, "|", 1, true) or find(head, "｜", 1, true) or find(head, "\n#") or sub(head, 1, 1) == "#" or
      find(head, "%d +%d +%d")) then
    return false
  end
  -- OCR text without pipes: lines of words and at least three numbers separated by spaces
  local spaced = 0
  for _ in head:gmatch("\n[^\t\n]-[^%d%s] +%d+ +%d+ +%d+[ %d]*\r?\n") do
    spaced = spaced + 1
    if spaced >= 3 then return true end
  end
  local n = 0
  for _ in head:gmatch("\n%s*[|｜][^\n]*[|｜]%s*\r?\n") do
    n = n + 1
    if n >= 3 then return true end
  end
  -- text whose title or section headings carry Markdown's "#" (a "#
  -- source: …" note does not); Markdown that is not nianbao's own (above)
  for line in head:gmatch("[^\n]+") do
    if find(line, "^#+%s") and not find(line, ":", 1, true) and not find(line, "：", 1, true) and
        (find(line, "年度报告", 1, true) or find(line, "^#+%s*[一二三四五六七八九十]、")) then
      return true
    end
  end
  return false
end

host.importer {
  id = "pipe_text",
  description = "识别（OCR）或 PDF 转 Markdown 得到的文本：以“|”分隔的表格行，行名称容错匹配",
  extensions = { "txt", "md" },
  detect = detect,
  import = import,
}
