--: importer flattened
--: extensions txt
--: headings txt within 4096 "、"
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
-- The arithmetic lives in lib/digit_split.lua; this file reads the text.
local host = ...

local norm, input_error = host.norm, host.input_error
local find, match, gsub, sub, format, byte = string.find, string.match, string.gsub, string.sub, string.format, string.byte
local concat = table.concat

-- steps in cutting all rows' digits, per import (lib/digit_cuts.lua counts
-- each place tried and each piece of a number): a report's rows take at most
-- a few thousand (4,456 for the largest of 910 real, generated and fuzzed
-- inputs; a 表四 row of 43 nines 42,000); past it a row is left blank and
-- said, and an import costs at most about 0.2 s (a fuzzed row took 0.6 s
-- within the 1,500,000 steps of before)
local MAX_STEPS = 150000
-- lib/digit_split.lua, loaded on the first import: most runs read no flattened text
local split

---------------------------------------------------------------- searching the text

-- The text with white space and quote marks dropped and full-width ASCII
-- folded (as host.norm does), and where its bytes were in the text: as runs
-- (a byte per byte was most of a report's import), run k starting at byte
-- at[k] of s and at byte from[k] of the text, its bytes copied one for one
-- (a folded character is a run of one byte for its three), the last run an
-- empty one at the text's end.
local DROP = { [" "] = true, ["\t"] = true, ["\r"] = true, ["\n"] = true, ["\194\160"] = true, ["\227\128\128"] = true,
  ['"'] = true, ["'"] = true, ["\226\128\156"] = true, ["\226\128\157"] = true, ["\226\128\152"] = true,
  ["\226\128\153"] = true, ["\227\128\140"] = true, ["\227\128\141"] = true }
-- the first bytes of what is dropped or folded
local SPECIAL = "[ \t\r\n\"'\194\226\227\239]"
local function searchable(text)
  local out, at, from = {}, {}, {}
  local nout, nrun, slen, pos, len = 0, 0, 0, 1, #text
  local function run(piece, orig)
    if nrun == 0 or from[nrun] + (slen + 1 - at[nrun]) ~= orig then -- else it goes on the run before
      nrun = nrun + 1
      at[nrun], from[nrun] = slen + 1, orig
    end
    nout = nout + 1
    out[nout] = piece
    slen = slen + #piece
  end
  while pos <= len do
    local q = find(text, SPECIAL, pos) or len + 1
    if q > pos then run(sub(text, pos, q - 1), pos) end
    if q > len then break end
    local b = byte(text, q)
    local ch = sub(text, q, q + (b < 0x80 and 0 or b >= 0xF0 and 3 or b >= 0xE0 and 2 or 1))
    if not DROP[ch] then
      local cp = utf8.codepoint(ch)
      if cp >= 0xFF01 and cp <= 0xFF5E then run(string.char(cp - 0xFF01 + 0x21), q)
      elseif cp == 0x3010 or cp == 0x3014 then run("[", q)
      elseif cp == 0x3011 or cp == 0x3015 then run("]", q)
      else run(ch, q) end
    end
    pos = q + #ch
  end
  nrun = nrun + 1
  at[nrun], from[nrun] = slen + 1, len + 1
  return { s = concat(out), at = at, from = from, n = nrun }
end

-- The last run k of S whose key[k] <= x (0 when none): a binary search.
local function run_of(S, key, x)
  local lo, hi = 1, S.n + 1
  while lo < hi do
    local mid = (lo + hi) // 2
    if key[mid] <= x then lo = mid + 1 else hi = mid end
  end
  return lo - 1
end

-- Where byte i of S.s was in the text.
local function original(S, i)
  local k = run_of(S, S.at, i)
  return S.from[k] + (i - S.at[k])
end

-- Original byte range [from, to) of the first occurrence of label at or
-- after original offset `at` (and before `limit`), or nil.
local function locate(S, label, at, limit)
  local n = norm(label)
  -- the first byte of S.s from `at` on: within the run `at` is in, else the
  -- next run's first (a walk from the start made every label cost the whole text)
  local k, start = run_of(S, S.from, at), S.at[1]
  if k > 0 then
    local length = k < S.n and S.at[k + 1] - S.at[k] or 1
    start = S.at[k] + math.min(at - S.from[k], length)
  end
  local a, b = find(S.s, n, start, true)
  if not a then return nil end
  a = original(S, a)
  if a >= (limit or math.huge) then return nil end
  return a, original(S, b + 1)
end

---------------------------------------------------------------- reading the text

local trim = host.trim -- white space and U+3000 at either end


-- The leading run of s that is written cells: digits, points, white space,
-- a minus before digits (a signed cell: "35-15" is 35 | -15), and the marks
-- written for no number ("/", "—", "-"), full-width forms folded.  Cut into
-- chunks: white space, a sign and a mark always start a new cell, and a mark
-- is a cell of its own.  Also whether the run is followed at once by more
-- of what looks like a cell ("+5", "3%"): a run not wholly understood.
local MARK_CHARS = { ["/"] = true, ["-"] = true, ["\\"] = true, ["\226\128\148"] = true, ["\226\128\147"] = true }
local function digit_chunks(s)
  s = gsub(s, "\239\188([\144-\153])", function(c) return string.char(c:byte() - 0x60) end)
  s = gsub(gsub(gsub(s, "\239\188\142", "."), "\227\128\128", " "), "\194\160", " ")
  s = gsub(gsub(gsub(s, "\239\188\141", "-"), "\239\188\143", "/"), "\226\136\146", "-")
  local chunks, cur, pos, stop = {}, nil, 1, 0
  local function close() if cur then chunks[#chunks + 1] = cur; cur = nil end end
  while pos <= #s do
    local c = sub(s, pos, pos)
    local three = sub(s, pos, pos + 2)
    if find(c, "[%d%.]") then
      if cur and not find(cur, "^[%-%d%.]") then close() end -- digits after a mark
      local _, e = find(s, "^[%d%.]+", pos) -- the whole run at once: a long one is no quadratic copy
      cur = (cur or "") .. sub(s, pos, e)
      pos, stop = e + 1, e
    elseif c == "-" and find(s, "^%d", pos + 1) then
      close(); cur = "-"; pos = pos + 1
    elseif MARK_CHARS[c] or MARK_CHARS[three] then
      local ch = MARK_CHARS[c] and c or three
      -- a doubled dash "——" is one mark; any other mark stands alone
      if cur and cur == ch and ch == "\226\128\148" then cur = cur .. ch else close(); cur = ch end
      pos = pos + #ch
      stop = pos - 1
      if ch ~= "\226\128\148" then close() end
    elseif find(c, "%s") then
      close(); pos = pos + 1
    else
      break
    end
  end
  close()
  local raw = trim(sub(s, 1, stop))
  local rest = sub(s, stop + 1)
  if find(rest, "^[%+%%%*]") or find(rest, "^\195\151") or find(rest, "^\239\188[\133\139]") then
    -- shown with what follows it, up to white space or a Chinese character
    return chunks, raw .. match(rest, "^[%+%%%*%d%.%-/\195\151\239\188\133\139]*"), true
  end
  return chunks, raw, false
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
      r.chunks, r.raw, r.unaccounted = digit_chunks(sub(body, r.label_end, stop - 1))
    end
  end
  return out
end

---------------------------------------------------------------- the report

-- The old 统计表 (formats without tables): from its header ("指标名称计量单位
-- 本年度历年累计") on, rows cut by lib/legacy_rows into report.statistics; a
-- row whose digits cannot be cut for certain keeps blank values and is said
-- (IMPORT-AMBIGUOUS, with the cuts it could be).  Returns the body without it.
local legacy
local function legacy_statistics(report, body, first_line)
  legacy = legacy or host.lib("legacy_rows")
  local h = find(body, "指标名称", 1, true) or find(body, "计量单位", 1, true)
  if not h then return body end
  local window = sub(body, h, h + 160)
  local cols, has_unit = legacy.header(window)
  local data = h
  for _, c in ipairs(cols) do
    local a, b = find(body, c, h, true)
    if a and a - h < 160 then data = math.max(data, b + 1) end
  end
  if has_unit then
    local _, b = find(body, "计量单位", h, true)
    data = math.max(data, b + 1)
  end
  local line = first_line
  for _ in sub(body, 1, h - 1):gmatch("\n") do line = line + 1 end
  -- the header kept as the table's first row, as the text importer keeps it
  report.statistics = { { label = "指标名称", unit = has_unit and "计量单位" or nil, values = cols, line = line } }
  for _, r in ipairs(legacy.run_rows(sub(body, data), cols, has_unit)) do
    report.statistics[#report.statistics + 1] = { label = r.label, unit = r.unit, values = r.values, line = line }
    if r.candidates then
      local ways = {}
      for k = 1, math.min(#r.candidates, 6) do ways[k] = concat(r.candidates[k], "|") end
      report.notes[#report.notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "warning", line = line, actual = r.raw,
        message = format("统计表“%s”的数字“%s”连在一起，%s各是多少无法确定（可能是 %s，也可能有一格原本空白）：留空，请对照原报告填写",
          r.label, r.raw, concat(cols, "、"), #ways > 0 and concat(ways, "、") or "无合理拆法") }
    end
  end
  report.notes[#report.notes + 1] = { rule = "IMPORT-SPLIT", severity = "info", line = line,
    message = format("原文中统计表的数字连在一起：读出%d行（指标、计量单位），数值只在原文以空格分开时读入；请与原报告核对",
      #report.statistics - 1) }
  return sub(body, 1, h - 1)
end

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
      if r.unaccounted then
        notes[#notes + 1] = { rule = "IMPORT-UNSOLVED", severity = "error", line = line, table = tid, row = rid,
          column = r.cols[1].id, actual = r.raw,
          message = format("原文“%s”中有无法识别的符号，这一行的数字不能完整解释，不拆分；这一行留空，请对照原报告填写", r.raw) }
      elseif split.too_long(r.chunks, r.cols) then
        local len, max = split.too_long(r.chunks, r.cols)
        local shown = #r.raw > 40 and sub(r.raw, 1, 40) .. "…" or r.raw
        notes[#notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", line = line, table = tid, row = rid,
          column = r.cols[1].id, actual = shown,
          message = format("原文“%s”有%d个数字和符号，超过了这一行%d格最多能写下的%d个：不拆分，这一行留空，请对照原报告填写",
            shown, len, #r.cols, max) }
      elseif not r.cands then
        notes[#notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", line = line, table = tid, row = rid,
          column = r.cols[1].id, actual = r.raw,
          message = format("原文“%s”可拆成的组合太多，在限定的步数内无法判断；不拆分，这一行留空，请对照原报告填写", r.raw) }
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
            table.sort(values, function(a, b) return split.micro(a) < split.micro(b) end)
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

-- what follows 地址 or 电话 up to a stop, unless it is longer than the host
-- takes for a field: then it is the text run together after the word, no
-- address (found by fuzz_flattened), and left out
local function field(v)
  if v and #v <= host.meta_max_bytes then return v end
end

local function contact(meta, text)
  local t = text
  for wide, narrow in pairs({ ["："] = ":", ["，"] = ",", ["；"] = ";", ["）"] = ")", ["。"] = ".", ["、"] = "," }) do
    t = gsub(t, wide, narrow)
  end
  meta.address = field(match(t, "地址:%s*([^,;%)]+)"))
  meta.phone = field(match(t, "电话:%s*([%d%-]+%d)"))
  meta.postcode = match(t, "邮编:%s*(%d%d%d%d%d%d)")
  meta.period_year = tonumber(match(text, "(%d%d%d%d)年1月1日") or match(text, "统计期限[^。]-(%d%d%d%d)年"))
end

local function import(src)
  split = split or host.lib("digit_split")
  -- GB18030/GBK or UTF-16 with a BOM: converted, and said in an info note
  local text, encoding = host.lib("encoding").utf8(src.text)
  local lines = host.lines(text)
  local meta, first, title_line = {}, 1, nil
  for i, l in ipairs(lines) do
    if find(l, "^=+ *正文 *=+$") then first = i + 1; break end
    if not meta.title then
      meta.title = match(l, "^标题[:：]%s*(.-)%s*$")
      title_line = meta.title and i
    end
    meta.published = meta.published or match(l, "^发布时间[:：]%s*(%d%d%d%d%-%d%d%-%d%d)")
  end
  local body = concat(lines, "\n", first)
  if not meta.title then
    for _, l in ipairs(lines) do
      if find(l, "年度报告") and not find(l, "^#") and utf8.len(l) < 60 then meta.title = trim(l); break end
    end
  end
  if not meta.title then input_error(first, "没有找到报告标题（如“××局2023年政府信息公开工作年度报告”）") end
  -- a 标题 line run together with the text (found by fuzz_flattened) is the
  -- input's fault, not a report the host would refuse from the importer
  if #meta.title > host.meta_max_bytes then
    input_error(title_line or first, format("标题长 %d 字节，超过 %d 字节，不像是标题：请检查“标题：”一行", #meta.title, host.meta_max_bytes))
  end
  meta.title_year, meta.agency = host.lib("title").parse(meta.title)
  meta.year = src.year or meta.title_year
  local fmt_id = src.format or (meta.year and host.format_for_year(meta.year))
  local fmt = fmt_id and host.format_decl(fmt_id)
  if not fmt then input_error(first, "无法从标题判断报告年度，因而不知道用哪一年的格式：请用 --format 或 --year 指定") end

  local report = { format = fmt.id, meta = meta, sections = {}, tables = {}, notes = {} }
  -- a format without tables (≤2018): the 统计表 rows kept free-form
  if #fmt.tables == 0 then body = legacy_statistics(report, body, first) end
  local S = searchable(body)
  local found = find_sections(S, body, fmt)
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
  local eqs = split.equations(fmt)
  local budget = { left = MAX_STEPS }
  for _, r in ipairs(rows) do
    if #r.chunks > 0 and not r.unaccounted then r.cands = split.splits(r.chunks, r.cols, split.row_equations(r, eqs), budget) end
  end
  local solvable = {}
  for _, r in ipairs(rows) do if r.cands then solvable[#solvable + 1] = r end end
  split.solve(solvable, eqs)
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
      local used, prefix = {}, t.id .. "."
      for _, eq in ipairs(eqs) do
        if not used[eq.rule] then
          for cell in pairs(eq.terms) do
            if sub(cell, 1, #prefix) == prefix then used[eq.rule] = true; used[#used + 1] = eq.rule; break end
          end
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
  if encoding then table.insert(report.notes, 1, host.lib("encoding").note(encoding)) end
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

-- The numbered section headings of every format ("一、总体情况"), each once,
-- with the ids of the formats that print it, and their labels in that
-- order; built on first use, once every plugin has registered.  A bare
-- "总体情况" is just words.
local headings, heading_labels

local function numbered_headings()
  if headings then return headings, heading_labels end
  headings, heading_labels = {}, {}
  local seen = {}
  for _, id in ipairs(host.format_ids()) do
    -- the sections only: copying whole declarations costs more than a detect
    for _, s in ipairs(host.format_decl(id, "sections")) do
      if find(s.label, "^[\228-\233][\128-\191][\128-\191]、") then
        local h = seen[s.label]
        if not h then
          h = { label = s.label, fmts = {} }
          seen[s.label] = h
          headings[#headings + 1] = h
          heading_labels[#heading_labels + 1] = s.label
        end
        h.fmts[#h.fmts + 1] = id
      end
    end
  end
  return headings, heading_labels
end

-- Claims text whose section headings run inside a line that is long or
-- runs a row label into its digits.  The headings standing after other
-- text on their line are found in C, in one pass over the head for the
-- "、" after each heading's ordinal (a search for each heading in Lua
-- cost more than the import of a report that is not flattened).
local function detect(head)
  head = host.lib("encoding").head(head)
  if not head then return false end
  local hs, labels = numbered_headings()
  local hits = host.inline_words(head, "、", labels)
  for k = 1, hits and #hits or 0, 2 do
    local h, p = hs[hits[k]], hits[k + 1]
    local ls = p -- start of its line
    while ls > 1 and byte(head, ls - 1) ~= 10 do ls = ls - 1 end
    local le = (find(head, "\n", p, true) or #head + 1) - 1
    local line = sub(head, ls, le)
    if #line > 500 then return true end
    for _, fid in ipairs(h.fmts) do
      if digits_after_label(line, host.format_decl(fid)) then return true end
    end
  end
  return false
end

host.importer {
  id = "flattened",
  description = "网页文本中连在一起的表格数字（行政规范性文件693665）：按格式的规则拆开",
  extensions = { "txt" },
  detect = detect,
  import = import,
}
