-- Documents read as blocks (host.docx_blocks, host.html_blocks: paragraphs,
-- and tables whose merged cells are expanded onto the grid) turned into the
-- text the text importer reads, so that the docx and html importers place
-- rows, find sections and read the preamble exactly as it does:
--   * a paragraph is one line (its line breaks and tabs as spaces);
--   * a table row is one cell a line, TAB-indented, a blank line after it:
--     the layout of `render --to txt`; a merged cell is written once (in
--     its top-left field), a field covered from above as an empty cell, as
--     Word's own rows have them;
--   * a paragraph under automatic numbering (its ordinal not in its text)
--     gets the ordinal written: "一、" at the top level when it names a
--     section of a format, "（一）" one level down.
local host = ...

local find, byte = string.find, string.byte
local concat = table.concat
local norm = host.norm

local M = {}

local NUMERALS = { "一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
  "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十" }
local DOT = byte(".")
local HAS_ORDINAL = { "^[一二三四五六七八九十]+、", "^（[一二三四五六七八九十]+）", "^%([一二三四五六七八九十]+%)",
  "^%d+[%.、．]" }

-- every format's section words, normalised: a heading is a section's when it holds all of one's words
local section_words
local function names_section(text)
  if not section_words then
    section_words = {}
    for _, fid in ipairs(host.format_ids()) do
      for _, sec in ipairs(host.format_decl(fid).sections or {}) do
        local words = {}
        for k, w in ipairs(sec.match) do words[k] = norm(w) end
        section_words[#section_words + 1] = words
      end
    end
  end
  local n = norm(text)
  for _, words in ipairs(section_words) do
    local all = #words > 0
    for _, w in ipairs(words) do
      if not find(n, w, 1, true) then all = false; break end
    end
    if all then return true end
  end
  return false
end

local function has_ordinal(t)
  for _, p in ipairs(HAS_ORDINAL) do
    if find(t, p) then return true end
  end
  return false
end

local PAGE_NUMBERS = { "^[—%-－%s]+%d+[—%-－%s]+$", "^第%s*%d+%s*页", "^%-?%s*%d+%s*/%s*%d+%s*%-?$" }
-- the bytes those can begin with (a class holds bytes: any byte of — and
-- －): a paragraph beginning with another is no page number, and is not
-- tried against them (three pattern searches a paragraph were a tenth of
-- a .docx's Lua)
local PAGE_START = {}
for _, c in ipairs({ byte("—－第-0123456789 \t\n\v\f\r", 1, -1) }) do PAGE_START[c] = true end
local function is_page_number(t)
  if not PAGE_START[byte(t)] then return false end
  for _, p in ipairs(PAGE_NUMBERS) do
    if find(t, p) then return true end
  end
  return false
end

local one_line = host.one_line -- every run of white space as one space (in C)

-- M.lines(blocks, from, to, out) → an array of lines (see above) for blocks
-- from…to, appended to out when given; a table's lines are one element
-- (its text, lines joined by "\n", made in C), as concat writes them
function M.lines(blocks, from, to, out)
  out = out or {}
  local counters = {}
  for i = from or 1, to or #blocks do
    local b = blocks[i]
    if b.kind == "p" and is_page_number(b.text) then
      -- a page number of a page's footer ("— 3 —", "第3页"), kept in a saved page
    elseif b.kind == "p" then
      local t = one_line(b.text)
      local level = b.level
      if level then
        for l = level + 1, #counters do counters[l] = nil end
        for l = 0, level - 1 do counters[l] = counters[l] or 0 end
        counters[level] = (counters[level] or 0) + 1
        local k = counters[level]
        if not has_ordinal(t) and NUMERALS[k] and utf8.len(t) and utf8.len(t) <= 40 then
          if level == 0 and names_section(t) then
            t = NUMERALS[k] .. "、" .. t
          elseif level == 1 then
            t = "（" .. NUMERALS[k] .. "）" .. t
          end
        end
      elseif b.heading == 1 and not has_ordinal(t) and utf8.len(t) and utf8.len(t) <= 40 and names_section(t) then
        -- a heading style without its ordinal: counted among the top-level headings
        counters[0] = (counters[0] or 0) + 1
        if NUMERALS[counters[0]] then t = NUMERALS[counters[0]] .. "、" .. t end
      end
      out[#out + 1] = t
    else
      -- each own field "\t" .. trim(one_line(text)), a field covered from
      -- above "\t", a blank line after each row (host.docx_blocks, html_blocks)
      out[#out + 1] = b.text
    end
  end
  return out
end

-- M.import(src, lines): the text importer run on the lines, for src's file
function M.import(src, lines)
  local text_import = host.importer_of("text")
  if not text_import then host.input_error(0, "没有 text 导入器，无法读取文档") end
  return text_import({ text = concat(lines, "\n"), name = src.name, format = src.format, year = src.year })
end

-- M.cells(b): the texts of a table block's own fields, for searching
function M.cells(b)
  local out = {}
  for _, row in ipairs(b.rows) do
    for c = 1, #row do
      if byte(row.covered, c) == DOT and row[c] ~= "" then out[#out + 1] = row[c] end
    end
  end
  return out
end

-- M.row_texts(b): each row of a table block, its own fields' texts joined
function M.row_texts(b)
  local out = {}
  for _, row in ipairs(b.rows) do
    local parts = {}
    for c = 1, #row do
      if byte(row.covered, c) == DOT then parts[#parts + 1] = row[c] end
    end
    out[#out + 1] = concat(parts, "")
  end
  return out
end

M.names_section = names_section
M.one_line = one_line

return M
