-- Test plugin (loaded with --plugin-dir): an importer "text-place-api" that
-- compares host functions of host/text/text_scan.c and host/text/text_marks.c with
-- Lua references — utf8_valid with utf8.len, encoding.head with its former
-- code, a text_scan's items (scan[k],
-- #scan) with host.text_rows, text_marks with the text importer's former
-- Lua find_marks (kept here verbatim) — on the input file and on thousands
-- of variations of it, and stops with an input error naming the first
-- difference.  When all agree it returns an empty gov-2021 report, so
-- `check` gets as far as the rules.
local host = ...
local norm, trim = host.norm, host.trim

-- the former find_marks of plugins/importers/text.lua, and what it needs
local mark_owners
local function owners_of(n)
  if not mark_owners then
    mark_owners = {}
    for _, fid in ipairs(host.format_ids()) do
      for _, label in ipairs(host.format_decl(fid).marks or {}) do
        local k = norm(label)
        mark_owners[k] = mark_owners[k] or {}
        table.insert(mark_owners[k], fid)
      end
    end
  end
  return mark_owners[n]
end

local function find_marks(items, from)
  local found, count, seen = {}, {}, {}
  local function look(text, line)
    local n = norm(text)
    local owners = n ~= "" and not seen[n] and owners_of(n)
    if owners then
      seen[n] = true
      found[#found + 1] = { label = trim(text), line = line, owners = owners }
      for _, fid in ipairs(owners) do count[fid] = (count[fid] or 0) + 1 end
    end
  end
  for k = from, #items do
    local it = items[k]
    if it.kind == "row" then
      for c = 1, #it.cells do
        if #it.cells[c] < 160 then look(it.cells[c], it.lines[c]) end
      end
    elseif #it.text < 64 then
      look(it.text, it.line)
    end
  end
  return found, count
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

local function fail(what, text)
  host.input_error(1, what .. string.format(" for %q", #text < 400 and text or text:sub(1, 400) .. "…"))
end

-- what find_marks gives, less the marks one of whose owners is `except`
local function without(found, except)
  local out = {}
  for _, m in ipairs(found) do
    local own = false
    for _, fid in ipairs(m.owners) do own = own or fid == except end
    if not own then out[#out + 1] = m end
  end
  return out
end

-- the text importer's layout (plugins/importers/text.lua), which the reference below assumes
local LAYOUT = host.text_layout {
  headings = { { level = 1, ordinals = "一二三四五六七八九十", after = "、", max_bytes = 120 },
               { level = 2, before = "（", ordinals = "一二三四五六七八九十", after = "）", max_bytes = 90 } },
  published = { "发布日期：", "发布日期:" }, bookmark = { open = "[bookmark: ", close = "]" },
  continuation_chars = 10, mark_cell_bytes = 160, mark_line_bytes = 64,
}

-- the former encoding.head of lib/encoding.lua: every cut asked of host.decode
local function head_reference(head)
  if not string.find(head, "\0", 1, true) and host.utf8_valid(head) then return head end
  for cut = 0, 3 do
    local ok, d = pcall(host.decode, head:sub(1, #head - cut))
    if ok and type(d) == "string" then return d end
  end
  return nil
end
local encoding = host.lib("encoding")

local function compare_utf8_valid(text)
  local ok, at = host.utf8_valid(text)
  local n, pos = utf8.len(text)
  if ok ~= (n ~= nil) or at ~= pos then fail("utf8_valid differs from utf8.len", text) end
end

local function compare(text)
  compare_utf8_valid(text)
  for _, k in ipairs({ #text, #text - 1, #text - 2, 4096, 4095, 4094, 7, 5 }) do
    local head = text:sub(1, k)
    compare_utf8_valid(head) -- of the imported file: its prefix is worked out once
    if encoding.head(head) ~= head_reference(head) then fail("encoding.head differs from its reference", head) end
  end
  local scan, has_rows = host.text_scan(text, LAYOUT)
  local items, listed, rows = host.text_rows(text, LAYOUT), {}, false
  for k = 1, #scan do listed[k] = scan[k] end
  for _, it in ipairs(items) do rows = rows or it.kind == "row" end
  local d = diff(items, listed, "items") or (has_rows ~= rows and "has_rows") or (scan[#scan + 1] ~= nil and "past the end")
  if d then fail("text_scan differs from text_rows at " .. d, text) end
  for _, from in ipairs({ 1, 2, 5 }) do
    local found, count = find_marks(items, from)
    local c_found, c_count = host.text_marks(scan, from)
    d = diff(found, c_found, "found") or diff(count, c_count, "count")
    if d then fail("text_marks differs from find_marks at " .. d, text) end
    for _, fid in ipairs(host.format_ids()) do
      c_found = host.text_marks(scan, from, fid)
      d = diff(without(found, fid), c_found, "found less " .. fid)
      if d then fail("text_marks differs from find_marks at " .. d, text) end
    end
  end
end

-- pieces of lines: marks of every format, their parts, spaces, bytes that
-- are not UTF-8
local PIECES = { "\t", "\t\t", "", " ", "　", "0", "12", "一、总体情况", "（一）", "[bookmark: x]", "\xff", "\xed\xa0\x80",
  "\xf4\x90\x80\x80", "\xc0\x80", "\xe0\x80\xaf", "\xef\xbf\xbf", "\xf0\x9f\x98\x80", "é", "\xe4\xb8", "本年", "件数", "“", "”" }
for _, fid in ipairs(host.format_ids()) do
  for _, m in ipairs(host.format_decl(fid).marks or {}) do PIECES[#PIECES + 1] = m end
end

local function variation(seed_lines)
  local lines = {}
  for i = 1, math.random(1, 20) do
    if #seed_lines > 0 and math.random() < 0.4 then
      lines[i] = seed_lines[math.random(#seed_lines)]
    else
      local parts = {}
      for k = 1, math.random(0, 4) do parts[k] = PIECES[math.random(#PIECES)] end
      lines[i] = table.concat(parts)
    end
  end
  return table.concat(lines, "\n")
end

host.importer {
  id = "text-place-api",
  description = "compares host.text_scan, host.text_marks and host.utf8_valid with Lua references (tests only)",
  import = function(src)
    compare(src.text)
    for k = 0, math.min(#src.text, 300) do compare_utf8_valid(src.text:sub(1, k)) end
    local seed_lines = host.lines(src.text)
    math.randomseed(42)
    for _ = 1, 1500 do compare(variation(seed_lines)) end
    return { format = "gov-2021" }
  end,
}
