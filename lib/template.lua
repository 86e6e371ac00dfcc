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
  error(string.format("模板 %s:%d：%s", name, newlines + 1, msg), 0)
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
    if not close then fail(name, text, open, "“{{” 之后没有对应的 “" .. close_str .. "”") end
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
        fail(name, text, open, "{{/" .. key .. "}} " .. (top.name and ("与 {{#" .. top.name .. "}} 不配对") or "之前没有要结束的区块"))
      end
      stack[#stack] = nil
    elseif kind == ">" then
      nodes[#nodes + 1] = { partial = key }
    elseif kind ~= "!" then
      if key == "" then fail(name, text, open, "空标签（{{ }} 中没有名字）") end
      local first, rest = name_parts(key)
      nodes[#nodes + 1] = { var = key, raw = kind == "{" or kind == "&", first = first, rest = rest }
    end
    pos = after
  end
  if #stack > 1 then fail(name, text, stack[#stack].at, "{{#" .. stack[#stack].name .. "}} 没有用 {{/" .. stack[#stack].name .. "}} 结束") end
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

local function str(v)
  if type(v) == "string" then return v end
  if v == nil or v == false then return "" end
  if math.type(v) == "float" and v == math.floor(v) then return string.format("%d", v) end
  return tostring(v)
end

-- Each template is compiled once into a Lua function (the nodes written
-- out as straight-line code, every name and text a constant), since a
-- report's tables fill a row template hundreds of times: walking the node
-- list for each was most of a render.  The generated code only does what
-- the node walk would: look names up from the innermost context out, test
-- sections, call partials; no name or text of a template ever becomes code.
local compile

local compiled = {}

local function load_template(name)
  local fn = compiled[name]
  if not fn then
    fn = compile(parse(host.template(name), name), name)
    compiled[name] = fn
  end
  return fn
end

-- a section's value that counts as false: nil/false/""/0/{} (as code, inlined)
local FALSY = "(v == nil or v == false or v == '' or v == 0 or (type(v) == 'table' and next(v) == nil))"

-- what the generated code calls (it sees no other value)
local RT = { lookup = lookup, str = str, type = type, next = next }

function RT.partial(name, ctx, depth, escape, out, n, nesting, memo)
  if nesting > 20 then error("模板 " .. name .. "：局部模板（{{> …}}）嵌套超过 20 层：是否引用了自己？", 0) end
  return load_template(name)(ctx, depth, escape, out, n, nesting + 1, memo)
end

-- A value's escaped text, escape(str(v)), is remembered per escape
-- function known to give the same text for the same value (PURE, below):
-- the values of a report's tables (numbers, labels, cell ids, the
-- renderer's own fields) recur in every row and every report, and the
-- generated code then finds a value's text with one index, without a call.
-- Short strings, numbers and booleans only; a memo holding more than
-- MEMO_MAX values is started afresh at the next render.  Any other escape
-- function gets NOMEMO, never written: it is called for every value.
local MEMO_MAX = 4096
local PURE, memo_of, memo_count = {}, {}, {}
local NOMEMO = {}

function RT.escaped(memo, escape, v)
  local t = type(v)
  local e = escape(t == "string" and v or str(v))
  if memo ~= NOMEMO and (t == "number" and v == v or t == "boolean" or t == "string" and #v <= 96) then
    memo[v] = e
    memo_count[escape] = memo_count[escape] + 1
  end
  return e
end

local function memo_for(escape)
  if not PURE[escape] then return NOMEMO end
  local m = memo_of[escape]
  if not m or memo_count[escape] > MEMO_MAX then
    m = {}
    memo_of[escape], memo_count[escape] = m, 0
  end
  return m
end

-- code that leaves the value of node's name in local v, looked up with
-- depth variable d at section level; the contexts of this template's levels
-- are also in locals c<level> (an empty table for one that is no table), so
-- that a name found there, as most are, costs an index each
local function emit_lookup(code, K, node, d, level)
  if node.first == "." then
    code[#code + 1] = "v = ctx[" .. d .. "]"
  elseif node.rest or not node.first then
    K[#K + 1] = node
    code[#code + 1] = "v = lookup(ctx, " .. d .. ", K[" .. #K .. "])"
  else
    K[#K + 1] = node.first
    local key = "K[" .. #K .. "]"
    local parts = {}
    for l = level, 0, -1 do parts[#parts + 1] = "v = c" .. l .. "[" .. key .. "] if v == nil then " end
    parts[#parts + 1] = "for i = depth - 1, 1, -1 do local c = ctx[i] if type(c) == 'table' then v = c[" .. key ..
      "] if v ~= nil then break end end end"
    code[#code + 1] = concat(parts) .. string.rep(" end", level + 1)
  end
end

-- local c<level> (emit_lookup) for the context in variable x
local function emit_context(code, x, c)
  code[#code + 1] = "local " .. c .. " = " .. x .. " if type(" .. c .. ") ~= 'table' then " .. c .. " = NONE end"
end

-- does anything in nodes read the context stack ctx itself ({{.}}, a
-- dotted name, a partial), so that a section's context must be put there?
-- (the other names are found in the c<level> locals)
local function reads_stack(nodes)
  for _, node in ipairs(nodes) do
    if type(node) == "table" then
      if node.partial or ((node.var or node.section) and (node.first == "." or node.rest or not node.first)) or
        (node.section and reads_stack(node.body)) then
        return true
      end
    end
  end
  return false
end

local function emit(code, K, nodes, level)
  local d = level == 0 and "depth" or ("d" .. level)
  for _, node in ipairs(nodes) do
    if type(node) == "string" then
      K[#K + 1] = node
      code[#code + 1] = "n = n + 1 out[n] = K[" .. #K .. "]"
    elseif node.var then
      code[#code + 1] = "do local v"
      emit_lookup(code, K, node, d, level)
      if node.raw then
        code[#code + 1] = "if type(v) ~= 'string' then v = str(v) end n = n + 1 out[n] = v end"
      else
        code[#code + 1] = "local e = memo[v] if e == nil then e = escaped(memo, escape, v) end n = n + 1 out[n] = e end"
      end
    elseif node.section then
      code[#code + 1] = "do local v"
      emit_lookup(code, K, node, d, level)
      if node.inverted then
        code[#code + 1] = "if " .. FALSY .. " then"
        emit(code, K, node.body, level)
        code[#code + 1] = "end end"
      else
        -- the falsy values of FALSY, with type(v) taken once for the others
        local inner = "d" .. (level + 1)
        local stack = reads_stack(node.body)
        code[#code + 1] = "if v ~= nil and v ~= false then local t = type(v)"
        code[#code + 1] = "local " .. inner .. " = " .. d .. " + 1"
        code[#code + 1] = "if t == 'table' and v[1] ~= nil then local k, item = 1, v[1]"
        code[#code + 1] = "while item ~= nil do" .. (stack and (" ctx[" .. inner .. "] = item") or "")
        emit_context(code, "item", "c" .. (level + 1))
        emit(code, K, node.body, level + 1)
        code[#code + 1] = "k = k + 1 item = v[k] end"
        code[#code + 1] = "elseif t == 'table' and next(v) ~= nil or t ~= 'table' and v ~= '' and v ~= 0 then"
        code[#code + 1] = (stack and ("ctx[" .. inner .. "] = v ") or "") .. "local c" .. (level + 1) ..
          " = t == 'table' and v or NONE"
        emit(code, K, node.body, level + 1)
        code[#code + 1] = "end" .. (stack and (" ctx[" .. inner .. "] = nil") or "") .. " end end"
      end
    else
      K[#K + 1] = node.partial
      code[#code + 1] = "n = partial(K[" .. #K .. "], ctx, " .. d .. ", escape, out, n, nesting, memo)"
    end
  end
end

local MAX_CONST_LOCALS = 180

-- nodes → function(ctx, depth, escape, out, n, nesting, memo) → n: appends
-- the filled text to out[n+1…]; ctx holds depth contexts, innermost last;
-- memo: escaped texts by value (memo_for(escape))
function compile(nodes, name)
  local code, K = {}, {}
  emit_context(code, "ctx[depth]", "c0")
  emit(code, K, nodes, 0)
  code[#code + 1] = "return n end"
  local body = concat(code, "\n")
  -- the constants as locals of the chunk (K1 = K[1], …), so that the
  -- function reads each as an upvalue, one instruction, not an index of K:
  -- the row template's constants are read hundreds of times a render.
  -- (Lua allows 200 locals: a template with more keeps indexing K.)  All
  -- of that on the first line, so the code's lines stay where they were.
  local consts = ""
  if #K > 0 and #K <= MAX_CONST_LOCALS then
    local names, refs = {}, {}
    for i = 1, #K do names[i], refs[i] = "K" .. i, "K[" .. i .. "]" end
    consts = "local " .. concat(names, ", ") .. " = " .. concat(refs, ", ") .. " "
    body = gsub(body, "K%[(%d+)%]", "K%1")
  end
  local chunk, err = load("local K, RT = ... local lookup, str, type, next, partial, escaped = RT.lookup, RT.str, " ..
    "RT.type, RT.next, RT.partial, RT.escaped local NONE = {} " .. consts ..
    "return function(ctx, depth, escape, out, n, nesting, memo)\n" .. body, "=template " .. name, "t", {})
  if not chunk then error("模板 " .. name .. " 编译出错：" .. err, 0) end
  return chunk(K, RT)
end

local function identity(s) return s end

-- The list a render's pieces go into is kept for the next render (its
-- entries past the pieces written are never read): made afresh, it grew
-- and was rehashed a dozen times for every page, a tenth of an HTML
-- render.  A render started while one is running (from an escape
-- function), or after one that raised, takes a list of its own.
local spare

-- Fills templates/NAME (a user template directory overrides it) with values.
function M.render(name, values, escape)
  local out = spare or {}
  spare = nil
  escape = escape or identity
  local n = load_template(name)({ values }, 1, escape, out, 0, 0, memo_for(escape))
  local text = concat(out, "", 1, n)
  spare = out
  return text
end

-- Fills a template given as text (name is used in error messages).
function M.render_string(text, values, escape, name)
  name = name or "(string)"
  local out = {}
  escape = escape or identity
  local n = compile(parse(text, name), name)({ values }, 1, escape, out, 0, 0, memo_for(escape))
  return concat(out, "", 1, n)
end

local MARKUP = { ["&"] = "&amp;", ["<"] = "&lt;", [">"] = "&gt;", ['"'] = "&quot;", ["'"] = "&#39;" }

-- does s hold a character MARKUP replaces?  Five plain searches (memchr)
-- rather than one for the class "[&<>\"']": Lua's matcher tries the class
-- at every byte, which took a tenth of an HTML render on the paragraphs
local function has_special(s)
  return find(s, "&", 1, true) or find(s, "<", 1, true) or find(s, ">", 1, true) or find(s, '"', 1, true) or
    find(s, "'", 1, true)
end

-- escaping for HTML and XML text and attribute values; most values (the
-- numbers, the labels) recur in every report, so the escaped form of a
-- short one is remembered (up to MEMO_MAX strings, then afresh)
local SPECIAL = "[&<>\"']"
local memo, memo_n = {}, 0
function M.escape_markup(s)
  local e = memo[s]
  if e then return e end
  e = has_special(s) and (gsub(s, SPECIAL, MARKUP)) or s
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

PURE[identity], PURE[M.escape_markup], PURE[M.escape_xml] = true, true, true

return M
