# Limits with no way around (issue 15.5): the instruction budget and the
# memory ceiling hold in message handlers, to-be-closed variables closed by
# coroutine.close and repeated stack overflows; C memory made for a plugin
# counts against its ceiling; an importer's detect runs under small limits
# and its failure is said.  A small time limit makes a dodge show as the
# time-limit message instead of the budget's.

export NIANBAO_LUA_INSTRUCTIONS=5 NIANBAO_LUA_MEMORY_MB=16 NIANBAO_LUA_SECONDS=5
SG="$NB_CORPUS/shanggao-commerce-2023.txt"

expect_no_stderr() { ! grep -qF -- "$1" stderr.txt || fail "stderr should not contain: $1"; }

expect_plugin_refused() {
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "$1"
}

test_loop_in_an_xpcall_message_handler_is_stopped_by_the_budget() {
  plugin h.lua <<'EOF2'
xpcall(function() error("x") end, function(e) while true do end end)
EOF2
  expect_plugin_refused "plugins/h\.lua:1: 插件超出了指令预算" && expect_no_stderr "时间限制"
}

test_handler_that_loops_again_after_the_budget_error_is_stopped() {
  plugin h.lua <<'EOF2'
while true do
  xpcall(function() while true do end end, function(e) local n = 0 while true do n = n + 1 end end)
end
EOF2
  expect_plugin_refused "plugins/h\.lua:2: 插件超出了指令预算" && expect_no_stderr "时间限制"
}

test_budget_error_swallowed_by_coroutine_close_is_reported() {
  # the __close loop runs out the budget; close returns the error and the
  # chunk ends before the next hook: the load must still fail
  plugin c.lua <<'EOF2'
local co = coroutine.create(function()
  local x <close> = setmetatable({}, { __close = function() while true do end end })
  coroutine.yield()
end)
coroutine.resume(co)
local ok, e = coroutine.close(co)
EOF2
  expect_plugin_refused "插件超出了指令预算"
}

test_budget_error_swallowed_by_coroutine_close_in_a_loop_is_stopped() {
  plugin c.lua <<'EOF2'
while true do
  local co = coroutine.create(function()
    local x <close> = setmetatable({}, { __close = function() while true do end end })
    coroutine.yield()
  end)
  coroutine.resume(co)
  coroutine.close(co)
end
EOF2
  expect_plugin_refused "插件超出了指令预算" && expect_no_stderr "时间限制"
}

test_pcall_of_a_stack_overflow_in_a_loop_is_stopped() {
  # each overflow costs far more than its instructions: it ends the plugin
  plugin s.lua <<'EOF2'
local function f() return 1 + f() end
while true do pcall(f) end
EOF2
  NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_MEMORY_MB=256 expect_plugin_refused "stack overflow（插件递归太深，栈已用尽：是否有无穷递归？）" &&
    expect_no_stderr "时间限制"
}

test_stack_overflow_in_a_message_handler_is_stopped() {
  plugin s.lua <<'EOF2'
local function f() return 1 + f() end
while true do xpcall(f, function(e) return f() end) end
EOF2
  NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_MEMORY_MB=256 expect_plugin_refused "插件递归太深" && expect_no_stderr "时间限制"
}

test_ordinary_errors_are_still_caught() {
  need_corpus
  plugin ok.lua <<'EOF2'
local host = ...
local ok, e = pcall(error, "x")
assert(not ok and e == "x")
local ok2, e2 = xpcall(function() error("y", 0) end, function(m) return "h:" .. m end)
assert(not ok2 and e2 == "h:y", tostring(e2))
local co = coroutine.create(function() local x <close> = setmetatable({}, { __close = function() error("z", 0) end }) coroutine.yield() end)
coroutine.resume(co)
local ok3, e3 = coroutine.close(co)
assert(not ok3 and e3 == "z", tostring(e3))
local ok4 = pcall(function() local t = {} t[nil] = 1 end)
assert(not ok4)
EOF2
  run check -q "$SG" --plugin-dir plugins || return 1
  expect_status 0
}

test_detect_that_loops_is_reported() {
  need_corpus
  plugin d.lua <<'EOF2'
local host = ...
host.importer { id = "d", description = "d", extensions = { "txt" },
  detect = function(head) while true do end end,
  import = function(src) return { format = "gov-2021", meta = { year = 2023 } } end }
EOF2
  NIANBAO_LUA_INSTRUCTIONS=500 run check "$SG" --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "导入插件 'd'（plugins/d\.lua）的 detect 判断 .* 时出错：plugins/d\.lua:3: 插件超出了指令预算（20 百万条指令）"
}

# host.pdf_words restarts the hook's delay after poppler's long C work (the
# ticks it took were not the plugin's): a loop after it is still stopped by
# the budget, not left to the time limit
test_loop_after_pdf_words_is_stopped_by_the_budget() {
  cp "$NB_ROOT/tests/fuzz/corpus/pdf/example.pdf" example.lpdf
  plugin l.lua <<'EOF2'
local host = ...
host.importer { id = "l", description = "l", extensions = { "lpdf" },
  import = function(src)
    local pages = host.pdf_words(src.text)
    local n = 0
    while #pages > 0 do n = n + 1 end
  end }
EOF2
  run check example.lpdf --via l --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "plugins/l\.lua:6: 插件超出了指令预算" && expect_no_stderr "时间限制"
}

test_detect_that_allocates_is_reported_under_its_own_ceiling() {
  need_corpus
  plugin d.lua <<'EOF2'
local host = ...
local keep = {}
host.importer { id = "d", description = "d", extensions = { "txt" },
  detect = function(head) for i = 1, 1e9 do keep[i] = head .. i end end,
  import = function(src) return { format = "gov-2021", meta = { year = 2023 } } end }
EOF2
  NIANBAO_LUA_MEMORY_MB=256 run check "$SG" --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "的 detect 判断" && expect_stderr "内存上限（16 MiB）"
}

test_detect_that_raises_is_reported() {
  need_corpus
  plugin d.lua <<'EOF2'
local host = ...
host.importer { id = "d", description = "d", extensions = { "txt" },
  detect = function(head) error("broken detect") end,
  import = function(src) return { format = "gov-2021", meta = { year = 2023 } } end }
EOF2
  run check "$SG" --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "broken detect"
}

test_csv_rows_in_c_count_against_the_ceiling() {
  [ -x /usr/bin/time ] || { fail "/usr/bin/time (GNU time) is needed to measure peak memory"; return; }
  plugin c.lua <<'EOF2'
local host = ...
host.importer { id = "c", description = "c", extensions = { "big" },
  import = function(src) local rows = host.csv_rows(src.text) return { format = "gov-2021", meta = { year = 2023 } } end }
EOF2
  # 24 MB of one-character cells: ~300 MB of C rows before they reach Lua
  awk 'BEGIN { l = "1"; for (i = 1; i < 1000; i++) l = l ",1"; for (i = 0; i < 12000; i++) print l }' > x.big
  STATUS=0
  NIANBAO_LUA_MEMORY_MB=64 /usr/bin/time -f "%M" -o rss.txt "$NIANBAO" check x.big --plugin-dir plugins \
    >stdout.txt 2>stderr.txt || STATUS=$?
  expect_status 2 && expect_stderr "插件超出了内存上限（64 MiB）" || return 1
  [ "$(tail -n 1 rss.txt)" -lt 250000 ] || fail "peak memory $(tail -n 1 rss.txt) KB: C rows were not counted"
}

# the document readers' C buffers (the parse tree, the blocks) count too
expect_doc_refused_within_the_ceiling() { # FILE
  [ -x /usr/bin/time ] || { fail "/usr/bin/time (GNU time) is needed to measure peak memory"; return; }
  STATUS=0
  NIANBAO_LUA_MEMORY_MB=64 NIANBAO_LUA_INSTRUCTIONS=500 /usr/bin/time -f "%M" -o rss.txt "$NIANBAO" check "$1" \
    >stdout.txt 2>stderr.txt || STATUS=$?
  expect_status 2 && expect_stderr "读 $1 时出错：插件超出了内存上限（64 MiB）" || return 1
  # AddressSanitizer's quarantine keeps freed memory resident: more room there
  local max=250000
  ! ldd "$NIANBAO" | grep -q libasan || max=600000
  [ "$(tail -n 1 rss.txt)" -lt $max ] || fail "peak memory $(tail -n 1 rss.txt) KB: the reader's C memory was not counted"
}

test_html_whose_text_exceeds_the_ceiling_is_refused() {
  # 35 MB of table rows: 770 MB resident and 18 s before the reader was counted
  awk 'BEGIN { print "<html><body><h1>某局2023年政府信息公开工作年度报告</h1><table>"
               for (i = 0; i < 400000; i++) print "<tr><td>一、本年新收政府信息公开申请数量</td><td>1</td><td>2</td></tr>"
               print "</table></body></html>" }' > big.html
  expect_doc_refused_within_the_ceiling big.html
}

test_html_whose_parse_tree_exceeds_the_ceiling_is_refused() {
  # 4 MB of <br> passes the size check (a tree 8 times the text) but makes
  # a million nodes of the reader's tree (and more of libxml2's parse):
  # counted as they are made (html_reader.c, host/io/lib_alloc.c), refused
  # at the ceiling, not read whole
  awk 'BEGIN { printf "<html><body><h1>某局2023年政府信息公开工作年度报告</h1>"
               for (i = 0; i < 1000000; i++) printf "<br>"; print "</body></html>" }' > dense.html
  NIANBAO_LUA_MEMORY_MB=32 NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_SECONDS=60 run check dense.html || return 1
  expect_status 2 && expect_stderr "读 dense.html 时出错：插件超出了内存上限（32 MiB）"
}

test_docx_whose_text_exceeds_the_ceiling_is_refused() {
  # 50 MB of document.xml in a 100 KB .docx
  mkdir -p d/word d/_rels
  printf '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>' > 'd/[Content_Types].xml'
  awk 'BEGIN { printf "<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>"
               printf "<w:p><w:r><w:t>某局2023年政府信息公开工作年度报告</w:t></w:r></w:p>"
               for (i = 0; i < 500000; i++) printf "<w:p><w:r><w:t>一、总体情况正文正文正文正文正文正文正文正文</w:t></w:r></w:p>"
               print "</w:body></w:document>" }' > d/word/document.xml
  (cd d && zip -q -r ../big.docx .) || { fail "zip failed"; return 1; }
  expect_doc_refused_within_the_ceiling big.docx
}

test_xlsx_whose_cells_exceed_the_ceiling_is_refused() {
  # 60 MB of sheet XML in a small .xlsx
  mkdir -p x/xl/worksheets
  printf '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>' > 'x/[Content_Types].xml'
  awk 'BEGIN { printf "<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
               for (i = 1; i <= 400000; i++) printf "<row r=\"%d\"><c r=\"A%d\" t=\"inlineStr\"><is><t>一、本年新收政府信息公开申请数量</t></is></c><c r=\"B%d\"><v>1</v></c></row>", i, i, i
               print "</sheetData></worksheet>" }' > x/xl/worksheets/sheet1.xml
  (cd x && zip -q -r ../big.xlsx .) || { fail "zip failed"; return 1; }
  expect_doc_refused_within_the_ceiling big.xlsx
}

test_small_page_with_a_huge_merged_grid_is_refused() {
  # 100 cells of colspan 256 × rowspan 1000, each over 1000 empty rows:
  # 1 MB of page that makes a grid of 25 million fields
  awk 'BEGIN { print "<html><body><h1>某局2023年政府信息公开工作年度报告</h1><table>"
               for (i = 0; i < 100; i++) { print "<tr><td colspan=\"256\" rowspan=\"1000\">x</td></tr>"
                                           for (j = 1; j < 1000; j++) print "<tr></tr>" }
               print "</table></body></html>" }' > grid.html
  expect_doc_refused_within_the_ceiling grid.html
}

# Bounded work (issue 14.1): one file never stops the others.

test_time_limit_in_a_batch_stops_only_that_file() {
  need_corpus
  plugin t.lua <<'EOF2'
local host = ...
host.importer { id = "t", description = "t", extensions = { "slow" },
  import = function(src) while true do local s = string.rep("x", 1e7) end end }
EOF2
  echo x > a.slow
  cp "$SG" b.txt
  printf 'a.slow\nb.txt\n' > list
  NIANBAO_LUA_SECONDS=1 NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_MEMORY_MB=256 \
    run check --files-from list --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "读 a.slow 时出错：插件超出了时间限制（1 秒）" &&
    expect_stdout "2 个报告" && expect_stdout "读出的 1 个报告"
}

test_time_limit_counts_from_each_call_not_from_the_first() {
  # the timers stay set between calls: thirty calls of ~0.3 s each, 9 s in
  # all, none of them near its own 3 s limit (ten times a call's time: a
  # loaded machine stretches a call's wall time), must all end on their own
  plugin t.lua <<'EOF2'
local host = ...
host.importer { id = "t", description = "t", extensions = { "slow" },
  import = function(src) local n = 0 for i = 1, 5e7 do n = n + i end error("算完了 " .. n) end }
EOF2
  local i
  for i in $(seq 10 39); do echo x > a$i.slow; done
  NIANBAO_LUA_SECONDS=3 NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_MEMORY_MB=256 \
    run check -j 1 --plugin-dir plugins a??.slow || return 1
  expect_status 2 && expect_no_stderr "时间限制" &&
    [ "$(grep -c '算完了 1250000025000000' stderr.txt)" = 30 ] || fail "every call should end on its own"
}

test_runaway_pattern_match_in_a_batch_stops_only_that_file() {
  # backtracking inside string.find (C): no hook stops it, the time limit
  # ends the process checking a.slow; the files after it, already handed
  # to that process, are checked by the next one (-j 1 too)
  need_corpus
  plugin t.lua <<'EOF2'
local host = ...
host.importer { id = "t", description = "t", extensions = { "slow" },
  import = function(src) return string.find(string.rep("a", 5000), "(.-)(.-)(.-)(.-)(.-)b") end }
EOF2
  echo x > a.slow
  cp "$SG" b.txt
  cp "$SG" c.txt
  printf 'a.slow\nb.txt\nc.txt\n' > list
  local j
  for j in 1 2; do
    NIANBAO_LUA_SECONDS=1 NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_MEMORY_MB=256 \
      run check -j $j --files-from list --plugin-dir plugins || return 1
    expect_status 2 && expect_stderr "nianbao: 读 a.slow 时：插件超出了时间限制" &&
      expect_stderr "a.slow：检查它的进程意外退出" && expect_stdout "3 个报告" && expect_stdout "读出的 2 个报告" ||
      return 1
  done
}

test_register_from_an_endless_recursive_view_ends_with_an_input_error() {
  sqlite3 r.sqlite "CREATE VIEW applications AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
    SELECT x AS 编号, '2023-01-01' AS 收到日期 FROM c;" || return 1
  NIANBAO_LUA_MEMORY_MB=256 NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_SECONDS=30 \
    run check --year 2023 r.sqlite || return 1
  expect_status 2 && expect_stderr "r.sqlite: SQLite 表“applications”超过 200000 行"
}

# the rows are counted before any is read: an endless view is refused without
# its 200,000 rows made into Lua tables (found by fuzz_register_sqlite: 2 s an
# input), so even a small memory ceiling is not reached
test_register_from_an_endless_view_is_refused_before_its_rows_are_read() {
  sqlite3 r.sqlite "CREATE VIEW applications AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
    SELECT x AS 编号, '2023-01-01' AS 收到日期 FROM c;" || return 1
  NIANBAO_LUA_MEMORY_MB=16 run check --year 2023 r.sqlite || return 1
  expect_status 2 && expect_stderr "r.sqlite: SQLite 表“applications”超过 200000 行" && expect_no_stderr "内存上限"
}

test_register_from_a_view_that_computes_forever_ends_with_an_input_error() {
  sqlite3 r.sqlite "CREATE VIEW applications AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
    SELECT x AS 编号 FROM c WHERE x < 0;" || return 1
  NIANBAO_LUA_MEMORY_MB=256 NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_SECONDS=30 \
    run check --year 2023 r.sqlite || return 1
  expect_status 2 && expect_stderr "r.sqlite: 读取 SQLite 表“applications”用了超过 3000 万步仍未读完"
}

# a mutated Markdown report: a malformed value is the input's fault, said with its line
expect_md_meta_refused() { # original, replacement
  "$NIANBAO" render "$NB_ROOT/examples/example-county-transport-2024.txt" --to md -o ex.md || { fail "render failed"; return 1; }
  sed "s/$1/$2/" ex.md > bad.md
  grep -qF "$2" bad.md || { fail "mutation not applied"; return 1; }
  NIANBAO_LUA_MEMORY_MB=256 NIANBAO_LUA_INSTRUCTIONS=500 run check bad.md || return 1
  expect_status 2 && expect_stderr_re "^bad\.md:3: nianbao 注释中的 .*应是四位数的年份" && expect_no_stderr "插件"
}
test_markdown_with_a_fractional_title_year_is_an_input_error() { expect_md_meta_refused "title_year=2024" "title_year=2024.5"; }
test_markdown_with_a_huge_year_is_an_input_error() { expect_md_meta_refused "; year=2024" "; year=1e300"; }

# The count hook is armed by a CPU timer on the running thread (issue 13):
# coroutines made before it fires, resumed or closed after, are counted too.
test_loop_in_a_coroutine_made_before_the_hook_is_armed_is_stopped() {
  plugin co.lua <<'EOF2'
local cos = {}
for i = 1, 50 do cos[i] = coroutine.create(function() while true do for k = 1, 1000 do end coroutine.yield() end end) end
while true do for i = 1, 50 do coroutine.resume(cos[i]) end end
EOF2
  expect_plugin_refused "插件超出了指令预算" && expect_no_stderr "时间限制"
}

test_loop_in_a_wrapped_coroutine_is_stopped() {
  plugin co.lua <<'EOF2'
local f = coroutine.wrap(function() while true do end end)
f()
EOF2
  expect_plugin_refused "plugins/co\.lua:1: 插件超出了指令预算" && expect_no_stderr "时间限制"
}

test_the_budget_is_exact_when_asked() {
  # NIANBAO_LUA_HOOK_ALWAYS counts from the first instruction: a short loop
  # that fits in the untimed start is stopped too
  plugin b.lua <<'EOF2'
local n = 0
for i = 1, 3000000 do n = n + i end
EOF2
  NIANBAO_LUA_INSTRUCTIONS=1 NIANBAO_LUA_HOOK_ALWAYS=1 expect_plugin_refused "插件超出了指令预算（1 百万条指令）"
}

test_hook_armed_in_a_coroutine_goes_back_to_its_resumer() {
  plugin co.lua <<'EOF2'
local co = coroutine.create(function() for i = 1, 30000000 do end coroutine.yield() end)
coroutine.resume(co) -- long enough for the timer to arm the hook in co
while true do end
EOF2
  NIANBAO_LUA_INSTRUCTIONS=100 expect_plugin_refused "plugins/co\.lua:3: 插件超出了指令预算" && expect_no_stderr "时间限制"
}

test_hook_armed_in_the_resumer_goes_into_a_coroutine_made_before() {
  plugin co.lua <<'EOF2'
local co = coroutine.create(function() while true do end end)
for i = 1, 30000000 do end -- long enough for the timer to arm the hook
coroutine.resume(co)
EOF2
  NIANBAO_LUA_INSTRUCTIONS=100 expect_plugin_refused "plugins/co\.lua:1: 插件超出了指令预算" && expect_no_stderr "时间限制"
}
