# The hostile-plugin suite (issues 14.3 and 15.2): one plugin per attack,
# loaded beside the built-in ones.  Its importer (for *.hostile files) makes
# the attack when a.hostile is read, in one batch with a real report after
# it; and as it loads it vandalises everything it can reach (its string,
# table and math libraries, its host table, the shared lib modules and the
# declarations it is handed).  Each attack must be refused with a Chinese
# message naming the plugin and the file, exit 2, within its documented
# limit (the budget or the ceiling, never the time limit unless that is the
# only one that applies), and the report after it must be checked and
# rendered byte for byte as without the plugin.  Attacks made while a plugin
# loads, one per kind, are in sandbox.sh and limits.sh.

export NIANBAO_LUA_INSTRUCTIONS=5 NIANBAO_LUA_MEMORY_MB=16 NIANBAO_LUA_SECONDS=5
EX="$NB_ROOT/examples/example-county-transport-2024.txt"
STEM=example-county-transport-2024

# hostile_importer: plugins/hostile.lua, whose import runs standard input
# (Lua statements, `src` the file read) as the attack
hostile_importer() {
  local body; body=$(cat)
  plugin hostile.lua <<EOF
local host = ...
-- as it loads: vandalise what this plugin can reach; none of it may reach
-- the built-in plugins
local function evil() return "EVIL" end
local function copy(t) local c = {} for k, v in pairs(t) do c[k] = v end return c end
local saved = { string = copy(string), table = copy(table), math = copy(math) }
for _, lib in ipairs({ string, table, math }) do
  for k in pairs(lib) do pcall(function() lib[k] = evil end) end
end
for k, v in pairs(host) do
  if type(v) == "function" and k ~= "importer" and k ~= "lib" and k ~= "format_decl" and k ~= "format_ids" then
    pcall(function() host[k] = evil end)
  end
end
for _, name in ipairs({ "template", "grid", "document", "draft" }) do
  local ok, m = pcall(host.lib, name)
  if ok and type(m) == "table" then
    for k, v in pairs(m) do if type(v) == "function" then m[k] = evil end end
  end
end
local function vandalise(t, seen)
  if seen[t] then return end
  seen[t] = true
  for k, v in pairs(t) do
    if k == "label" and type(v) == "string" then t[k] = "EVIL" .. v end
    if type(v) == "table" then vandalise(v, seen) end
  end
end
for _, id in ipairs(host.format_ids()) do vandalise(host.format_decl(id), {}) end
host.format_decl = evil
host.lib = evil
local pairs0, type0, tostring0 = pairs, type, tostring
pairs, type, tostring = evil, evil, evil -- its own environment's: no one else's
local pairs, type, tostring = pairs0, type0, tostring0

-- the attack, with the libraries as they were
local string, table, math = saved.string, saved.table, saved.math
local function attack(src)
$body
end
host.importer { id = "hostile", description = "敌意插件", extensions = { "hostile" },
  import = function(src) attack(src) return { format = "gov-2021", meta = { year = 2023 } } end }
EOF
}

# the "reports" part of check --json output
reports_of() { awk '/^\t"reports":/ { on = 1 } /^\t"(unreadable_files|summary)":/ { on = 0 } on' "$1"; }

# expect_refused REGEX: the attack refused with a message matching REGEX
# (after the plugin and file); the report after it as without the plugin
PREFIX="^导入插件 'hostile'（plugins/hostile\.lua）读 a\.hostile 时出错："
expect_refused() {
  echo "x" > a.hostile
  local to
  for to in md html; do
    "$NIANBAO" render --to $to -o ref-$to/ "$EX" 2> /dev/null || { fail "render --to $to without the plugin failed"; return 1; }
    run render --to $to -o out-$to a.hostile "$EX" --plugin-dir plugins || return 1
    expect_status 2 &&
      expect_stderr_re "$PREFIX.*$1" || return 1
    ! grep -q "时间限制" stderr.txt || { fail "stopped by the time limit, not by its own limit"; return 1; }
    [ ! -e out-$to/a.$to ] || { fail "the hostile file was rendered"; return 1; }
    cmp -s ref-$to/$STEM.$to out-$to/$STEM.$to ||
      { fail "$STEM.$to differs with the hostile plugin: $(diff ref-$to/$STEM.$to out-$to/$STEM.$to | head -5)"; return 1; }
  done
  "$NIANBAO" check --json "$EX" > ref.json 2> /dev/null || { fail "check without the plugin failed"; return 1; }
  run check --json a.hostile "$EX" --plugin-dir plugins || return 1
  expect_status 2 && grep -q '"file":.*"a\.hostile"' stdout.txt || { fail "check --json does not list a.hostile"; return 1; }
  reports_of ref.json > ref.reports
  reports_of stdout.txt > out.reports
  [ -s ref.reports ] && cmp -s ref.reports out.reports || fail "check --json differs: $(diff ref.reports out.reports | head -5)"
}

BUDGET="插件超出了指令预算（5 百万条指令）"
CEILING="插件超出了内存上限（16 MiB）"

# reaching for what the host does not lend
test_hostile_os_execute() { hostile_importer <<<'os.execute("touch pwned")'; expect_refused "未知的全局变量 'os'" && [ ! -e pwned ] || fail "pwned"; }
test_hostile_io_open() { hostile_importer <<<'io.open("/etc/passwd")'; expect_refused "未知的全局变量 'io'"; }
test_hostile_require() { hostile_importer <<<'require("os")'; expect_refused "未知的全局变量 'require'"; }
test_hostile_package_loadlib() { hostile_importer <<<'package.loadlib("libc.so.6", "system")'; expect_refused "未知的全局变量 'package'"; }
test_hostile_debug() { hostile_importer <<<'debug.sethook()'; expect_refused "未知的全局变量 'debug'"; }
test_hostile_rawset() { hostile_importer <<<'rawset(host, "importer", nil)'; expect_refused "未知的全局变量 'rawset'"; }
test_hostile_binary_chunk() {
  hostile_importer <<'EOF'
local f, e = load("\27LuaT\0\25\147\r\n\26\n\4\8\8", "x", "b")
if not f then error("二进制代码块被拒绝：" .. e) end
f()
EOF
  expect_refused "二进制代码块被拒绝：attempt to load a binary chunk"
}
test_hostile_loaded_text_reaching_os() { hostile_importer <<<'load("return os.getenv(\"HOME\")")()'; expect_refused "未知的全局变量 'os'"; }

# poisoning what others share
test_hostile_string_metatable() {
  hostile_importer <<<'getmetatable("").__index = { upper = function() return "EVIL" end }'
  expect_refused "attempt to index a boolean value"
}
test_hostile_setting_a_global() { hostile_importer <<<'shared_state = "EVIL"'; expect_refused "给全局变量 'shared_state' 赋值"; }
test_hostile_reads_another_plugins_globals() {
  hostile_importer <<<'error("看到的 md 渲染器：" .. tostring(rawget(_ENV, "render_md")))'
  expect_refused "看到的 md 渲染器：nil"
}

# endless loops, however hidden
test_hostile_loop_inside_pcall() { hostile_importer <<<'while true do pcall(function() while true do end end) end'; expect_refused "$BUDGET"; }
test_hostile_loop_in_a_gsub_callback() {
  hostile_importer <<<'string.gsub(string.rep("a", 100), "a", function() while true do end end)'
  expect_refused "$BUDGET"
}
test_hostile_index_metamethod_loop() {
  hostile_importer <<<'local t = setmetatable({}, {}) getmetatable(t).__index = t return t.x'
  expect_refused "__index' chain too long; possible loop（元表的 __index/__newindex 链太长"
}
test_hostile_index_function_recursion() {
  hostile_importer <<<'local t = setmetatable({}, { __index = function(t, k) return t[k .. "x"] end }) return t.a'
  expect_refused "C stack overflow（插件递归太深"
}
test_hostile_finalizer() { hostile_importer <<<'setmetatable({}, { __gc = function() while true do end end })'; expect_refused "插件不能使用 __gc 终结器"; }
test_hostile_loop_in_a_coroutine() {
  hostile_importer <<<'coroutine.wrap(function() while true do end end)()'
  expect_refused "$BUDGET"
}
test_hostile_resume_loop_of_a_yielding_coroutine() {
  # a few instructions per thread switch: the count hook must go on counting
  hostile_importer <<<'local co = coroutine.wrap(function() while true do coroutine.yield() end end) while true do co() end'
  expect_refused "$BUDGET"
}
test_hostile_loop_in_an_xpcall_handler() {
  hostile_importer <<<'while true do xpcall(function() error("x") end, function(e) while true do end end) end'
  expect_refused "$BUDGET"
}
test_hostile_coroutine_close_catching_the_budget() {
  hostile_importer <<'EOF'
while true do
  local co = coroutine.create(function()
    local x <close> = setmetatable({}, { __close = function() while true do end end })
    coroutine.yield()
  end)
  coroutine.resume(co)
  coroutine.close(co)
end
EOF
  expect_refused "$BUDGET"
}
test_hostile_tostring_recursion() {
  hostile_importer <<<'local t = setmetatable({}, { __tostring = function(t) return tostring(t) end }) error(tostring(t))'
  expect_refused "C stack overflow（插件递归太深"
}

# memory bombs
test_hostile_string_rep_bomb() { hostile_importer <<<'local s = string.rep("x", 1 << 40)'; expect_refused "string too large（字符串过大"; }
test_hostile_string_rep_under_lua_limits() { hostile_importer <<<'local s = string.rep("x", 1 << 30)'; expect_refused "$CEILING"; }
test_hostile_table_growth() { hostile_importer <<<'local t = {} for i = 1, 1e10 do t[i] = i end'; expect_refused "$CEILING"; }
test_hostile_concatenation_doubling() { hostile_importer <<<'local s = "x" while true do s = s .. s end'; expect_refused "$CEILING"; }
test_hostile_memory_bomb_inside_pcall() {
  hostile_importer <<<'local t = {} while true do pcall(function() for i = 1, 1e9 do t[#t + 1] = tostring(i) end end) end'
  expect_refused "$CEILING"
}
test_hostile_deep_recursion() { hostile_importer <<<'local function f(n) return f(n + 1) + 1 end f(1)'; expect_refused "($CEILING|插件递归太深)"; }
test_hostile_pcall_of_stack_overflows() {
  hostile_importer <<<'local function f() return 1 + f() end while true do pcall(f) end'
  expect_refused "(插件递归太深|$CEILING)"
}

# what the importer hands back to the host: checked by the host as it
# copies it, the plugin and the file named
hostile_report() { # Lua expression of the returned report
  plugin hostile.lua <<EOF
local host = ...
host.importer { id = "hostile", description = "敌意插件", extensions = { "hostile" },
  import = function(src) return $1 end }
EOF
  PREFIX="^导入插件交回的报告有误（a\.hostile）："
}
test_hostile_deep_table_returned() {
  hostile_report '(function() local t = { format = "gov-2021", meta = { year = 2023 }, tables = {} } local d = t.tables for i = 1, 300 do d.x = {} d = d.x end return t end)()'
  expect_refused "导入插件给的表 'x' 不在格式 gov-2021 中"
}
test_hostile_self_containing_table_returned() {
  hostile_report '(function() local t = { format = "gov-2021", meta = { year = 2023 }, tables = {} } t.tables.t3 = t.tables return t end)()'
  expect_refused "导入插件给表 t3 的行 't3' 不存在"
}
test_hostile_huge_string_returned() {
  hostile_report '{ format = "gov-2021", meta = { year = 2023, agency = string.rep("局", 20000000) } }'
  NIANBAO_LUA_MEMORY_MB=256 expect_refused "report: 'agency' 长 60000000 字节，超过了 4096 字节"
}
test_hostile_report_of_wrong_types() {
  hostile_report '{ format = host, meta = { year = 2023 } }'
  expect_refused "'format' 应为 string，而不是 table"
}
test_hostile_report_with_a_metatable_that_loops() {
  hostile_report 'setmetatable({}, { __index = function() while true do end end, __pairs = function() while true do end end })'
  expect_refused "report：声明用的表不能带元表（metatable）"
}
test_hostile_report_tables_whose_index_loops() {
  hostile_report '{ format = "gov-2021", meta = { year = 2023 }, tables = { t3 = setmetatable({}, { __index = function() while true do end end }) } }'
  expect_refused "$BUDGET"
}

# names that would climb out of -o: refused as the plugin registers them
test_hostile_renderer_extension_climbing_out_of_the_output_directory() {
  plugin esc.lua <<'EOF'
local host = ...
host.renderer { id = "esc", description = "d", extension = "/../../escaped", render = function() return "x" end }
EOF
  mkdir -p "out/$STEM." # where out/STEM./../../escaped would resolve: beside out
  run render --to esc -o out/ "$EX" --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "plugins/esc\.lua:2: host\.renderer 的 extension '/\.\./\.\./escaped' 不可用" || return 1
  [ -z "$(find . -name '*escaped*')" ] || fail "written outside -o: $(find . -name '*escaped*')"
}

test_hostile_plugin_ids_with_dotdot() {
  local decl
  for decl in 'host.renderer { id = "../x", description = "d", extension = "x", render = function() return "" end }' \
    'host.importer { id = "../../x", description = "d", extensions = { "x" }, import = function() return {} end }' \
    'host.importer { id = "x", description = "d", extensions = { "../x" }, import = function() return {} end }' \
    'host.format { id = "../gov-2021", name = "x", sections = {}, tables = {} }'; do
    mkdir -p plugins && printf 'local host = ...\n%s\n' "$decl" > plugins/ids.lua
    run formats --plugin-dir plugins || return 1
    expect_status 2 && expect_stderr_re "plugins/ids\.lua:2: host\.(renderer|importer|format) 的 (id|extensions) '(\.\./)+(x|gov-2021)' 不可用" || return 1
  done
}

# terminal escapes (issue 15.3) in everything a plugin names or says, and in
# the output paths a user gives: shown as \x1b in every message, never raw
expect_no_raw_escape() {
  ! grep -q "$(printf '\033')" stdout.txt stderr.txt || { fail "a raw ESC reached the terminal ($*)"; return 1; }
  grep -qF '\x1b' stdout.txt stderr.txt || fail "the escape is not shown as \\x1b ($*)"
}

test_hostile_terminal_escapes_in_names_and_messages() {
  plugin esc.lua <<'EOF'
local host = ...
host.format {
  id = "tiny", name = "一格\27[31m", year_from = 1990, year_to = 1990,
  sections = { { id = "s", label = "一、总体\27[1m情况", match = { "总体情况" } } },
  tables = { { id = "t", label = "表\27[1m", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数\27[1m" } }, rows = { { id = "r", label = "行\27[1m" } } } } } },
  rules = {
    { id = "CELL", severity = "warning", source = "inferred", kind = "lua", message = "规则\27[1m说明",
      fn = function(report) return { { message = "看\27[1m这里", table = "t", row = "r", column = "c", actual = "7\27[1m" } } end },
  },
}
host.importer { id = "tiny", description = "导入\27]0;title\7", extensions = { "tiny" },
  import = function() return { format = "tiny", meta = { year = 1990, agency = "局\27[1m" }, tables = { t = { r = { c = "7", _line = 3 } } } } end }
host.importer { id = "bad", description = "d", extensions = { "bad" },
  import = function(src) host.input_error(3, "第3行“\27[5m闪”不对") end }
host.renderer { id = "esc", description = "描述\27[31m红", extension = "esc", render = function() error("坏\27[2J了") end }
EOF
  echo x > r.tiny
  echo x > r.bad
  local c
  for c in plugins formats "rules --format tiny" "check r.tiny" "check r.bad" "render $EX --to esc"; do
    run $c --plugin-dir plugins || return 1
    expect_no_raw_escape "$c" || return 1
  done
}

test_hostile_terminal_escapes_in_output_paths() {
  local out; out=$(printf 'x\033[1m')
  run render "$EX" --to md -o "$out.md" || return 1
  expect_status 0 && expect_no_raw_escape "已写入" || return 1
  run render "$EX" --to md -o "$out.md" || return 1
  expect_status 2 && expect_stderr "已经存在" && expect_no_raw_escape "已经存在" || return 1
  run render --to md -o "$out/" "$EX" "$EX" || return 1
  expect_no_raw_escape "render batch"
}
