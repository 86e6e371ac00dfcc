-- The tables of a PDF report (plugins/importers/pdf.lua): the words of its
-- pages as host.pdf_words gives them, and each table of the format placed
-- in them: rows found by their labels, columns by their headers (the leaf
-- labels of the format's column tree), each number by the y of its row
-- and the x of its column; a number between rows or columns, or two for
-- one cell, left blank with IMPORT-AMBIGUOUS.  The importer keeps the
-- narrative, the sections and the hand-over to the text importer.
-- (The loops over every word, line or value count with an index: ipairs
-- costs a call of a C function for each element.)
local host = ...

local find, sub, format = string.find, string.sub, string.format
local concat = table.concat
local norm, cell_kind = host.norm, host.cell_kind
local huge = math.huge

local M = {}

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
    local ws = pg.words
    for iw = 1, #ws do local w = ws[iw]
      local text = w.text
      w.page, w.cy, w.n = p, (w.y0 + w.y1) / 2, norm(text)
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
-- The positions in a word list of each normalised text, made once per list
-- (a list is complete when it is searched, and not changed after): a
-- table's labels are searched for in the same zone a hundred times, and
-- most of its words repeat ("0", "/", …).
local positions = setmetatable({}, { __mode = "k" })
local function positions_of(all)
  local at = positions[all]
  if not at then
    -- pos: the positions of each text; count: how many texts; odd: the
    -- texts that are not UTF-8 (found by byte, not by character)
    local pos, count, odd = {}, 0, {}
    for k = 1, #all do local w = all[k]
      local n = w.n
      if n ~= "" then
        local l = pos[n]
        if not l then
          l = {}
          pos[n] = l
          count = count + 1
          if not utf8.len(n) then odd[#odd + 1] = n end
        end
        l[#l + 1] = k
      end
    end
    at = { pos = pos, count = count, odd = odd }
    positions[all] = at
  end
  return at
end

-- The texts a target contains, character by character: { list = { … }, set
-- = { [text] = true } }, made once per target (the format's labels and
-- headers: the same in every report of a batch), or false for a target that
-- is not UTF-8 or longer than SUBS_MAX characters (its substrings, as many
-- as the square of its length, would cost more than they save).
local inside, SUBS_MAX = {}, 64
local function substrings_of(target)
  local subs = inside[target]
  if subs == nil then
    subs = false
    local len = utf8.len(target)
    if len and len <= SUBS_MAX then
      local starts = {}
      for p in utf8.codes(target) do starts[#starts + 1] = p end
      starts[#starts + 1] = #target + 1
      local list, set = {}, {}
      for i = 1, #starts - 1 do
        for j = i + 1, #starts do
          local t = sub(target, starts[i], starts[j] - 1)
          if not set[t] then set[t] = true; list[#list + 1] = t end
        end
      end
      subs = { list = list, set = set }
    end
    inside[target] = subs
  end
  return subs
end

local NONE = {}
local function chains(all, target, used)
  local found, ws = {}, {}
  -- only words inside the target can be part of it (in the list's order):
  -- the target's substrings looked up among the list's texts, or the
  -- list's texts among the substrings, whichever are fewer
  local ks = {}
  local index, subs = positions_of(all), substrings_of(target)
  local pos = index.pos
  if not subs then
    for n, l in pairs(pos) do
      if find(target, n, 1, true) then
        for q = 1, #l do ks[#ks + 1] = l[q] end
      end
    end
  else
    if #subs.list < index.count then
      for q = 1, #subs.list do local t = subs.list[q]
        local l = pos[t]
        if l then for qq = 1, #l do ks[#ks + 1] = l[qq] end end
      end
    else
      local set = subs.set
      for n, l in pairs(pos) do
        if set[n] then for qq = 1, #l do ks[#ks + 1] = l[qq] end end
      end
    end
    -- (a text that is not UTF-8 is no substring of the target's characters)
    for _, n in ipairs(index.odd) do
      if find(target, n, 1, true) then
        local l = pos[n]
        for qq = 1, #l do ks[#ks + 1] = l[qq] end
      end
    end
  end
  table.sort(ks)
  for i = 1, #ks do ws[i] = all[ks[i]] end
  -- the words that can go on at each byte of the target, in the list's
  -- order: a chain spelling target[1..len] goes on with at[len + 1]
  local at = {}
  for iw = 1, #ws do local w = ws[iw]
    local n = w.n
    local p = find(target, n, 1, true)
    while p do
      local l = at[p]
      if not l then l = {}; at[p] = l end
      l[#l + 1] = w
      p = find(target, n, p + 1, true)
    end
  end
  local whole = #target
  local function extend(chain, len, lx0, lx1)
    if len == whole then return true end
    local last = chain[#chain]
    local nexts = at[len + 1] or NONE
    for iv = 1, #nexts do local v = nexts[iv]
      -- a cell cut by a page break (a row allowed to break across pages):
      -- from the last line of a page on to the first line of the next
      if not used[v] and v.page == last.page + 1 and last.at_foot and v.at_top and v.x0 < lx1 and v.x1 > lx0 then
        chain[#chain + 1] = v
        used[v] = true
        if extend(chain, len + #v.n, math.min(lx0, v.x0), math.max(lx1, v.x1)) then return true end
        used[v] = nil
        chain[#chain] = nil
      elseif not used[v] and v.page == last.page then
        local em = last.em
        local dy, dx = v.cy - last.cy, v.x0 - last.x1
        local same_line = math.abs(dy) < 0.3 * em and dx >= -0.2 * em and dx < 1.5 * em
        local next_line = dy > 0.3 * em and dy < 2.2 * em and v.x0 < lx1 and v.x1 > lx0
        if same_line or next_line then
          chain[#chain + 1] = v
          used[v] = true
          if extend(chain, len + #v.n, math.min(lx0, v.x0), math.max(lx1, v.x1)) then return true end
          used[v] = nil
          chain[#chain] = nil
        end
      end
    end
    return false
  end
  local firsts = at[1] or NONE
  for iw = 1, #firsts do local w = firsts[iw]
    if not used[w] then
      local chain = { w }
      used[w] = true
      if extend(chain, #w.n, w.x0, w.x1) then
        local box = { page = w.page, x0 = w.x0, y0 = w.y0, x1 = w.x1, y1 = w.y1, cy0 = w.cy, cy1 = w.cy, em = w.em,
          words = chain }
        for iv = 1, #chain do local v = chain[iv]
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
  for iw = 1, #ws do
    local w = ws[iw]
    if w.page == p then out[#out + 1] = w end
  end
  return out
end

-- Places one table in the words of its section (zone).  Returns the rows
-- found, each { row =, cells = { [col id] = value or "" } }, in the
-- format's order, and the table's extent { first = { page, y }, last = … }.
local function place_table(tbl, zone, notes, src)
  local used = {}
  local ext = {}
  -- (kept as numbers while the table is placed, before written out: every value passes here)
  local fp, fy, lp, ly
  local function extent(p, y0, y1)
    if not fp or p < fp or (p == fp and y0 < fy) then fp, fy = p, y0 end
    if not lp or lp < p or (lp == p and ly < y1) then lp, ly = p, y1 end
  end
  local function extent_box(box)
    local vs = box.words
    for iv = 1, #vs do local v = vs[iv]; extent(v.page, v.y0, v.y1) end
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
      for iw = 1, #zone do local w = zone[iw]
        if not p_seen[w.page] then
          p_seen[w.page] = true
          local cols = columns_on(page_words(zone, w.page), b.cols, used)
          if not cols then
            -- a header row cut by the page break: this page's words and the next's
            local kept = {}
            for k, v in pairs(used) do kept[k] = v end
            local both = {}
            for iv = 1, #zone do local v = zone[iv]
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
              for iv = 1, #c.box.words do local v = c.box.words[iv]
                if v.page > hp then hp, hb = v.page, -math.huge end
                if v.page == hp then hb = math.max(hb, v.y1) end
              end
              extent_box(c.box)
            end
            -- the row: the first line of values below them, or at the top of the next page
            local row_cy, row_em, row_page
            for iv = 1, #zone do local v = zone[iv]
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
        local t, pb = top[p], prev_bottom[p] or -huge
        for iw = 1, #zone do local w = zone[iw]
          if w.page == p then
            local y = w.cy
            if y < t and y > pb then above[#above + 1] = w end
          end
        end
        local cols = columns_on(above, b.cols, used)
        if not cols and k == 1 then
          -- the headers at the foot of an earlier page (after the previous
          -- block's rows), or cut by the page break: read on above the first row
          local earlier = {}
          for iw = 1, #zone do local w = zone[iw]
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
  -- the lines holding words that are neither labels nor values: narrative;
  -- the values (each word asked once)
  local prose, values = {}, {}
  for iw = 1, #zone do local w = zone[iw]
    if not used[w] then
      if is_value(w) then values[#values + 1] = w else prose[w.page * 100000 + w.line] = true end
    end
  end
  -- the rows on each page, in the blocks' order: a value is placed among its
  -- page's; each row listed in the bands of BAND points its reach covers (a
  -- value is on a row, or under or above one, within 2.5 of its characters),
  -- so a value asks only the rows near it, still in the blocks' order
  local BAND = 16
  -- a row is listed only in the bands some value of its page asks: a
  -- row's reach spans a page at most in a printed report, but a damaged
  -- file's boxes can reach millions of points, millions of bands made one
  -- by one (a row visits its reach or the asked bands, the fewer)
  local asked = {}
  for iv = 1, #values do local v = values[iv]
    local a = asked[v.page]
    if not a then a = { set = {}, list = {} }; asked[v.page] = a end
    local k = math.floor(v.cy / BAND)
    if not a.set[k] then a.set[k] = true; a.list[#a.list + 1] = k end
  end
  local rows_on = {}
  for _, b in ipairs(blocks) do
    for _, r in ipairs(b.rows) do
      local box = r.box
      local a = asked[box.page]
      if a then
        local bands = rows_on[box.page]
        if not bands then bands = {}; rows_on[box.page] = bands end
        -- with the bounds a value is compared with, worked out once:
        -- { b, r, on from, on to, right of, x1, cy0, cy1, reach }
        local em = box.em
        local br = { b, r, box.cy0 - 0.6 * em, box.cy1 + 0.6 * em, box.x1 - 0.2 * em, box.x1, box.cy0, box.cy1, 2.5 * em }
        local function add(k)
          local l = bands[k]
          if not l then l = {}; bands[k] = l end
          l[#l + 1] = br
        end
        -- (a band more on each side: the tests below round on their own)
        local lo = math.floor((box.cy0 - 2.5 * em) / BAND) - 1
        local hi = math.floor((box.cy1 + 2.5 * em) / BAND) + 1
        local set, list = a.set, a.list
        -- (the reach counted only in integers: past 2^63 math.floor gives
        -- floats, which a step of 1 cannot move, and hi - lo can wrap)
        if math.type(lo) == "integer" and math.type(hi) == "integer" and hi - lo >= 0 and hi - lo < #list then
          for k = lo, hi do if set[k] then add(k) end end
        else
          for i = 1, #list do local k = list[i]; if k >= lo and k <= hi then add(k) end end
        end
      end
    end
  end
  local function column_of(v, b, r)
    local cols = b.cols_on[v.page]
    if not cols then return nil, "没有找到列标题" end
    local cx = (v.x0 + v.x1) / 2
    for ic = 1, #cols do local c = cols[ic]
      local left, right = c.left or -huge, c.right or huge
      if cx >= left and cx < right then
        if v.x0 < left - 0.1 * r.box.em or v.x1 > right + 0.1 * r.box.em then return nil, "跨在两列之间" end
        return c.col
      end
    end
  end
  for iv = 1, #values do local v = values[iv]
    local hits, above, below = nil, nil, nil
    local bands = rows_on[v.page]
    local vcy, vx0 = v.cy, v.x0
    local near = bands and bands[math.floor(vcy / BAND)] or NONE
    for ib = 1, #near do local br = near[ib]
      if vcy >= br[3] and vcy <= br[4] and vx0 > br[5] then
        hits = hits or {}
        hits[#hits + 1] = br
      elseif vx0 > br[6] then
        local cy0, cy1 = br[7], br[8]
        if vcy > cy1 and vcy - cy1 < br[9] and (not above or cy1 > above[8]) then
          above = br -- the nearest row above it
        elseif vcy < cy0 and cy0 - vcy < br[9] and (not below or cy0 < below[7]) then
          below = br -- and below it
        end
      end
    end
    local nhits = hits and #hits or 0
    if nhits == 1 then
      local b, r = hits[1][1], hits[1][2]
      local col, why = column_of(v, b, r)
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
    elseif (nhits > 1 or above or below) and (nhits > 1 or not prose[v.page * 100000 + v.line]) then
      -- between rows (or on two at once): each row it could belong to is in doubt
      local cands = nhits > 1 and hits or { above, below }
      local names = {}
      for _, h in ipairs(cands) do names[#names + 1] = where(h[2]) end
      for _, h in ipairs(cands) do
        local col = column_of(v, h[1], h[2])
        local r = h[2]
        r.stray = r.stray or {}
        r.stray[#r.stray + 1] = { col = col, text = format("数值“%s”位于%s之间，不能确定属于哪一行",
          v.text, concat(names, "与")) }
      end
      extent(v.page, v.y0, v.y1)
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
      for ic = 1, #b.cols do local col = b.cols[ic]
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
  if fp then ext.first, ext.last = { fp, fy }, { lp, ly } end
  return rows, ext, found
end

M.words_of, M.place_table, M.cy, M.data_rows = words_of, place_table, cy, data_rows

return M
