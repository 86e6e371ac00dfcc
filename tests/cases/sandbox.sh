# The plugin sandbox: a broken, endless, greedy or nosy plugin stops nianbao
# with exit 2 and a message naming the plugin file (and line), never a
# crash.  Small limits keep these fast.

export NIANBAO_LUA_INSTRUCTIONS=5 NIANBAO_LUA_MEMORY_MB=16
SG="$NB_CORPUS/shanggao-commerce-2023.txt"

# loads the plugins in ./plugins; expects exit 2 and stderr matching $1
expect_plugin_refused() {
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "$1"
}

test_syntax_error_names_file_and_line() {
  plugin bad.lua <<'EOF'
local host = ...
local x = = 1
EOF
  expect_plugin_refused "^nianbao: 插件出错：plugins/bad\.lua:2: unexpected symbol near '='"
}

test_runtime_error_at_load_names_file_line_and_traceback() {
  plugin bad.lua <<'EOF'
local host = ...
local t = nil
local x = t.field
EOF
  expect_plugin_refused "plugins/bad\.lua:3: attempt to index a nil value" && expect_stderr "stack traceback:"
}

test_endless_loop_is_stopped() {
  plugin loop.lua <<'EOF'
while true do end
EOF
  expect_plugin_refused "plugins/loop\.lua:1: 插件超出了指令预算（5 百万条指令）"
}

test_endless_loop_inside_pcall_is_stopped() {
  plugin loop.lua <<'EOF'
local host = ...
while true do pcall(function() while true do end end) end
EOF
  expect_plugin_refused "plugins/loop\.lua:2: 插件超出了指令预算"
}

test_endless_loop_inside_xpcall_and_coroutine_is_stopped() {
  plugin loop.lua <<'EOF'
local co = coroutine.wrap(function() while true do end end)
while true do
  xpcall(co, function(e) return e end)
  coroutine.resume(coroutine.create(function() while true do end end))
end
EOF
  expect_plugin_refused "plugins/loop\.lua:1: 插件超出了指令预算"
}

test_endless_loop_in_a_renderer_is_stopped() {
  need_corpus
  plugin loop.lua <<'EOF'
local host = ...
host.renderer { id = "loop", description = "never ends", extension = "loop",
  render = function(report) while true do end end }
EOF
  run render "$SG" --to loop -o out.loop --plugin-dir plugins || return 1
  expect_status 2 &&
    expect_stderr_re "^输出插件 'loop'（plugins/loop\.lua）出错：plugins/loop\.lua:3: 插件超出了指令预算" || return 1
  [ ! -e out.loop ] || fail "out.loop was written"
}

test_endless_loop_in_an_importer_is_stopped() {
  need_corpus
  plugin loop.lua <<'EOF'
local host = ...
host.importer { id = "loop", description = "never ends", extensions = { "loop" },
  import = function(src) while true do pcall(string.rep, "x", 10) end end }
EOF
  cp "$SG" r.loop
  run check r.loop --plugin-dir plugins || return 1
  expect_status 2 &&
    expect_stderr_re "^导入插件 'loop'（plugins/loop\.lua）读 r\.loop 时出错：plugins/loop\.lua:3: 插件超出了指令预算"
}

test_every_call_gets_a_fresh_budget() {
  # each call may use most of the budget: together they exceed it
  plugin busy.lua <<'EOF'
local host = ...
local function busy() local n = 0 for i = 1, 1500000 do n = n + i end return n end
host.importer { id = "busy", description = "busy", extensions = { "busy" },
  detect = busy,
  import = function(src) busy() return { format = "gov-2021", meta = { year = 2023 } } end }
host.renderer { id = "busy", description = "busy", extension = "busy",
  render = function() busy() return "done\n" end }
busy()
EOF
  echo x > r.busy
  run render r.busy --to busy --plugin-dir plugins || return 1
  expect_status 0 && expect_stdout "done"
}

test_endless_allocation_is_stopped() {
  plugin hog.lua <<'EOF'
local t, i = {}, 0
while true do i = i + 1; t[i] = string.rep("x", 100) .. i end
EOF
  expect_plugin_refused "^nianbao: 插件出错：plugins/hog\.lua: 插件超出了内存上限（16 MiB）"
}

test_endless_allocation_inside_pcall_is_stopped() {
  plugin hog.lua <<'EOF'
local t = {}
while true do
  pcall(function() for i = 1, 1e9 do t[#t + 1] = { i, tostring(i) } end end)
end
EOF
  expect_plugin_refused "plugins/hog\.lua: 插件超出了内存上限"
}

test_one_huge_string_is_stopped() {
  plugin hog.lua <<'EOF'
local s = string.rep("x", 1 << 30)
EOF
  expect_plugin_refused "plugins/hog\.lua: 插件超出了内存上限"
}

test_memory_pressure_that_a_collection_relieves_is_fine() {
  need_corpus
  # more than half the ceiling kept, then garbage: emergency collections
  # free it, and a call that succeeded after one is a success
  plugin churn.lua <<'EOF'
local host = ...
local keep = {}
for i = 1, 10 do keep[i] = string.rep("k", 1000000) .. i end -- 10 MB kept
for i = 1, 30000 do local g = string.rep("g", 1000) .. i end  -- 30 MB of garbage
host.renderer { id = "churn", description = "d", extension = "churn", render = function() return #keep .. "\n" end }
EOF
  run render "$SG" --to churn --plugin-dir plugins || return 1
  expect_status 0 && expect_stdout "10"
}

# The built-in files load with the collector resting (plugin_host.c): it
# runs again for what follows, so a plugin's garbage (200 MB of it, under
# the default 256 MiB ceiling) is collected as it goes, not at the ceiling.
test_collector_runs_after_the_built_in_files_load() {
  need_corpus
  [ -x /usr/bin/time ] || { fail "/usr/bin/time (GNU time) is needed to measure peak memory"; return; }
  plugin garbage.lua <<'EOF'
local host = ...
for i = 1, 200000 do local g = string.rep("g", 1000) .. i end
host.renderer { id = "garbage", description = "d", extension = "g", render = function() return "ok\n" end }
EOF
  STATUS=0
  NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_MEMORY_MB=256 /usr/bin/time -f "%M" -o rss.txt "$NIANBAO" render "$SG" \
    --to garbage --plugin-dir plugins >stdout.txt 2>stderr.txt || STATUS=$?
  expect_status 0 && expect_stdout "ok" || return 1
  # AddressSanitizer's quarantine keeps up to 256 MB of freed memory resident
  ! ldd "$NIANBAO" | grep -q libasan || return 0
  [ "$(tail -n 1 rss.txt)" -lt 100000 ] || fail "peak memory $(tail -n 1 rss.txt) KB: the garbage was not collected"
}

# A plugin that has filled the Lua state to its ceiling makes the host's
# own next allocation fail (the report tables a renderer or rule receives,
# the environment of the next plugin): that is an error, never a panic.
filler_plugin() {
  plugin 10-fill.lua <<'EOF'
-- fills the Lua state up to its memory ceiling when asked and keeps what
-- it got (a detect that fails is said, and the file is not read)
local host = ...
local keep = {}
local function fill()
  while true do
    local t = {}
    keep[#keep + 1] = t
    for j = 1, 16 do t[j] = string.rep("x", 1000) .. #keep .. "." .. j end
  end
end
host.importer { id = "filler", description = "fills memory", detect = fill, import = fill }
EOF
}

test_memory_full_before_render_is_an_error_not_a_panic() {
  filler_plugin
  plugin 20-tiny.lua <<'EOF'
local host = ...
host.importer { id = "tiny", description = "a report with no cells, claims every file",
  detect = function() return true end,
  import = function() return { format = "gov-2021", meta = { year = 2023 } } end }
EOF
  echo x > r.dat
  run render r.dat --to md --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "^导入插件 'filler'（.*10-fill\.lua）的 detect 判断 r\.dat 时出错：插件超出了内存上限"
}

test_memory_full_before_import_is_an_error_not_a_panic() {
  need_corpus
  filler_plugin
  # no importer claims *.dat: the filler's detect is asked, fills memory and fails
  cp "$SG" r.dat
  run check r.dat --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "^导入插件 'filler'（.*10-fill\.lua）的 detect 判断 r\.dat 时出错：插件超出了内存上限"
}

test_memory_filled_by_a_finalizer_does_not_crash_loading() {
  plugin 10-fill.lua <<'EOF'
-- a finalizer would fill the memory up to the ceiling outside every limit:
-- finalizers are refused
local keep, full = {}, false
setmetatable({}, { __gc = function()
  full = true
  while true do keep[#keep + 1] = string.rep("x", 1000) .. #keep end
end })
while not full do local garbage = {} end
EOF
  plugin 20-next.lua <<'EOF'
local host = ...
host.renderer { id = "next", description = "d", extension = "next", render = function() return "" end }
EOF
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "plugins/10-fill.lua:4: 插件不能使用 __gc 终结器"
}

test_memory_full_before_a_lua_rule_is_a_finding_not_a_panic() {
  plugin rules.lua <<'EOF'
-- a format of 2000 cells whose first rule fills the memory, so the second
-- (handed the report table the first was given) cannot make its own
local host = ...
local keep, columns, rows = {}, {}, {}
for c = 1, 20 do columns[c] = { id = "c" .. c, label = "列" .. c } end
for r = 1, 100 do rows[r] = { id = "r" .. r, label = "行" .. r } end
host.format {
  id = "big", name = "2000 cells", year_from = 1990, year_to = 1990,
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = { { id = "t", label = "表", section = "s", blocks = { { id = "b", columns = columns, rows = rows } } } },
  rules = {
    { id = "FILL", severity = "warning", source = "inferred", kind = "lua", message = "fills",
      fn = function() while true do keep[#keep + 1] = string.rep("x", 1000) .. #keep end end },
    { id = "NEXT", severity = "warning", source = "inferred", kind = "lua", message = "next",
      fn = function() local s = string.rep("y", 100000); return { { message = s } } end },
  },
}
host.importer { id = "big", description = "d", extensions = { "big" },
  import = function() return { format = "big", meta = { year = 1990 } } end }
EOF
  echo x > r.big
  run check --json r.big --plugin-dir plugins || return 1
  # a rule that fails is reported as an error-level finding of that rule
  expect_status 1 && expect_findings FILL NEXT &&
    expect_finding_field FILL severity error &&
    expect_finding_field NEXT severity error &&
    expect_finding_field NEXT message "规则插件出错，未能检查：插件超出了内存上限.*"
}

test_lua_rule_that_loops_is_a_finding() {
  plugin rules.lua <<'EOF'
local host = ...
host.format {
  id = "tiny", name = "one cell", year_from = 1990, year_to = 1990,
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = { { id = "t", label = "表", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数" } }, rows = { { id = "r", label = "行" } } } } } },
  rules = {
    { id = "LOOP", severity = "warning", source = "inferred", kind = "lua", message = "loops",
      fn = function() while true do end end },
    { id = "CELL", severity = "warning", source = "inferred", kind = "lua", message = "pinned",
      fn = function(report) return { { message = "看这里", table = "t", row = "r", column = "c", actual = report.tables.t.r.c } } end },
  },
}
host.importer { id = "tiny", description = "d", extensions = { "tiny" },
  import = function() return { format = "tiny", meta = { year = 1990 }, tables = { t = { r = { c = "7", _line = 3 } } } } end }
EOF
  echo x > r.tiny
  run check --json r.tiny --plugin-dir plugins || return 1
  expect_status 1 && expect_findings LOOP CELL &&
    expect_finding_field LOOP severity error &&
    expect_stdout "指令预算" &&
    expect_finding_field CELL message "看这里" &&
    expect_finding_field CELL column c &&
    expect_finding_field CELL actual 7 &&
    expect_finding_number CELL line 3 || return 1
  # one line per finding, the failing rule's message included
  run check r.tiny --plugin-dir plugins || return 1
  expect_status 1 && expect_stdout "r.tiny: 错误 error [LOOP] 规则插件出错，未能检查：plugins/rules.lua:" &&
    expect_stdout "r.tiny:3: 警告 warning [CELL] 表“行”×“数”：看这里" || return 1
  [ "$(wc -l < stdout.txt)" -eq 3 ] || fail "expected 2 finding lines and the summary"
}

# a plugin reaching for what the host does not lend
expect_forbidden() { # name of the global, plugin code
  plugin nosy.lua <<EOF
local host = ...
$2
EOF
  expect_plugin_refused "plugins/nosy\.lua:2: 未知的全局变量 '$1'"
}

test_os_execute_is_absent() { expect_forbidden os 'os.execute("touch pwned")' && [ ! -e pwned ] || fail "os.execute ran"; }
test_io_open_is_absent() { expect_forbidden io 'io.open("/etc/passwd")'; }
test_require_is_absent() { expect_forbidden require 'require("os")'; }
test_dofile_is_absent() { expect_forbidden dofile 'dofile("/etc/passwd")'; }
test_loadfile_is_absent() { expect_forbidden loadfile 'loadfile("/etc/passwd")'; }
test_print_is_absent() { expect_forbidden print 'print("hello")'; }
test_debug_is_absent() { expect_forbidden debug 'debug.sethook()'; }
test_collectgarbage_is_absent() { expect_forbidden collectgarbage 'collectgarbage("stop")'; }
test_package_is_absent() { expect_forbidden package 'package.loadlib("libc.so.6", "system")'; }

test_binary_chunks_are_refused_by_load() {
  plugin nosy.lua <<'EOF'
local f, e = load("\27LuaT\0\25\147\r\n\26\n\4\8\8")
error("load gave " .. tostring(f) .. ": " .. tostring(e))
EOF
  expect_plugin_refused "load gave nil: .*attempt to load a binary chunk \(mode is 't'\)"
}

test_binary_chunks_are_refused_whatever_mode_is_asked() {
  plugin nosy.lua <<'EOF'
local f, e = load("\27LuaT\0", "x", "b")
error("load gave " .. tostring(f) .. ": " .. tostring(e))
EOF
  expect_plugin_refused "load gave nil: .*binary chunk"
}

test_string_dump_is_absent() {
  plugin nosy.lua <<'EOF'
error("string.dump is " .. type(string.dump))
EOF
  expect_plugin_refused "string\.dump is nil"
}

test_loaded_text_runs_in_the_sandbox() {
  plugin nosy.lua <<'EOF'
local f = load("return os")
f()
EOF
  expect_plugin_refused "未知的全局变量 'os'"
}

test_string_metatable_is_out_of_reach() {
  plugin nosy.lua <<'EOF'
local mt = getmetatable("")
error("string metatable is " .. tostring(mt))
EOF
  expect_plugin_refused "string metatable is false"
}

test_setting_a_global_is_refused() {
  plugin global.lua <<'EOF'
local host = ...
counter = 1
EOF
  expect_plugin_refused "plugins/global\.lua:2: 给全局变量 'counter' 赋值：插件中的变量必须用 local 声明"
}

test_reading_an_unknown_global_is_refused() {
  plugin global.lua <<'EOF'
local n = undefined_name
EOF
  expect_plugin_refused "plugins/global\.lua:1: 未知的全局变量 'undefined_name'"
}

test_plugins_do_not_share_globals() {
  plugin 10-a.lua <<'EOF'
local host = ...
string.shared = "from a"
EOF
  plugin 20-b.lua <<'EOF'
error("b sees " .. tostring(string.shared))
EOF
  expect_plugin_refused "b sees nil"
}

# the libraries are copied into a file's environment when it first names
# one: each file still gets its own, whole, and may assign the name
test_libraries_copied_on_first_use_are_each_files_own() {
  plugin 10-a.lua <<'EOF'
utf8 = "mine"
assert(utf8 == "mine", "utf8 not assigned")
math.pi = 3
coroutine.extra = 1
string.upper = nil
EOF
  plugin 20-b.lua <<'EOF'
local n = 0
for _ in pairs(string) do n = n + 1 end
error("b sees " .. type(utf8) .. " " .. math.pi .. " " .. tostring(coroutine.extra) .. " " .. n .. " "
  .. type(string.upper) .. " " .. tostring(string.dump) .. " " .. type(table.concat))
EOF
  expect_plugin_refused "b sees table 3\\.1415926535898 nil 16 function nil function"
}

test_error_object_with_metamethods_does_not_crash() {
  plugin err.lua <<'EOF'
error(setmetatable({}, { __index = function() error("boom") end,
                         __tostring = function() while true do end end }))
EOF
  expect_plugin_refused "插件出错：plugins/err\.lua: （错误对象是 table 值，没有说明）"
}

test_error_table_that_is_no_input_error_is_a_plugin_error() {
  plugin err.lua <<'EOF'
error({ line = 3, message = "looks like an input error" })
EOF
  expect_plugin_refused "（错误对象是 table 值，没有说明）"
}

test_error_without_message() {
  plugin err.lua <<'EOF'
error()
EOF
  expect_plugin_refused "plugins/err\.lua: （错误对象是 nil 值，没有说明）"
}

test_input_error_from_an_importer_names_the_input() {
  plugin strict.lua <<'EOF'
local host = ...
host.importer { id = "strict", description = "d", extensions = { "strict" },
  import = function(src) host.input_error(7, "第7行不对：请改正") end }
EOF
  echo x > r.strict
  run check r.strict --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "^r\.strict:7: 第7行不对：请改正$"
}

test_runaway_pattern_match_is_stopped_by_the_time_limit() {
  # backtracking inside string.find runs in C, out of the instruction budget's reach
  plugin slow.lua <<'EOF'
local host = ...
local s = string.find(string.rep("a", 40), string.rep("a-", 40) .. "b")
EOF
  NIANBAO_LUA_SECONDS=1 run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "插件超出了时间限制"
}
