--: importer pdf
--: extensions pdf
--: content within 1024 "%PDF-"
--: uses text
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
local host = ...

local find, sub, format = string.find, string.sub, string.format
local concat = table.concat
local norm, trim, cell_kind = host.norm, host.trim, host.cell_kind
local doc_text

-- the size of a character: a CJK word's width per character, else its height
local function em_of(w)
  local n = utf8.len(w.text) or #w.text
  local h = w.y1 - w.y0
  if n > 0 and #w.text >= 3 * n then
    local e = (w.x1 - w.x0) / n
    if e > 0 and e < h then return e, true end
  end
  return h > 0 and h or 10, false
end

local function cy(w) return (w.y0 + w.y1) / 2 end

-- The words of every page, each with its page, centre, size and normalised text.
-- A number and the unit after it ("251000" "元", set apart by the layout)
-- are one cell: joined when the two make a value and nothing but a narrow
-- gap lies between them on one line.
local function words_of(pages)
  local all = {}
  for p, pg in ipairs(pages) do
    local prev
    for _, w in ipairs(pg.words) do
      w.page, w.cy, w.n = p, cy(w), norm(w.text)
      w.em, w.han = em_of(w)
      if prev and prev.line == w.line and w.x0 >= prev.x1 and w.x0 - prev.x1 < 0.6 * w.em and
          cell_kind(prev.text) == "value" and cell_kind(w.text) ~= "value" and
          cell_kind(prev.text .. w.text) == "value" then
        prev.text, prev.x1 = prev.text .. w.text, w.x1
        prev.y0, prev.y1 = math.min(prev.y0, w.y0), math.max(prev.y1, w.y1)
        prev.cy, prev.n = cy(prev), norm(prev.text)
        w.joined = true
      else
        all[#all + 1] = w
        prev = w
      end
    end
  end
  return all
end

-- Chains of words spelling target (normalised) in ws: a word, then words on
-- its line just after it, or on the next line inside the same cell (its x
-- range overlapping the chain's).  Words already used are skipped.
local function chains(all, target, used)
  local found, ws = {}, {}
  -- only words inside the target can be part of it
  for _, w in ipairs(all) do
    if w.n ~= "" and find(target, w.n, 1, true) then ws[#ws + 1] = w end
  end
  local function extend(chain, s, lx0, lx1)
    if s == target then return true end
    local last = chain[#chain]
    local rest = sub(target, #s + 1)
    for _, v in ipairs(ws) do
      -- a cell cut by a page break (a row allowed to break across pages):
      -- from the last line of a page on to the first line of the next
      if not used[v] and v.page == last.page + 1 and last.at_foot and v.at_top and v.n ~= "" and
          sub(rest, 1, #v.n) == v.n and v.x0 < lx1 and v.x1 > lx0 then
        chain[#chain + 1] = v
        used[v] = true
        if extend(chain, s .. v.n, math.min(lx0, v.x0), math.max(lx1, v.x1)) then return true end
        used[v] = nil
        chain[#chain] = nil
      elseif not used[v] and v.page == last.page and v.n ~= "" and sub(rest, 1, #v.n) == v.n then
        local em = last.em
        local dy, dx = v.cy - last.cy, v.x0 - last.x1
        local same_line = math.abs(dy) < 0.3 * em and dx >= -0.2 * em and dx < 1.5 * em
        local next_line = dy > 0.3 * em and dy < 2.2 * em and v.x0 < lx1 and v.x1 > lx0
        if same_line or next_line then
          chain[#chain + 1] = v
          used[v] = true
          if extend(chain, s .. v.n, math.min(lx0, v.x0), math.max(lx1, v.x1)) then return true end
          used[v] = nil
          chain[#chain] = nil
        end
      end
    end
    return false
  end
  for _, w in ipairs(ws) do
    if not used[w] and w.n ~= "" and sub(target, 1, #w.n) == w.n then
      local chain = { w }
      used[w] = true
      if extend(chain, w.n, w.x0, w.x1) then
        local box = { page = w.page, x0 = w.x0, y0 = w.y0, x1 = w.x1, y1 = w.y1, cy0 = w.cy, cy1 = w.cy, em = w.em,
          words = chain }
        for _, v in ipairs(chain) do
          -- the box on the first page (a cell cut by a page break goes on at the next page's top)
          if v.page ~= w.page then box.next_page = true; goto continue end
          box.x0, box.x1 = math.min(box.x0, v.x0), math.max(box.x1, v.x1)
          box.y0, box.y1 = math.min(box.y0, v.y0), math.max(box.y1, v.y1)
          box.cy0, box.cy1 = math.min(box.cy0, v.cy), math.max(box.cy1, v.cy)
          ::continue::
        end
        found[#found + 1] = box
      else
        used[w] = nil
      end
    end
  end
  return found
end

-- Position in reading order: page, then y.
local function before(p1, y1, p2, y2) return p1 < p2 or (p1 == p2 and y1 < y2) end

-- the leaf columns of a block, in order, with the path of labels above each
local function leaves(cols, out)
  for _, c in ipairs(cols) do
    if c.children then leaves(c.children, out) else out[#out + 1] = c end
  end
  return out
end

-- the data rows of a block (groups without cells left out)
local function data_rows(rows, out)
  for _, r in ipairs(rows) do
    if r.children and r.data ~= true then data_rows(r.children, out) else out[#out + 1] = r end
  end
  return out
end

-- A value a cell may hold: a number, or a mark (/, —).
local function is_value(w)
  local k = cell_kind(w.text)
  return k == "value" or k == "na"
end

-- The columns of a block on one page, from the header words above y (and below
-- top): { { col =, x0 =, x1 = } … } in order, or nil when a leaf label is not
-- found as often as the tree prints it.
local function columns_on(ws, cols, used)
  local by_label, order = {}, {}
  for _, c in ipairs(cols) do
    local n = norm(c.label)
    if not by_label[n] then by_label[n] = {}; order[#order + 1] = n end
    local l = by_label[n]
    l[#l + 1] = c
  end
  local out = {}
  for _, n in ipairs(order) do
    local found = chains(ws, n, used)
    if #found ~= #by_label[n] then return nil end
    table.sort(found, function(a, b) return a.x0 < b.x0 end)
    for k, c in ipairs(by_label[n]) do out[#out + 1] = { col = c, x0 = found[k].x0, x1 = found[k].x1, box = found[k] } end
  end
  -- the tree's order must be the page's order, left to right
  local pos = {}
  for k, c in ipairs(cols) do pos[c] = k end
  table.sort(out, function(a, b) return pos[a.col] < pos[b.col] end)
  for k = 2, #out do
    if out[k].x0 <= out[k - 1].x0 then return nil end
  end
  -- the bounds between neighbours: the middle of the gap between their headers
  for k = 1, #out do
    local c, nx = out[k], out[k + 1]
    if nx then
      local b = nx.x0 > c.x1 and (c.x1 + nx.x0) / 2 or ((c.x0 + c.x1) / 2 + (nx.x0 + nx.x1) / 2) / 2
      c.right, nx.left = b, b
    end
  end
  return out
end

-- the labels of a column tree's groups (申请人情况, 行政复议 …)
local function group_labels(cols, out)
  for _, c in ipairs(cols) do
    if c.children then out[#out + 1] = c.label; group_labels(c.children, out) end
  end
  return out
end

local function page_words(ws, p)
  local out = {}
  for _, w in ipairs(ws) do if w.page == p then out[#out + 1] = w end end
  return out
end

-- Places one table in the words of its section (zone).  Returns the rows
-- found, each { row =, cells = { [col id] = value or "" } }, in the
-- format's order, and the table's extent { first = { page, y }, last = … }.
local function place_table(tbl, zone, notes, src)
  local used = {}
  local ext = {}
  local function extent(p, y0, y1)
    if not ext.first or before(p, y0, ext.first[1], ext.first[2]) then ext.first = { p, y0 } end
    if not ext.last or before(ext.last[1], ext.last[2], p, y1) then ext.last = { p, y1 } end
  end
  local function extent_box(box)
    for _, v in ipairs(box.words) do extent(v.page, v.y0, v.y1) end
  end
  local blocks = {}
  for _, block in ipairs(tbl.blocks) do
    local b = { decl = block, rows = {}, cols = leaves(block.columns, {}), cols_on = {} }
    blocks[#blocks + 1] = b
    if block.labels ~= false then
      for _, row in ipairs(data_rows(block.rows, {})) do
        local names = { norm(row.label) }
        for _, a in ipairs(row.aliases or {}) do names[#names + 1] = norm(a) end
        local boxes = {}
        for _, n in ipairs(names) do
          boxes = chains(zone, n, used)
          if #boxes > 0 then break end
        end
        if #boxes > 0 then
          b.rows[#b.rows + 1] = { row = row, box = boxes[1], doubtful = #boxes > 1 and #boxes or nil, cells = {}, got = {} }
          for _, box in ipairs(boxes) do extent_box(box) end
        end
      end
    end
    -- block labels, corners and column groups: table text, not narrative
    local texts = group_labels(block.columns, { block.label, block.corner })
    for _, row in ipairs(block.rows) do -- row groups (三、本年度办理结果, （三）不予公开)
      if row.children then
        texts[#texts + 1] = row.label
        for _, c in ipairs(row.children) do
          if c.children and c.data ~= true then texts[#texts + 1] = c.label end
        end
      end
    end
    for _, t in pairs(texts) do
      for _, box in ipairs(chains(zone, norm(t), used)) do extent_box(box) end
    end
  end
  -- the columns of each block on each page with its rows: the headers above
  -- its first row there (below the previous block's last row)
  local prev_bottom, prev_end = {}, nil
  for _, b in ipairs(blocks) do
    local pages, top, bottom = {}, {}, {}
    for _, r in ipairs(b.rows) do
      local p = r.box.page
      if not top[p] then pages[#pages + 1] = p end
      top[p] = math.min(top[p] or math.huge, r.box.y0)
      bottom[p] = math.max(bottom[p] or -math.huge, r.box.y1)
    end
    if b.decl.labels == false then
      -- no row labels (表四): the headers anywhere in the zone, the row the first line of values below them
      local p_seen = {}
      for _, w in ipairs(zone) do
        if not p_seen[w.page] then
          p_seen[w.page] = true
          local cols = columns_on(page_words(zone, w.page), b.cols, used)
          if not cols then
            -- a header row cut by the page break: this page's words and the next's
            local kept = {}
            for k, v in pairs(used) do kept[k] = v end
            local both = {}
            for _, v in ipairs(zone) do
              if v.page == w.page or v.page == w.page + 1 then both[#both + 1] = v end
            end
            cols = columns_on(both, b.cols, used)
            if not cols then
              for k in pairs(used) do used[k] = kept[k] end
            end
          end
          if cols then
            b.cols_on[w.page] = cols
            -- the foot of the headers on the last page they lie on
            local hp, hb = w.page, -math.huge
            for _, c in ipairs(cols) do
              for _, v in ipairs(c.box.words) do
                if v.page > hp then hp, hb = v.page, -math.huge end
                if v.page == hp then hb = math.max(hb, v.y1) end
              end
              extent_box(c.box)
            end
            -- the row: the first line of values below them, or at the top of the next page
            local row_cy, row_em, row_page
            for _, v in ipairs(zone) do
              if not used[v] and is_value(v) and v.x0 >= cols[1].x0 - 2 * v.em and
                  ((v.page == hp and v.cy > hb) or v.page == hp + 1) and
                  (not row_cy or before(v.page, v.cy, row_page, row_cy)) then
                row_cy, row_em, row_page = v.cy, v.y1 - v.y0, v.page
              end
            end
            if row_cy then b.cols_on[row_page] = cols end
            if row_cy then
              local box = { page = row_page, x0 = cols[1].x0 - 1, x1 = cols[1].x0 - 1, y0 = row_cy - row_em / 2,
                y1 = row_cy + row_em / 2, cy0 = row_cy, cy1 = row_cy, em = row_em }
              b.rows[1] = { row = b.decl.rows[1], box = box, cells = {}, got = {}, unlabelled = true }
              extent(row_page, box.y0, box.y1)
            end
            break
          end
        end
      end
    else
      local last_cols
      for k, p in ipairs(pages) do
        local above = {}
        for _, w in ipairs(zone) do
          if w.page == p and w.cy < top[p] and w.cy > (prev_bottom[p] or -math.huge) then above[#above + 1] = w end
        end
        local cols = columns_on(above, b.cols, used)
        if not cols and k == 1 then
          -- the headers at the foot of an earlier page (after the previous
          -- block's rows), or cut by the page break: read on above the first row
          local earlier = {}
          for _, w in ipairs(zone) do
            if before(w.page, w.cy, p, top[p]) and (not prev_end or before(prev_end[1], prev_end[2], w.page, w.cy)) then
              earlier[#earlier + 1] = w
            end
          end
          cols = columns_on(earlier, b.cols, used)
        end
        if cols then
          for _, c in ipairs(cols) do extent_box(c.box) end
        end
        cols = cols or last_cols
        b.cols_on[p], last_cols = cols, cols
      end
    end
    for p, y in pairs(bottom) do
      prev_bottom[p] = math.max(prev_bottom[p] or -math.huge, y)
      if not prev_end or before(prev_end[1], prev_end[2], p, y) then prev_end = { p, y } end
    end
  end
  -- every value in the zone: placed by its row's y and its column's x
  local function where(r)
    return "“" .. (r.unlabelled and "案件数量" or r.row.label) .. "”"
  end
  -- the lines holding words that are neither labels nor values: narrative
  local prose = {}
  for _, w in ipairs(zone) do
    if not used[w] and not is_value(w) then prose[w.page * 100000 + w.line] = true end
  end
  for _, v in ipairs(zone) do
    if not used[v] and is_value(v) then
      local hits, near = {}, {}
      for _, b in ipairs(blocks) do
        for _, r in ipairs(b.rows) do
          local box = r.box
          if box.page == v.page then
            local tol = 0.6 * box.em
            if v.cy >= box.cy0 - tol and v.cy <= box.cy1 + tol and v.x0 > box.x1 - 0.2 * box.em then
              hits[#hits + 1] = { b, r }
            elseif v.x0 > box.x1 and v.cy > box.cy1 and v.cy - box.cy1 < 2.5 * box.em and
                (not near.above or box.cy1 > near.above[2].box.cy1) then
              near.above = { b, r } -- the nearest row above it
            elseif v.x0 > box.x1 and v.cy < box.cy0 and box.cy0 - v.cy < 2.5 * box.em and
                (not near.below or box.cy0 < near.below[2].box.cy0) then
              near.below = { b, r } -- and below it
            end
          end
        end
      end
      local function column_of(b, r)
        local cols = b.cols_on[v.page]
        if not cols then return nil, "没有找到列标题" end
        local cx = (v.x0 + v.x1) / 2
        for _, c in ipairs(cols) do
          local left, right = c.left or -math.huge, c.right or math.huge
          if cx >= left and cx < right then
            if v.x0 < left - 0.1 * r.box.em or v.x1 > right + 0.1 * r.box.em then return nil, "跨在两列之间" end
            return c.col
          end
        end
      end
      if #hits == 1 then
        local b, r = hits[1][1], hits[1][2]
        local col, why = column_of(b, r)
        if col then
          local got = r.got[col.id] or {}
          r.got[col.id] = got
          got[#got + 1] = v.text
          extent(v.page, v.y0, v.y1)
        elseif why then
          r.doubt = r.doubt or {}
          r.doubt[#r.doubt + 1] = format("数值“%s”%s", v.text, why)
          extent(v.page, v.y0, v.y1)
        end
      elseif (#hits > 1 or near.above or near.below) and (#hits > 1 or not prose[v.page * 100000 + v.line]) then
        -- between rows (or on two at once): each row it could belong to is in doubt
        local cands = #hits > 1 and hits or { near.above, near.below }
        local names = {}
        for _, h in ipairs(cands) do names[#names + 1] = where(h[2]) end
        for _, h in ipairs(cands) do
          local col = column_of(h[1], h[2])
          local r = h[2]
          r.stray = r.stray or {}
          r.stray[#r.stray + 1] = { col = col, text = format("数值“%s”位于%s之间，不能确定属于哪一行",
            v.text, concat(names, "与")) }
        end
        extent(v.page, v.y0, v.y1)
      end
    end
  end
  -- the cells: one value each, else blank with a finding
  local rows = {}
  for _, b in ipairs(blocks) do
    for _, r in ipairs(b.rows) do
      local function doubt(col, msg)
        r.cells[col.id] = ""
        notes[#notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", table = tbl.id, row = r.row.id,
          column = col.id, row_ref = r,
          message = format("PDF 第%d页：%s；无法确定，留空，请对照原报告填写", r.box.page, msg) }
      end
      for _, col in ipairs(b.cols) do
        local got = r.got[col.id] or {}
        if r.doubtful then
          doubt(col, format("行名称在表中出现了%d次", r.doubtful))
        elseif #got > 1 then
          doubt(col, format("找到%d个数值（%s）", #got, concat(got, "、")))
        elseif #got == 1 then
          r.cells[col.id] = got[1]
        else
          local why
          for _, s in ipairs(r.stray or {}) do
            if s.col == nil or s.col == col then why = s.text end
          end
          if not why and r.doubt and not b.cols_on[r.box.page] then why = r.doubt[1] end
          if why then doubt(col, why) else r.cells[col.id] = "" end
        end
      end
      if r.doubt and b.cols_on[r.box.page] then
        for _, d in ipairs(r.doubt) do
          notes[#notes + 1] = { rule = "IMPORT-AMBIGUOUS", severity = "error", table = tbl.id, row = r.row.id,
            column = b.cols[1].id, row_ref = r, message = format("PDF 第%d页：%s；这个数值没有读入，请对照原报告核对本行", r.box.page, d) }
        end
      end
      rows[#rows + 1] = { block = b, row = r }
    end
  end
  local found = #rows
  -- a row whose label was not found in a table that is there: blank, with
  -- a finding (its numbers are not placed elsewhere: they lie off every row)
  if found > 0 then
    for _, b in ipairs(blocks) do
      if b.decl.labels ~= false then
        local have = {}
        for _, r in ipairs(b.rows) do have[r.row] = true end
        for _, row in ipairs(data_rows(b.decl.rows, {})) do
          if not have[row] then
            local r = { row = row, cells = {} }
            rows[#rows + 1] = { block = b, row = r }
            notes[#notes + 1] = { rule = "IMPORT-UNSOLVED", severity = "error", table = tbl.id, row = row.id,
              column = b.cols[1].id, row_ref = r, message = format("PDF 里没有找到%s的行名称“%s”：本行各格留空，请对照原报告填写",
                tbl.label, row.label) }
          end
        end
      end
    end
  end
  return rows, ext, found
end

-- A space between a Chinese character and a digit or Latin letter is the
-- layout's (LibreOffice and Word set them apart), not the text's: "2024 年" is "2024年".
-- So is one between two wide characters (Chinese, full-width punctuation):
-- a justified line spread out ("示例 县 长 安 路18号 ， 电 话 ：").
local HAN = "[\228-\233][\128-\191][\128-\191]"
local WIDE = "[\227-\233\239][\128-\191][\128-\191]"
local function unspaced(t)
  t = string.gsub(t, "(" .. HAN .. ") +([%w])", "%1%2")
  t = string.gsub(t, "([%w]) +(" .. HAN .. ")", "%1%2")
  local n
  repeat
    t, n = string.gsub(t, "(" .. WIDE .. ") +(" .. WIDE .. ")", "%1%2")
  until n == 0
  return t
end

-- The lines of the pages, each with its words, position and size.
local function lines_of(pages)
  local out = {}
  for p, pg in ipairs(pages) do
    local ls = {}
    for k, t in ipairs(pg.lines) do ls[k] = { text = unspaced(t), page = p, page_height = pg.height, words = {} } end
    for _, w in ipairs(pg.words) do
      local l = ls[w.line]
      if l then l.words[#l.words + 1] = w end
    end
    for _, l in ipairs(ls) do
      if #l.words > 0 then
        l.x0, l.y0, l.x1, l.y1, l.em = math.huge, math.huge, -math.huge, -math.huge, math.huge
        for _, w in ipairs(l.words) do
          l.x0, l.y0 = math.min(l.x0, w.x0), math.min(l.y0, w.y0)
          l.x1, l.y1 = math.max(l.x1, w.x1), math.max(l.y1, w.y1)
          l.em = math.min(l.em, w.em)
          if w.han then l.han = math.min(l.han or math.huge, w.em) end -- the size of its Chinese characters
        end
        l.cy = (l.y0 + l.y1) / 2
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
  local seen, out = {}, {}
  local function key(l) return string.gsub(l.text, "%d+", "#") .. "@" .. math.floor(l.cy / 4 + 0.5) end
  for _, l in ipairs(lines) do
    local h = l.page_height or 842
    if l.cy < 0.1 * h or l.cy > 0.9 * h then
      local k = key(l)
      seen[k] = seen[k] or {}
      seen[k][l.page] = true
    end
  end
  for _, l in ipairs(lines) do
    local h = l.page_height or 842
    if l.cy < 0.1 * h or l.cy > 0.9 * h then
      local n = 0
      for _ in pairs(seen[key(l)]) do n = n + 1 end
      if n >= 2 then out[l] = true end
    end
  end
  return out
end

-- The narrative: lines outside the tables, a paragraph's lines joined (a
-- line reaching the right margin continues on the next unless that one is
-- indented or opens a heading); a table's placed rows where it begins.
local function text_lines(lines, tables)
  local margin, right = {}, {}
  local chrome = running(lines)
  for _, l in ipairs(lines) do
    if not chrome[l] then
      margin[l.page] = math.min(margin[l.page] or math.huge, l.x0)
      right[l.page] = math.max(right[l.page] or -math.huge, l.x1)
    end
  end
  local function table_of(l)
    for _, t in ipairs(tables) do
      local e = t.ext
      if e.first and not before(l.page, l.cy, e.first[1], e.first[2]) and not before(e.last[1], e.last[2], l.page, l.cy) then
        return t
      end
    end
  end
  local blocks, prev = {}, nil
  for _, l in ipairs(lines) do
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
        local sep = (find(b.text, "[%w%p]$") and find(text, "^[%w%p]")) and " " or ""
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
    for _, block in ipairs(tbl.blocks) do wanted = wanted + #data_rows(block.rows, {}) end
    for k, h in ipairs(heads) do
      if h.sec == tbl.section then
        local nx = heads[k + 1]
        local zone = {}
        for _, w in ipairs(words) do
          if not w.chrome and before(h.page, h.y1 - 1, w.page, w.cy) and (not nx or before(w.page, w.cy, nx.page, nx.y0)) then
            zone[#zone + 1] = w
          end
        end
        local rows, ext, n = place_table(tbl, zone, notes, src)
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
local function page_edges(lines)
  local chrome = running(lines)
  local top, foot = {}, {}
  for _, l in ipairs(lines) do
    if not chrome[l] then
      top[l.page] = math.min(top[l.page] or math.huge, l.cy)
      foot[l.page] = math.max(foot[l.page] or -math.huge, l.cy)
    end
  end
  for _, l in ipairs(lines) do
    for _, w in ipairs(l.words) do
      if chrome[l] then
        w.chrome = true
      else
        -- (within two lines: a cell centred in its row goes on below the top line)
        w.at_top = w.cy < top[l.page] + 2.2 * w.em
        w.at_foot = w.cy > foot[l.page] - 2.2 * w.em
      end
    end
  end
end

local function import(src)
  doc_text = doc_text or host.lib("doc_text")
  local pages = host.pdf_words(src.text)
  local words = words_of(pages)
  if #words == 0 then
    host.input_error(0, "扫描件，没有文字层：这个 PDF 里没有可读取的文字（可能是扫描或拍照得到的图片）；" ..
      "请取得文字版 PDF 或 Word 文件，或先做文字识别（OCR）后再导入")
  end
  local lines = lines_of(pages)
  page_edges(lines)
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
  -- rows missing: perhaps another year's template (its labels differ); the
  -- format whose labels place the most rows is read (the text importer
  -- then knows it by its marks) — unless --format says which
  if fmt and found < wanted and not src.format then
    for _, fid in ipairs(host.format_ids()) do
      if fid ~= fmt_id then
        local t, n, f = place_format(host.format_decl(fid), lines, words, src)
        if f > found then tables, notes, found = t, n, f end
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
  for _, b in ipairs(text_lines(lines, tables)) do
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
  local report = doc_text.import(src, out)
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
