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

-- text → list of nodes: strings, { var = name, raw = bool },
-- { section = name, inverted = bool, body = nodes }, { partial = path }
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
      local node = { section = key, inverted = kind == "^", body = {} }
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
      nodes[#nodes + 1] = { var = key, raw = kind == "{" or kind == "&" }
    end
    pos = after
  end
  if #stack > 1 then fail(name, text, stack[#stack].at, "{{#" .. stack[#stack].name .. "}} is never closed") end
  return root
end

-- a (dotted) name cut into its parts, once per name
local key_parts = {}
local function parts_of(key)
  local parts = key_parts[key]
  if not parts then
    local first, rest = match(key, "^([^.]+)%.?(.*)$")
    parts = { first }
    for part in rest:gmatch("[^.]+") do parts[#parts + 1] = part end
    key_parts[key] = parts
  end
  return parts
end

-- the value of a (dotted) name, looked up from the innermost context out
local function lookup(ctx, key)
  if key == "." then return ctx[#ctx] end
  local parts = parts_of(key)
  local first = parts[1]
  local v
  for i = #ctx, 1, -1 do
    local c = ctx[i]
    if type(c) == "table" and c[first] ~= nil then v = c[first]; break end
  end
  for i = 2, #parts do
    if type(v) ~= "table" then return nil end
    v = v[parts[i]]
  end
  return v
end

local function falsy(v)
  return v == nil or v == false or v == "" or v == 0 or (type(v) == "table" and next(v) == nil)
end

local function str(v)
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

local function fill(nodes, ctx, escape, out, depth)
  for _, node in ipairs(nodes) do
    if type(node) == "string" then
      out[#out + 1] = node
    elseif node.var then
      local s = str(lookup(ctx, node.var))
      out[#out + 1] = node.raw and s or escape(s)
    elseif node.section then
      local v = lookup(ctx, node.section)
      if node.inverted then
        if falsy(v) then fill(node.body, ctx, escape, out, depth) end
      elseif not falsy(v) then
        if type(v) == "table" and v[1] ~= nil then
          for _, item in ipairs(v) do
            ctx[#ctx + 1] = item
            fill(node.body, ctx, escape, out, depth)
            ctx[#ctx] = nil
          end
        else
          ctx[#ctx + 1] = v
          fill(node.body, ctx, escape, out, depth)
          ctx[#ctx] = nil
        end
      end
    else
      if depth > 20 then error("template partials nested deeper than 20 (" .. node.partial .. ")", 0) end
      fill(load_template(node.partial), ctx, escape, out, depth + 1)
    end
  end
end

local function identity(s) return s end

-- Fills templates/NAME (a user template directory overrides it) with values.
function M.render(name, values, escape)
  local out = {}
  fill(load_template(name), { values }, escape or identity, out, 0)
  return concat(out)
end

-- Fills a template given as text (name is used in error messages).
function M.render_string(text, values, escape, name)
  local out = {}
  fill(parse(text, name or "(string)"), { values }, escape or identity, out, 0)
  return concat(out)
end

local MARKUP = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

-- escaping for HTML and XML text and attribute values; most values (the
-- numbers) hold none of the five, which five plain searches tell fastest
local SPECIAL = { "&", "<", ">", '"', "'" }
function M.escape_markup(s)
  if s == "" then return s end
  for i = 1, 5 do
    if find(s, SPECIAL[i], 1, true) then return (gsub(s, "[&<>\"']", MARKUP)) end
  end
  return s
end

-- XML escaping that also drops the control characters XML 1.0 forbids
function M.escape_xml(s)
  return (gsub(gsub(s, "[%z\1-\8\11\12\14-\31]", ""), "[&<>\"']", MARKUP))
end

return M
