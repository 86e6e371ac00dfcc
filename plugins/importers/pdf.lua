--: importer pdf
--: extensions pdf
--: content within 1024 "%PDF-"
--: uses text
--: libraries poppler
-- Importer for a report printed to PDF (from Word, LibreOffice or a
-- browser).  The text layer is read in C (host.pdf_words: poppler; each
-- page's words with their boxes, and its text lines); what the words mean
-- is decided here, without any generic table detection: the format declares
-- every row label and column header, so
--   * each table's rows are found by their labels (a label wrapped inside
--     its cell is followed down the cell), its columns by their headers
--     (the leaf labels of the format's column tree; a label printed several
--     times, as 表四's 结果维持, is told apart by the order of the tree), on
--     every page the table covers (headers repeated on a new page are read
--     again, else the last ones found hold);
--   * each number is placed by the y of its row label and the x of its
--     column header; a number that falls between rows or between columns,
--     or two numbers for one cell, leave the cell blank with an
--     IMPORT-AMBIGUOUS finding: never a guess;
--   * the narrative (the lines outside the tables, a paragraph's lines
--     joined) and the placed rows go to the text importer as text
--     (lib/doc_text.lua), so the title, sections, preamble and every check
--     of the rows are the text importer's.
-- A PDF without a text layer (a scan) is refused: "扫描件，没有文字层".
-- (The loops over every word, line or value count with an index: ipairs
-- costs a call of a C function for each element.)
local host = ...

local find, sub, format = string.find, string.sub, string.format
local huge = math.huge
local norm, trim = host.norm, host.trim
local doc_text
local tables_lib -- the words and the table placement (lib/pdf_tables.lua), on first use


-- A space between a Chinese character and a digit or Latin letter is the
-- layout's (LibreOffice and Word set them apart), not the text's: "2024 年" is "2024年".
-- So is one between two wide characters (Chinese, full-width punctuation):
-- a justified line spread out ("示例 县 长 安 路18号 ， 电 话 ：").
-- Each run of spaces is judged by the characters around it, read as bytes
-- (one pass over the runs: a gsub a pattern tried every byte of the line).
local byte, concat = string.byte, table.concat
-- the character of the three bytes at i: 2 a Chinese one (HAN), 1 another wide one, else nil
local function wide_at(t, i)
  if i < 1 then return nil end
  local a, b, c = byte(t, i, i + 2)
  if not c or b < 128 or b > 191 or c < 128 or c > 191 then return nil end
  if a >= 228 and a <= 233 then return 2 end
  if a == 227 or a == 239 then return 1 end
end
local function unspaced(t)
  if not find(t, " ", 1, true) then return t end -- most lines: nothing to do
  -- a space dropped has a wide character on one side at least
  if not find(t, "[\128-\191] ") and not find(t, " [\227-\233\239]") then return t end
  local parts, from, i = nil, 1, 1
  while true do
    local s, e = find(t, " +", i)
    if not s then break end
    local before, after = wide_at(t, s - 3), wide_at(t, e + 1)
    if (before and after) or (before == 2 and find(t, "^%w", e + 1)) or
        (after == 2 and s > 1 and find(t, "^%w", s - 1)) then
      parts = parts or {}
      parts[#parts + 1] = sub(t, from, s - 1)
      from = e + 1
    end
    i = e + 1
  end
  if not parts then return t end
  parts[#parts + 1] = sub(t, from)
  return concat(parts)
end

-- The lines of the pages, each with its words, position and size.
local function lines_of(pages)
  local out = {}
  for p = 1, #pages do local pg = pages[p]
    local ls = {}
    local pls = pg.lines
    for k = 1, #pls do ls[k] = { text = unspaced(pls[k]), page = p, page_height = pg.height, words = {} } end
    for iw = 1, #pg.words do local w = pg.words[iw]
      local l = ls[w.line]
      if l then l.words[#l.words + 1] = w end
    end
    for il = 1, #ls do local l = ls[il]
      if #l.words > 0 then
        -- the box of its words, their smallest size and that of its Chinese characters
        -- (math.min and math.max written out: every word of the document passes here)
        local x0, y0, x1, y1, em, han = huge, huge, -huge, -huge, huge, nil
        for iw = 1, #l.words do local w = l.words[iw]
          if w.x0 < x0 then x0 = w.x0 end
          if w.y0 < y0 then y0 = w.y0 end
          if w.x1 > x1 then x1 = w.x1 end
          if w.y1 > y1 then y1 = w.y1 end
          if w.em < em then em = w.em end
          if w.han and (not han or w.em < han) then han = w.em end
        end
        l.x0, l.y0, l.x1, l.y1, l.em, l.han = x0, y0, x1, y1, em, han
        l.cy = (y0 + y1) / 2
        out[#out + 1] = l
      end
    end
  end
  return out
end

local HEADING = { "^[一二三四五六七八九十]+、", "^（[一二三四五六七八九十]+）", "^%d+[%.、．]" }
local function is_heading(t)
  for _, p in ipairs(HEADING) do if find(t, p) then return true end end
  return false
end

-- which section of fmt a line opens (its index), or nil
local function section_of(fmt, t)
  if not find(t, "^[一二三四五六七八九十]+、") or (utf8.len(t) or 99) > 40 then return nil end
  local n = norm(t)
  for i, sec in ipairs(fmt.sections or {}) do
    local all = #sec.match > 0
    for _, w in ipairs(sec.match) do
      if not find(n, norm(w), 1, true) then all = false; break end
    end
    if all then return i end
  end
end

-- Running headers and footers (a browser's date, title and address, a
-- Word header): a line in the top or bottom tenth of a page whose text,
-- digits aside, recurs at the same height on another page.
local function running(lines)
  local seen, out, keys = {}, {}, {}
  local function key(l) return string.gsub(l.text, "%d+", "#") .. "@" .. math.floor(l.cy / 4 + 0.5) end
  for il = 1, #lines do local l = lines[il]
    local h = l.page_height or 842
    if l.cy < 0.1 * h or l.cy > 0.9 * h then
      local k = key(l)
      keys[l] = k
      seen[k] = seen[k] or {}
      seen[k][l.page] = true
    end
  end
  for il = 1, #lines do local l = lines[il]
    local k = keys[l]
    if k then
      local n = 0
      for _ in pairs(seen[k]) do n = n + 1 end
      if n >= 2 then out[l] = true end
    end
  end
  return out
end

-- The narrative: lines outside the tables, a paragraph's lines joined (a
-- line reaching the right margin continues on the next unless that one is
-- indented or opens a heading); a table's placed rows where it begins.
-- chrome: the running lines (page_edges).
local function text_lines(lines, tables, chrome)
  local margin, right = {}, {}
  for il = 1, #lines do local l = lines[il]
    if not chrome[l] then
      -- (math.min and math.max written out: every line passes here)
      local p = l.page
      local m, r = margin[p] or huge, right[p] or -huge
      if l.x0 < m then m = l.x0 end
      if r < l.x1 then r = l.x1 end
      margin[p], right[p] = m, r
    end
  end
  -- the tables' extents as flat numbers (every line is asked): the first
  -- table whose extent holds the line, its ends included
  local spans = {}
  for _, t in ipairs(tables) do
    local e = t.ext
    if e.first then spans[#spans + 1] = { t, e.first[1], e.first[2], e.last[1], e.last[2] } end
  end
  local function table_of(l)
    local p, y = l.page, l.cy
    for is = 1, #spans do local s = spans[is]
      local fp, lp = s[2], s[4]
      if (p > fp or (p == fp and y >= s[3])) and (p < lp or (p == lp and y <= s[5])) then return s[1] end
    end
  end
  local blocks, prev = {}, nil
  for il = 1, #lines do local l = lines[il]
    local t = table_of(l)
    if chrome[l] then
      -- a running header or footer
    elseif t then
      if not t.emitted then
        t.emitted = true
        blocks[#blocks + 1] = { kind = "rows", table = t }
      end
      prev = nil
    else
      local text = trim((string.gsub(l.text, "%s+", " ")))
      if prev and prev.page == l.page and prev.x1 > right[l.page] - 2 * prev.em and
          prev.x0 < margin[l.page] + 2.5 * prev.em and
          (not prev.han or not l.han or math.abs(prev.han - l.han) < 0.15 * l.han) and
          l.x0 < margin[l.page] + 0.8 * l.em and not is_heading(text) and not is_heading(blocks[#blocks].text) then
        local b = blocks[#blocks]
        -- Chinese text joins without a space; Latin words and numbers with one
        -- (its last byte asked alone: the paragraph grows with every line)
        local sep = (find(b.text, "^[%w%p]", #b.text) and find(text, "^[%w%p]")) and " " or ""
        b.text = b.text .. sep .. text
      else
        blocks[#blocks + 1] = { kind = "p", text = text }
      end
      prev = l
    end
  end
  for _, t in ipairs(tables) do
    if not t.emitted and #t.rows > 0 then blocks[#blocks + 1] = { kind = "rows", table = t } end
  end
  return blocks
end

-- Every table of fmt placed in its section: the tables, the notes, how
-- many data rows were found and how many the format has.
local function place_format(fmt, lines, words, src)
  local tables, notes, found, wanted = {}, {}, 0, 0
  if not fmt or #fmt.tables == 0 then return tables, notes, 0, 0 end
  -- the sections' headings: each table's zone runs from its heading to the next heading
  local heads = {}
  for _, l in ipairs(lines) do
    local i = section_of(fmt, trim(l.text))
    if i then heads[#heads + 1] = { sec = fmt.sections[i].id, page = l.page, y0 = l.y0, y1 = l.y1 } end
  end
  for _, tbl in ipairs(fmt.tables) do
    for _, block in ipairs(tbl.blocks) do wanted = wanted + #tables_lib.data_rows(block.rows, {}) end
    for k, h in ipairs(heads) do
      if h.sec == tbl.section then
        local nx = heads[k + 1]
        local zone = {}
        -- after the heading and before the next one (written out: every word is asked)
        local hp, hy, np, ny = h.page, h.y1 - 1, nx and nx.page, nx and nx.y0
        -- (the words are in page order: from the heading's page to the next heading's)
        local lo, hi = 1, #words + 1
        while lo < hi do
          local mid = (lo + hi) // 2
          if words[mid].page < hp then lo = mid + 1 else hi = mid end
        end
        for k = lo, #words do
          local w = words[k]
          local p, y = w.page, w.cy
          if np and p > np then break end
          if not w.chrome and (hp < p or (hp == p and hy < y)) and (not np or p < np or (p == np and y < ny)) then
            zone[#zone + 1] = w
          end
        end
        local rows, ext, n = tables_lib.place_table(tbl, zone, notes, src)
        tables[#tables + 1] = { decl = tbl, rows = rows, ext = ext }
        found = found + n
        break
      end
    end
  end
  return tables, notes, found, wanted
end

-- Marks the words on the first and on the last lines of their page (running
-- headers, footers and page numbers aside): where a cell cut by a page break
-- goes on; and the words of those running lines, which no table holds.
-- Returns the running lines.
local function page_edges(lines)
  local chrome = running(lines)
  local top, foot = {}, {}
  for il = 1, #lines do local l = lines[il]
    if not chrome[l] then
      local p, y = l.page, l.cy
      local t, f = top[p] or huge, foot[p] or -huge
      if y < t then t = y end
      if f < y then f = y end
      top[p], foot[p] = t, f
    end
  end
  for il = 1, #lines do local l = lines[il]
    if chrome[l] then
      local ws = l.words
      for iw = 1, #ws do ws[iw].chrome = true end
    else
      local t, f = top[l.page], foot[l.page]
      for iw = 1, #l.words do local w = l.words[iw]
        -- (within two lines: a cell centred in its row goes on below the top line)
        local y, e = w.cy, 2.2 * w.em
        w.at_top, w.at_foot = y < t + e, y > f - e
      end
    end
  end
  return chrome
end

local function import(src)
  doc_text = doc_text or host.lib("doc_text")
  tables_lib = tables_lib or host.lib("pdf_tables")
  local pages = host.pdf_words(src.text)
  local words = tables_lib.words_of(pages)
  if #words == 0 then
    host.input_error(0, "扫描件，没有文字层：这个 PDF 里没有可读取的文字（可能是扫描或拍照得到的图片）；" ..
      "请取得文字版 PDF 或 Word 文件，或先做文字识别（OCR）后再导入")
  end
  local lines = lines_of(pages)
  local chrome = page_edges(lines)
  -- the format: --format, else the title's year
  local fmt_id = src.format
  if not fmt_id then
    -- a title set over two lines ("示例县交通运输局2024年" / "政府信息公开工作年度报告") read as one
    local parse = host.lib("title").parse
    for k, l in ipairs(lines) do
      if find(l.text, "政府信息公开", 1, true) then
        local prev = lines[k - 1]
        local year = parse(l.text) or (prev and prev.page == l.page and parse(trim(prev.text) .. trim(l.text)))
        if year then fmt_id = host.format_for_year(year); break end
      end
    end
  end
  local fmt = fmt_id and host.format_decl(fmt_id)
  local tables, notes, found, wanted = place_format(fmt, lines, words, src)
  local placed_by = fmt_id
  -- rows missing: perhaps another year's template (its labels differ); the
  -- format whose labels place the most rows is read (the text importer
  -- then knows it by its marks) — unless --format says which
  if fmt and found < wanted and not src.format then
    for _, fid in ipairs(host.format_ids()) do
      if fid ~= fmt_id then
        local t, n, f = place_format(host.format_decl(fid), lines, words, src)
        if f > found then tables, notes, found, placed_by = t, n, f, fid end
      end
    end
  end
  if fmt and #fmt.tables == 0 then
    -- an old report's 统计表 (no national tables) is not placed from a PDF: said, not dropped silently
    for _, l in ipairs(lines) do
      if find(l.text, "统计表", 1, true) then
        notes[#notes + 1] = { rule = "IMPORT-UNSOLVED", severity = "error", line = 0,
          message = format("PDF 第%d页的统计表（%d年及以前的格式）没有读入：PDF 只能按官方表格的行名称定位数字；" ..
            "请改用这份报告的文本、Word 或网页版本导入", l.page, 2018) }
        break
      end
    end
  end
  -- the text the text importer reads: narrative lines, each table's rows one cell a line
  local out, row_line = {}, {}
  for _, b in ipairs(text_lines(lines, tables, chrome)) do
    if b.kind == "p" then
      doc_text.lines({ b }, 1, 1, out)
    else
      for _, e in ipairs(b.table.rows) do
        local r = e.row
        row_line[r] = #out + (r.unlabelled and 1 or 2) -- its first value, as the text importer counts
        if not r.unlabelled then out[#out + 1] = "\t" .. r.row.label end
        for _, col in ipairs(e.block.cols) do out[#out + 1] = "\t" .. (r.cells[col.id] or "") end
        out[#out + 1] = ""
      end
    end
  end
  -- the report is of the format whose labels placed its rows (the notes name
  -- that format's cells), whatever the text importer would guess from its marks
  local report = doc_text.import(found > 0 and not src.format and
    { name = src.name, year = src.year, format = placed_by } or src, out)
  if #notes > 0 then
    report.notes = report.notes or {}
    for _, n in ipairs(notes) do
      n.line, n.row_ref = row_line[n.row_ref] or 0, nil
      report.notes[#report.notes + 1] = n
    end
  end
  return report
end

host.importer {
  id = "pdf",
  description = "PDF（从 Word、WPS 或浏览器打印的文字版 PDF）：按官方表格的行名称和列标题定位数字",
  extensions = { "pdf" },
  by_content = true,
  -- the header at a line's start within the first 1024 bytes, as PDF readers accept it
  detect = function(head)
    local h = sub(head, 1, 1024)
    return sub(h, 1, 5) == "%PDF-" or find(h, "[\r\n]%%PDF%-") ~= nil
  end,
  import = import,
}
