--: renderer docx
-- Renderer for Word (.docx): the report on A4 in the customary
-- official-document layout, tables with the official template's merged
-- cells (w:gridSpan across, w:vMerge down, from lib/grid.lua).  Every part
-- of the package is a file under templates/docx/, filled by the template
-- engine and zipped by host.zip; a user may override any part.
local host = ...

-- lib modules, loaded on the first render: most runs render nothing
local template, document

-- the package, in the order the parts are written
local PARTS = {
  "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
  "word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
  "word/footer1.xml", "word/footer2.xml", "word/_rels/document.xml.rels",
}

local TEXT_WIDTH = 8844 -- the 156 mm text block, in twentieths of a point
local STYLE = { title = "TableTitle", label = "TableLabel", group = "TableLabel", number = "TableNumber" }

-- Column widths, in twips, from the texts the columns hold (GB/T 9704 review:
-- no cell text may wrap into a line of one character, or a line starting
-- with closing punctuation).  Table text is 五号 (10.5 pt): a CJK character
-- is 210 twips wide, an ASCII one half; a cell loses 114 twips to its
-- margins.  Each group-label and value column gets the fewest characters a
-- line that break all its texts well; the innermost label column the rest
-- (as many characters as break its labels well); what is left over widens
-- value columns a character at a time where that breaks well too.
local CHAR, PAD = 210, 154
-- an ASCII character in CJK characters: Times New Roman digits are half
-- one, the free fonts a preview falls back to (DejaVu) wider
local ASCII = 0.6
local CLOSING = {}
for _, p in ipairs({ "）", "、", "，", "。", "：", "；", "”", "’", "》", "」", "！", "？", ")", ",", ".", ":", ";", "%" }) do
  CLOSING[p] = true
end

-- the characters of s with their widths in CJK characters; ASCII runs
-- (numbers, "2024") kept whole, as a line breaker keeps them.  The list is
-- remembered by s (and never changed by its readers): the search for
-- column widths breaks each text at every width it tries, and the same
-- labels and numbers come in every report — cutting them up again was
-- most of a DOCX render.  Up to UNITS_MAX texts, then afresh.
local UNITS_MAX = 4096
local units_of, units_n = {}, 0
local function units(s)
  local out = units_of[s]
  if out then return out end
  out = {}
  for _, cp in utf8.codes(s) do
    local ch = utf8.char(cp)
    local last = out[#out]
    if cp < 128 and last and last.ascii and not CLOSING[ch] then
      last.text, last.w, last.n = last.text .. ch, last.w + ASCII, last.n + 1
    else
      out[#out + 1] = { text = ch, w = cp < 128 and ASCII or 1, ascii = cp < 128 and ch ~= " ", n = 1 }
    end
  end
  if units_n >= UNITS_MAX then units_of, units_n = {}, 0 end
  units_of[s], units_n = out, units_n + 1
  return out
end

-- whether s, broken greedily at k characters a line, breaks badly; with
-- `spacing` (twips added to each character) the line holds k CJK characters
-- of 210 twips
local function breaks_badly(s, k, spacing)
  local lines, line, w = {}, {}, 0
  for _, u in ipairs(units(s)) do
    local uw = (u.w * CHAR + u.n * (spacing or 0)) / CHAR
    if w + uw > k and #line > 0 then
      lines[#lines + 1] = line
      line, w = {}, 0
    end
    line[#line + 1] = u
    w = w + uw
  end
  if #line > 0 then lines[#lines + 1] = line end
  if #lines < 2 then return false end
  for i, l in ipairs(lines) do
    if utf8.len(l[1].text) and CLOSING[l[1].text] then return true end
    if #l == 1 and utf8.len(l[1].text) == 1 then return true end
    if i == 1 and #l == 1 and l[1].w > k then return true end -- an ASCII run wider than the cell
  end
  return false
end

-- breaks_badly(s, k) remembered by k and s, as units (the width search
-- asks the same of the same texts again and again, in every report)
local bad_of, bad_n = {}, 0
local function breaks_badly_at(s, k)
  local by_text = bad_of[k]
  if not by_text then
    by_text = {}
    bad_of[k] = by_text
  end
  local b = by_text[s]
  if b == nil then
    b = breaks_badly(s, k)
    if bad_n >= UNITS_MAX then bad_of, bad_n = { [k] = by_text }, 0 end
    by_text[s], bad_n = b, bad_n + 1
  end
  return b
end

local function good(texts, k)
  for _, t in ipairs(texts) do if breaks_badly_at(t, k) then return false end end
  return true
end

local function widest(texts)
  local w = 1
  for _, t in ipairs(texts) do
    for _, u in ipairs(units(t)) do if u.ascii and u.w > w then w = u.w end end
  end
  return math.ceil(w)
end

-- column widths in twips from percentages, summing to the text width
local function percent_twips(widths)
  local cols, used = {}, 0
  for i, pct in ipairs(widths) do
    cols[i] = math.floor(TEXT_WIDTH * pct / 100 + 0.5)
    used = used + cols[i]
  end
  cols[#cols] = cols[#cols] + TEXT_WIDTH - used
  return cols
end

-- the number of texts that break badly at k characters a line
local function bad_count(texts, k)
  local n = 0
  for _, t in ipairs(texts) do if breaks_badly_at(t, k) then n = n + 1 end end
  return n
end

local function twips(t)
  local L, n = t.label_cols, t.width
  local texts, spans = {}, {}
  for c = 1, n do texts[c] = {} end
  for _, row in ipairs(t.rows) do
    for _, s in ipairs(row) do
      if not s.cont and s.text ~= "" then
        if s.colspan == 1 then
          local list = texts[s.col]
          list[#list + 1] = s.text
        elseif s.col > L then
          spans[#spans + 1] = s -- a header or value across value columns
        end
      end
    end
  end
  local k = {}
  for c = 1, n do
    if c ~= L then
      k[c] = math.max(2, widest(texts[c]))
      while k[c] < 8 and not good(texts[c], k[c]) do k[c] = k[c] + 1 end
    end
  end
  local function used()
    local u = 0
    for c = 1, n do if c ~= L then u = u + k[c] * CHAR + PAD end end
    return u
  end
  local function label_k() return L > 0 and (TEXT_WIDTH - used() - PAD) // CHAR or 0 end
  -- a text across several value columns: widen its last column until it breaks well
  for _, s in ipairs(spans) do
    local last = s.col + s.colspan - 1
    local function chars()
      local w = 0
      for c = s.col, last do w = w + k[c] * CHAR + PAD end
      return (w - PAD) // CHAR
    end
    local tries = 0
    while breaks_badly_at(s.text, chars()) and tries < 8 and (L == 0 or label_k() > 8) do
      k[last], tries = k[last] + 1, tries + 1
    end
  end
  if L > 0 then
    -- the innermost label column: of the widths it can have, the widest
    -- with the fewest labels breaking badly
    local most = label_k()
    local best, fewest = most, bad_count(texts[L], most)
    for kl = most - 1, math.max(6, most - 6), -1 do
      local b = bad_count(texts[L], kl)
      if b < fewest then best, fewest = kl, b end
    end
    k[L] = best
  end
  -- the rest: a character at a time to value columns that still break well
  local spare = TEXT_WIDTH - used() - (L > 0 and k[L] * CHAR + PAD or 0)
  local grew = true
  while spare >= CHAR and grew do
    grew = false
    for c = L + 1, n do
      if spare >= CHAR and good(texts[c], k[c] + 1) then
        k[c], spare, grew = k[c] + 1, spare - CHAR, true
      end
    end
  end
  local cols, sum = {}, 0
  local each = spare // n -- less than a character a column
  for c = 1, n do
    cols[c] = k[c] * CHAR + PAD + each
    sum = sum + cols[c]
  end
  cols[n] = cols[n] + TEXT_WIDTH - sum
  return cols
end

-- A title of more than a line (22 pt: 20 characters in the 156 mm text
-- block) in two balanced lines: broken before 政府信息公开… when both
-- lines then have more than two characters, else in the middle.
local TITLE_CHARS = 20
local function title_lines(title)
  local u = units(title)
  local total = 0
  for _, x in ipairs(u) do total = total + x.w end
  if total <= TITLE_CHARS then return { title } end
  local at = string.find(title, "政府信息公开", 1, true)
  local function width(s) local w = 0; for _, x in ipairs(units(s)) do w = w + x.w end; return w end
  if at and at > 1 then
    local a, b = string.sub(title, 1, at - 1), string.sub(title, at)
    if width(a) <= TITLE_CHARS and width(b) <= TITLE_CHARS and width(a) > 2 and width(b) > 2 then return { a, b } end
  end
  local half, w, first = total / 2, 0, {}
  for i, x in ipairs(u) do
    if w + x.w > half + 0.5 and not CLOSING[x.text] then
      local rest = {}
      for j = i, #u do rest[#rest + 1] = u[j].text end
      return { table.concat(first), table.concat(rest) }
    end
    first[#first + 1] = x.text
    w = w + x.w
  end
  return { title }
end

-- a paragraph's runs: the placeholders a draft leaves (（请填写…）) highlighted
local PLACEHOLDER = "（请填写"
local function runs(text)
  local out, pos = {}, 1
  while true do
    local a = string.find(text, PLACEHOLDER, pos, true)
    if not a then break end
    local b = string.find(text, "）", a + #PLACEHOLDER, true)
    local stop = b and b + #"）" - 1 or #text
    if a > pos then out[#out + 1] = { text = string.sub(text, pos, a - 1) } end
    out[#out + 1] = { text = string.sub(text, a, stop), mark = true }
    pos = stop + 1
  end
  if pos <= #text then out[#out + 1] = { text = string.sub(text, pos) } end
  return out
end

-- A table's header kept with its first rows (Word and LibreOffice honour
-- w:keepNext on the paragraphs of a row, w:cantSplit, w:tblHeader): every
-- row of a block's label and column headers keeps with the next, and so
-- does the first body row after them when its block has more, so that a
-- page never ends on a header alone or a header and one row.  The rows of
-- a merged group label of at most GROUP_KEPT rows ("（五）不予处理") keep
-- together too: a page break would cut the label's cell in two; a longer
-- group ("三、本年度办理结果") may break, or whole pages would stay empty.
local HEAD = { title = true, corner = true, head = true }
local GROUP_KEPT = 8
local function keep_with_next(rows)
  local function is_head(row)
    for _, s in ipairs(row.slots) do
      if not s.cont and not HEAD[s.kind] then return false end
    end
    return true
  end
  for i, row in ipairs(rows) do
    local nx = rows[i + 1]
    if nx and is_head(row) then
      row.keep = true
    elseif nx and i > 1 and is_head(rows[i - 1]) and not is_head(nx) then
      row.keep = true
    end
    for _, s in ipairs(row.slots) do
      if s.kind == "group" and not s.cont and s.rowspan > 1 and s.rowspan <= GROUP_KEPT then
        for k = i, math.min(i + s.rowspan - 2, #rows - 1) do rows[k].keep = true end
      end
    end
  end
end

local function render(report, fmt)
  template = template or host.lib("template")
  document = document or host.lib("document")
  local view = document.view(report, fmt)
  for _, b in ipairs(view.blocks) do
    local t = b.table
    if t then
      local slots = {}
      for i, row in ipairs(t.rows) do slots[i] = row.slots end
      -- a format table sized by its texts; the free-form statistics of a
      -- legacy report keep the grid's percentages (labels 35 %)
      t.cols = t.id == "statistics" and percent_twips(t.widths)
        or twips({ label_cols = t.label_cols, width = t.width, rows = slots })
      t.twips = TEXT_WIDTH
      keep_with_next(t.rows)
      for _, row in ipairs(t.rows) do
        for _, s in ipairs(row.slots) do
          local w = 0
          for c = s.col, s.col + s.colspan - 1 do w = w + t.cols[c] end
          s.twips = w
          s.gridspan = s.colspan > 1 and s.colspan or nil
          s.restart = s.rowspan > 1
          s.style = STYLE[s.kind] or "TableText"
          -- a text that still breaks badly at its width: set a little closer
          -- (at most 1 pt a character) until it does not
          local k = (w - 114) / CHAR
          if s.text ~= "" and not s.cont and breaks_badly_at(s.text, k) then
            for sp = -2, -20, -2 do
              if not breaks_badly(s.text, k, sp) then s.spacing = sp; break end
            end
          end
        end
      end
    end
  end
  for _, b in ipairs(view.blocks) do
    if b.text then b.runs = runs(b.text) end
  end
  view.title_lines = {}
  local tl = title_lines(view.title)
  for i, line in ipairs(tl) do view.title_lines[i] = { text = line, last = i == #tl } end
  -- 落款: the unit and the date, right-aligned after the text
  -- (the date: 发布日期 when the report has one; a report without a unit has none)
  if view.agency and view.agency ~= "" then
    local y, m, d = string.match(view.published or "", "^(%d%d%d%d)%-(%d%d?)%-(%d%d?)$")
    view.signature = { agency = view.agency,
                       date = y and string.format("%s年%d月%d日", y, tonumber(m), tonumber(d)) or view.published }
  end
  local files = {}
  for i, name in ipairs(PARTS) do
    files[i] = { name = name, data = template.render("docx/" .. name, view, template.escape_xml) }
  end
  return host.zip(files)
end

host.renderer {
  id = "docx",
  description = "Word 文档，官方版式：A4，表格合并单元格",
  extension = "docx",
  render = render,
  publish = true, -- nianbao render refuses a report with errors unless --force
}
