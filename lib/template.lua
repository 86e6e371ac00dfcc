-- The template engine renderers fill templates/ with (docs/templates.md):
-- a small Mustache subset, because the sandbox can load no library and the
-- templates must stay editable by people who do not write Lua.
--   {{name}}  {{a.b}}  {{.}}   value, escaped by the renderer's escape function
--   {{{name}}}  {{&name}}      value, not escaped
--   {{#name}}…{{/name}}        list: once per item; table: once, inside it;
--                              other true value: once; nil/false/""/0/{}: never
--   {{^name}}…{{/name}}        once when the value is nil/false/""/0/{}
--   {{> path}}                 another template, filled with the same values
--   {{! comment }}
-- A tag other than a value alone on its line takes the whole line with it.
local host = ...

local find, sub, match, gsub = string.find, string.sub, string.match, string.gsub
local concat = table.concat

local M = {}

local function fail(name, text, pos, msg)
  local _, newlines = gsub(sub(text, 1, pos), "\n", "")
  error(string.format("template %s:%d: %s", name, newlines + 1, msg), 0)
end

-- a (dotted) name's parts: first, and the rest as a list (nil when none)
local function name_parts(key)
  if key == "." then return ".", nil end
  local first, more = match(key, "^([^.]+)%.?(.*)$")
  if not first then return nil, nil end -- (".x": found nowhere)
  local rest
  for part in more:gmatch("[^.]+") do
    rest = rest or {}
    rest[#rest + 1] = part
  end
  return first, rest
end

-- text → list of nodes: strings, { var = name, raw = bool },
-- { section = name, inverted = bool, body = nodes }, { partial = path };
-- var and section nodes also hold their name's parts (name_parts)
local function parse(text, name)
  local root = {}
  local stack = { { nodes = root } }
  local pos = 1
  while true do
    local open = find(text, "{{", pos, true)
    local nodes = stack[#stack].nodes
    if not open then
      if pos <= #text then nodes[#nodes + 1] = sub(text, pos) end
      break
    end
    local triple = sub(text, open + 2, open + 2) == "{"
    local close_str = triple and "}}}" or "}}"
    local close = find(text, close_str, open + 2, true)
    if not close then fail(name, text, open, "“{{” without “" .. close_str .. "”") end
    local inner = sub(text, open + (triple and 3 or 2), close - 1)
    local after = close + #close_str
    local kind = triple and "{" or sub(inner, 1, 1)
    local key = match(triple and inner or sub(inner, 2), "^%s*(.-)%s*$")
    if not triple and not find("#^/!>&", kind, 1, true) then kind, key = "", match(inner, "^%s*(.-)%s*$") end
    local before = sub(text, pos, open - 1)
    -- a block tag alone on its line removes the line
    if kind ~= "" and kind ~= "{" and kind ~= "&" then
      local at_line_start = pos == 1 or sub(text, pos - 1, pos - 1) == "\n"
      local line_start = match(before, "\n([ \t]*)$") or (at_line_start and match(before, "^([ \t]*)$"))
      local rest = match(text, "^[ \t]*\r?\n", after) or (after > #text and "") or
        (match(text, "^[ \t]*$", after) and sub(text, after))
      if line_start and rest then
        before = sub(before, 1, #before - #line_start)
        after = after + #rest
      end
    end
    if before ~= "" then nodes[#nodes + 1] = before end
    if kind == "#" or kind == "^" then
      local first, rest = name_parts(key)
      local node = { section = key, inverted = kind == "^", body = {}, first = first, rest = rest }
      nodes[#nodes + 1] = node
      stack[#stack + 1] = { nodes = node.body, name = key, at = open }
    elseif kind == "/" then
      local top = stack[#stack]
      if #stack == 1 or top.name ~= key then
        fail(name, text, open, "{{/" .. key .. "}} closes " .. (top.name and ("{{#" .. top.name .. "}}") or "nothing"))
      end
      stack[#stack] = nil
    elseif kind == ">" then
      nodes[#nodes + 1] = { partial = key }
    elseif kind ~= "!" then
      if key == "" then fail(name, text, open, "empty tag") end
      local first, rest = name_parts(key)
      nodes[#nodes + 1] = { var = key, raw = kind == "{" or kind == "&", first = first, rest = rest }
    end
    pos = after
  end
  if #stack > 1 then fail(name, text, stack[#stack].at, "{{#" .. stack[#stack].name .. "}} is never closed") end
  return root
end

-- the value of a name (node.first, then node.rest's parts of a dotted
-- one, split once when parsed), looked up from the innermost context out
-- (depth: the number of contexts)
local function lookup(ctx, depth, node)
  local first = node.first
  if first == "." then return ctx[depth] end
  local v
  for i = depth, 1, -1 do
    local c = ctx[i]
    if type(c) == "table" then
      v = c[first]
      if v ~= nil then break end
    end
  end
  local rest = node.rest
  if rest then
    for i = 1, #rest do
      if type(v) ~= "table" then return nil end
      v = v[rest[i]]
    end
  end
  return v
end

local function falsy(v)
  return v == nil or v == false or v == "" or v == 0 or (type(v) == "table" and next(v) == nil)
end

local function str(v)
  if type(v) == "string" then return v end
  if v == nil or v == false then return "" end
  if math.type(v) == "float" and v == math.floor(v) then return string.format("%d", v) end
  return tostring(v)
end

local compiled = {}

local function load_template(name)
  local nodes = compiled[name]
  if not nodes then
    nodes = parse(host.template(name), name)
    compiled[name] = nodes
  end
  return nodes
end

-- appends the filled nodes to out[n+1…] and returns the new n; ctx holds
-- depth contexts, innermost last (counts passed along: # is a search)
local function fill(nodes, ctx, depth, escape, out, n, nesting)
  for i = 1, #nodes do
    local node = nodes[i]
    if type(node) == "string" then
      n = n + 1
      out[n] = node
    elseif node.var then
      local s = str(lookup(ctx, depth, node))
      n = n + 1
      out[n] = node.raw and s or escape(s)
    elseif node.section then
      local v = lookup(ctx, depth, node)
      if node.inverted then
        if falsy(v) then n = fill(node.body, ctx, depth, escape, out, n, nesting) end
      elseif not falsy(v) then
        if type(v) == "table" and v[1] ~= nil then
          local k, item = 1, v[1] -- as ipairs: up to the first nil
          while item ~= nil do
            ctx[depth + 1] = item
            n = fill(node.body, ctx, depth + 1, escape, out, n, nesting)
            k = k + 1
            item = v[k]
          end
        else
          ctx[depth + 1] = v
          n = fill(node.body, ctx, depth + 1, escape, out, n, nesting)
        end
        ctx[depth + 1] = nil
      end
    else
      if nesting > 20 then error("template partials nested deeper than 20 (" .. node.partial .. ")", 0) end
      n = fill(load_template(node.partial), ctx, depth, escape, out, n, nesting + 1)
    end
  end
  return n
end

local function identity(s) return s end

-- Fills templates/NAME (a user template directory overrides it) with values.
function M.render(name, values, escape)
  local out = {}
  local n = fill(load_template(name), { values }, 1, escape or identity, out, 0, 0)
  return concat(out, "", 1, n)
end

-- Fills a template given as text (name is used in error messages).
function M.render_string(text, values, escape, name)
  local out = {}
  local n = fill(parse(text, name or "(string)"), { values }, 1, escape or identity, out, 0, 0)
  return concat(out, "", 1, n)
end

local MARKUP = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

-- escaping for HTML and XML text and attribute values; most values (the
-- numbers, the labels) recur in every report, so the escaped form of a
-- short one is remembered (up to MEMO_MAX strings, then afresh)
local SPECIAL = "[&<>\"']"
local MEMO_MAX = 4096
local memo, memo_n = {}, 0
function M.escape_markup(s)
  local e = memo[s]
  if e then return e end
  e = find(s, SPECIAL) and (gsub(s, SPECIAL, MARKUP)) or s
  if #s <= 96 then
    if memo_n >= MEMO_MAX then memo, memo_n = {}, 0 end
    memo[s], memo_n = e, memo_n + 1
  end
  return e
end

-- XML escaping that also drops the control characters XML 1.0 forbids
function M.escape_xml(s)
  return (gsub(gsub(s, "[%z\1-\8\11\12\14-\31]", ""), "[&<>\"']", MARKUP))
end

return M
