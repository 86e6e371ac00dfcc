-- Test plugin (loaded with --plugin-dir): an importer "text-scan-diff" that
-- runs the Lua tokenizer and trim the text importer used before they moved
-- to C (kept here verbatim as the reference) and host.text_rows / host.trim
-- on the input file and on thousands of variations of it, and stops with an
-- input error naming the first difference.  When all agree it returns an
-- empty gov-2021 report, so `check` gets as far as the rules.
local host = ...
local find, sub, match, gsub = string.find, string.sub, string.match, string.gsub
local HEADING1 = "^[一二三四五六七八九十]+、"
-- the text importer's layout (plugins/importers/text.lua), which the reference below assumes
local LAYOUT = host.text_layout {
  headings = { { level = 1, ordinals = "一二三四五六七八九十", after = "、", max_bytes = 120 },
               { level = 2, before = "（", ordinals = "一二三四五六七八九十", after = "）", max_bytes = 90 } },
  published = { "发布日期：", "发布日期:" }, bookmark = { open = "[bookmark: ", close = "]" },
  continuation_chars = 10, mark_cell_bytes = 160, mark_line_bytes = 64,
}

-- Lines → items: { kind = "text", text, line } or { kind = "row", cells = {…}, lines = {…}, line }
local function tokenize(lines)
  -- layout: one cell a line (tab-indented) or TAB-separated rows
  local one_cell, tsv = 0, 0
  for i = 1, #lines do
    local l = lines[i]
    if find(l, "\t", 1, true) then
      if find(l, "^\t+[^\t]*$") then one_cell = one_cell + 1 else tsv = tsv + 1 end
    end
  end
  local per_line = one_cell > tsv
  local items, row = {}, nil
  for i = 1, #lines do
    local l = gsub(lines[i], "%[bookmark: [^%]]*%]", "")
    if per_line then
      local body = match(l, "^\t+(.*)$")
      if body then
        if not row then row = { kind = "row", cells = {}, lines = {}, line = i }; items[#items + 1] = row end
        row.cells[#row.cells + 1] = body
        row.lines[#row.lines + 1] = i
      elseif find(l, "^%s*$") then
        row = nil
      elseif row and #row.cells > 0 and utf8.len(l) and utf8.len(l) <= 10 and not find(l, HEADING1) then
        row.cells[#row.cells] = row.cells[#row.cells] .. "\n" .. l -- a header cell broken over lines
      else
        row = nil
        items[#items + 1] = { kind = "text", text = l, line = i }
      end
    elseif find(l, "\t", 1, true) then
      local cells, cl, pos = {}, {}, 1
      while true do
        local tab = find(l, "\t", pos, true)
        cells[#cells + 1] = sub(l, pos, (tab or 0) - 1)
        cl[#cl + 1] = i
        if not tab then break end
        pos = tab + 1
      end
      items[#items + 1] = { kind = "row", cells = cells, lines = cl, line = i }
    else
      items[#items + 1] = { kind = "text", text = l, line = i }
    end
  end
  return items
end

-- trims ASCII white space and the ideographic space U+3000
local function trim(s)
  s = gsub(s, "^%s+", "")
  while sub(s, 1, 3) == "\227\128\128" do s = gsub(sub(s, 4), "^%s+", "") end
  s = gsub(s, "%s+$", "")
  while sub(s, -3) == "\227\128\128" do s = gsub(sub(s, 1, -4), "%s+$", "") end
  return s
end

-- the same structure, or a description of the first difference
local function diff(a, b, path)
  if type(a) ~= type(b) then return path .. ": " .. type(a) .. " vs " .. type(b) end
  if type(a) ~= "table" then
    if a ~= b then return string.format("%s: %q vs %q", path, a, b) end
    return nil
  end
  for k, v in pairs(a) do
    local d = diff(v, b[k], path .. "." .. tostring(k))
    if d then return d end
  end
  for k in pairs(b) do
    if a[k] == nil then return path .. "." .. tostring(k) .. ": missing in the reference" end
  end
  return nil
end

-- pieces of lines that exercise every branch of the tokenizer
local PIECES = { "\t", "\t", "\t\t", "", " ", "　", "\v", "0", "12", "一、总体情况", "十一、其他", "（一）予以公开",
  "三、", "短行", "结果", "纠正", "一二三四五六七八九十十十", "[bookmark: _GoBack]", "[bookmark: x", "]", "[bookmark: ]",
  "[bookmark:", "a\tb", "\t\t\t", "\xff", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\x80", "é", "一", "\r",
  "很长很长很长很长很长很长很长的一行文字" }

local function variation(seed_lines)
  local lines = {}
  for i = 1, math.random(1, 24) do
    local l
    if #seed_lines > 0 and math.random() < 0.3 then
      l = seed_lines[math.random(#seed_lines)]
    else
      local parts = {}
      for k = 1, math.random(0, 4) do parts[k] = PIECES[math.random(#PIECES)] end
      l = table.concat(parts)
    end
    lines[i] = l
  end
  local eol = math.random() < 0.2 and "\r\n" or "\n"
  return table.concat(lines, eol) .. (math.random() < 0.5 and eol or "")
end

local function compare(text, what)
  local d = diff(tokenize(host.lines(text)), host.text_rows(text, LAYOUT), "items")
  if d then host.input_error(1, what .. ": text_rows differs from the Lua tokenizer at " .. d .. string.format(" for %q", text)) end
end

host.importer {
  id = "text-scan-diff",
  description = "compares host.text_rows and host.trim with the former Lua code (tests only)",
  import = function(src)
    compare(src.text, "the file")
    local seed_lines = host.lines(src.text)
    math.randomseed(tonumber(src.text:match("SEED (%d+)")) or 42)
    for n = 1, 3000 do compare(variation(seed_lines), "variation " .. n) end
    for n = 1, 3000 do
      local parts = {}
      for k = 1, math.random(0, 6) do parts[k] = PIECES[math.random(#PIECES)] end
      local s = table.concat(parts)
      if trim(s) ~= host.trim(s) then
        host.input_error(1, string.format("trim differs for %q: %q vs %q", s, trim(s), host.trim(s)))
      end
    end
    return { format = "gov-2021" }
  end,
}
