# Results that must never be silently wrong, and walks that must never crash:
# sums past 64 bits, deeply nested tables a plugin hands to C, finalizers
# that never end.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# r.json: the example report as JSON; set_cell ROW COL VALUE edits its table 三
example_json() { "$NIANBAO" render "$EX" --to json -o r.json || fail "render of the example failed"; }
set_cell() {
  awk -v row="\"$1\":" -v col="\"$2\":" -v val="$3" '
    $1 == "\"t3\":" { t3 = 1 }
    t3 && $1 == row { inrow = 1 }
    inrow && $1 == col { sub(/"[^"]*",?$/, "\"" val "\"" ($NF ~ /,$/ ? "," : "")); inrow = 0 }
    { print }' r.json > r2.json && mv r2.json r.json
}

test_overflowing_sum_is_still_checked() {
  example_json
  set_cell carried_in natural 5000000000000
  set_cell carried_in commercial 5000000000000
  grep -q '"natural":	"5000000000000"' r.json || fail "the edit did not apply"
  run check --json r.json || return 1
  expect_status 1
  finding_rules | grep -qx T3-COL || fail "T3-COL disappeared with a sum past 64 bits"
  expect_finding_field T3-COL actual 1
  expect_finding_field T3-COL expected 10000000000000
}

test_table3_full_of_huge_values_gives_every_error() {
  example_json
  # every cell of 表三 2e12: each total is then wrong (6 × 2e12 ≠ 2e12)
  awk '$1 == "\"t3\":" { t3 = 1 } $1 == "\"t4\":" { t3 = 0 }
       t3 && /"[0-9]+",?$/ { sub(/"[0-9]+"/, "\"2000000000000\"") } { print }' r.json > r2.json
  run check --json r2.json || return 1
  expect_status 1
  [ "$(finding_rules | grep -c '^T3-COL$')" -ge 20 ] || fail "T3-COL findings missing: $(finding_rules | uniq -c)"
}

# runs nianbao under valgrind when this is the normal build (C recursion over
# Lua tables overflows the Lua stack where ASan cannot see it), else plainly
checked_run() {
  if ! ldd "$NIANBAO" | grep -q libasan && command -v valgrind > /dev/null; then
    STATUS=0
    valgrind -q --error-exitcode=99 --log-file=valgrind.txt "$NIANBAO" "$@" > stdout.txt 2> stderr.txt || STATUS=$?
    if [ "$STATUS" -eq 99 ] || [ -s valgrind.txt ]; then
      echo "valgrind report from: nianbao $*"; head -c 4000 valgrind.txt; return 1
    fi
    [ "$STATUS" -lt 128 ] || { echo "nianbao crashed ($STATUS)"; return 1; }
  else
    run "$@"
  fi
}

test_format_rows_nested_20_deep_is_refused() {
  plugin deep.lua <<'EOF2'
local host = ...
local row = { id = "r20", label = "r20" }
for i = 19, 1, -1 do row = { id = "r" .. i, label = "r" .. i, children = { row } } end
host.format { id = "deep", name = "deep", sections = {}, tables = { { id = "t", label = "t", section = "s",
  blocks = { { id = "b", columns = { { id = "c", label = "c" } }, rows = { row } } } } } }
EOF2
  checked_run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "plugins/deep.lua" && expect_stderr "嵌套超过"
}

test_format_columns_nested_20_deep_is_refused() {
  plugin deep.lua <<'EOF2'
local host = ...
local col = { id = "c20", label = "c20" }
for i = 19, 1, -1 do col = { label = "c" .. i, children = { col } } end
host.format { id = "deep", name = "deep", sections = {}, tables = { { id = "t", label = "t", section = "s",
  blocks = { { id = "b", columns = { col }, rows = { { id = "r", label = "r" } } } } } } }
EOF2
  checked_run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "plugins/deep.lua" && expect_stderr "嵌套超过"
}

test_format_row_that_contains_itself_is_refused() {
  plugin cycle.lua <<'EOF2'
local host = ...
local row = { id = "r", label = "r" }
row.children = { row }
host.format { id = "cyc", name = "cyc", sections = {}, tables = { { id = "t", label = "t", section = "s",
  blocks = { { id = "b", columns = { { id = "c", label = "c" } }, rows = { row } } } } } }
EOF2
  checked_run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "嵌套超过"
}

test_format_row_alias_not_a_string_names_the_row() {
  plugin alias.lua <<'EOF2'
local host = ...
local rows = { { id = "a", label = "a" }, { id = "p", label = "p", children = { { id = "k", label = "k" },
  { id = "q", label = "q", aliases = { "q2", 7 } } } } }
host.format { id = "al", name = "al", sections = { { id = "s", label = "s", match = { "s" } } }, tables = {
  { id = "t", label = "t", section = "s", blocks = { { id = "b", columns = { { id = "c", label = "c" } }, rows = rows } } } } }
EOF2
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "格式 'al' 的 tables[1].blocks[1].rows[2].children[2]：'aliases'[2] 应为字符串"
}

test_declaration_with_a_metatable_is_refused() {
  plugin meta.lua <<'EOF2'
local host = ...
local row = setmetatable({ id = "r", label = "r" }, { __index = function() return nil end })
host.format { id = "meta", name = "meta", sections = {}, tables = { { id = "t", label = "t", section = "s",
  blocks = { { id = "b", columns = { { id = "c", label = "c" } }, rows = { row } } } } } }
EOF2
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "不能带元表（metatable）"
}

# a plugin that json_encodes, as it loads (a fresh, small Lua stack), a table nested $1 deep
deep_json_plugin() {
  plugin deepjson.lua <<EOF2
local host = ...
local t = {}
for i = 1, $1 do t = { a = t } end
local s = host.json_encode(t)
assert(select(2, s:gsub('"a":', '')) == $1, "not $1 levels")
EOF2
}

test_json_encode_of_a_table_nested_40_deep() {
  deep_json_plugin 40
  checked_run formats --plugin-dir plugins || return 1
  expect_status 0
}

test_json_encode_past_its_depth_limit_is_refused() {
  deep_json_plugin 150
  checked_run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "plugins/deepjson.lua" && expect_stderr "嵌套超过100层"
}

test_json_decode_of_huge_numbers() {
  plugin huge.lua <<'EOF2'
local host = ...
host.renderer { id = "huge", description = "huge", extension = "x",
  render = function(report)
    local t = host.json_decode('[9223372036854775808, -1e19, 1e300, 12]')
    return string.format("%s %s %s %s", math.type(t[1]), math.type(t[2]), math.type(t[3]), math.type(t[4]))
  end }
EOF2
  run render "$EX" --plugin-dir plugins --to huge || return 1
  expect_status 0 && expect_stdout "float float float integer"
}

# host.json_decode (cJSON): the values plugins get for each kind of JSON
# value, escape, number and odd text
json_dump_plugin() {
  plugin dump.lua <<'EOF2'
local host = ...
local function dump(v)
  if v == host.null then return "null" end
  if type(v) == "table" then
    local keys, out = {}, {}
    for k in pairs(v) do keys[#keys + 1] = k end
    table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
    for _, k in ipairs(keys) do out[#out + 1] = tostring(k) .. "=" .. dump(v[k]) end
    return "{" .. table.concat(out, ",") .. "}"
  end
  if type(v) == "string" then return string.format("%q", v) end
  return (math.type(v) or type(v)) .. ":" .. tostring(v)
end
local texts = {
  [==[ {"a": [1, -0, 1.5, 1e2, -12, 1E+2, 2.5e-1], "b": {}, "c": [], "d": null, "e": true, "f": false} ]==],
  [==["x\n\t\"\\\/\b\f\r y"]==],
  [==["\u00e9\u4E2D\ud83d\ude00 中文"]==],
  [==[{"k": 1, "k": 2, "t\u0061b": "v"}]==],
  [==[[1] and then anything]==],
  [==[{"deep": [[[[{"x": [null]}]]]]}]==],
  [==[[01, 1., -.5]]==],
  "\239\187\191[7, \"bom\"]",
  "[" .. string.rep("9", 70) .. "]",
  [==["a\uZZZZb"]==],
}
host.renderer { id = "dump", description = "dump", extension = "x",
  render = function()
    local out = {}
    for i, t in ipairs(texts) do out[i] = dump(host.json_decode(t)) end
    return table.concat(out, "\n") .. "\n"
  end }
EOF2
}

test_json_decode_gives_each_kind_of_value() {
  json_dump_plugin
  run render "$EX" --plugin-dir plugins --to dump || return 1
  expect_status 0 || return 1
  cat > want.txt <<'EOF2'
{a={1=integer:1,2=integer:0,3=float:1.5,4=integer:100,5=integer:-12,6=integer:100,7=float:0.25},b={},c={},d=null,e=boolean:true,f=boolean:false}
"x\
\9\"\\/\8\12\13 y"
"é中😀 中文"
{k=integer:2,tab="v"}
{1=integer:1}
{deep={1={1={1={1={x={1=null}}}}}}}
{1=integer:1,2=integer:1,3=float:-0.5}
{1=integer:7,2="bom"}
{1=float:1e+70}
"a"
EOF2
  diff want.txt stdout.txt > diff.txt || fail "json_decode values differ: $(cat diff.txt)"
}

test_row_cells_keys_a_rows_values_by_column_id() {
  plugin rows.lua <<'EOF2'
local host = ...
host.renderer { id = "rows", description = "rows", extension = "x",
  render = function()
    local t = host.row_cells({ "a", "b", "c" }, { "label", "1", "", nil, "x" }, 1, 7)
    local n = 0
    for _ in pairs(t) do n = n + 1 end
    return string.format("a=%q b=%q c=%q line=%d keys=%d", t.a, t.b, t.c, t._line, n)
  end }
EOF2
  run render "$EX" --plugin-dir plugins --to rows || return 1
  expect_status 0 && expect_stdout 'a="1" b="" c="" line=7 keys=4'
}

test_bundle_row_keeps_its_cells_when_the_values_are_gone() {
  # host.bundle_row's cells point into the strings it was given: the bundle
  # keeps them alive after the importer drops its table and makes garbage
  # (under ASan a freed string would be a use after free)
  plugin bund.lua <<'EOF2'
local host = ...
host.importer { id = "bund", description = "d", extensions = { "bund" },
  import = function(src)
    local cells = host.cell_bundle("gov-2021")
    local v = { "规章" }
    for i = 1, 3 do v[i + 1] = string.format("%d", 1000 + i * 7) end
    host.bundle_row(cells, "t2", "regulations", v, 1, 5)
    v = nil
    local junk = {}
    for i = 1, 100000 do junk[i % 50 + 1] = string.format("x%d", i) end
    if src.text:find("bad", 1, true) then host.bundle_row(cells, "t2", "nope", {}, 0, 1) end
    return { format = "gov-2021", meta = { year = 2022 }, cells = cells, tables_only = true }
  end }
EOF2
  echo ok > r.bund
  run render r.bund --plugin-dir plugins --to json || return 1
  expect_status 0 && expect_stdout '"issued":	"1007"' && expect_stdout '"repealed":	"1014"' &&
    expect_stdout '"in_force":	"1021"' || return 1
  # a row the format does not have is the plugin's error
  echo bad > b.bund
  run check b.bund --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "bundle_row：格式 gov-2021 的表 t2 没有数据行 'nope'"
}

test_finalizer_that_loops_cannot_hang_the_process() {
  plugin gc.lua <<'EOF2'
local host = ...
local keep = setmetatable({}, { __gc = function() while true do end end })
host.renderer { id = "gc", description = "d", extension = "gc", render = function() return tostring(keep) end }
EOF2
  STATUS=0
  timeout 30 "$NIANBAO" render "$EX" --plugin-dir plugins --to gc > stdout.txt 2> stderr.txt || STATUS=$?
  [ "$STATUS" -ne 124 ] || { fail "nianbao hung in a finalizer"; return 1; }
  expect_status 2 && expect_stderr "plugins/gc.lua:2: 插件不能使用 __gc 终结器"
}

test_finalizer_added_to_a_metatable_later_is_refused() {
  plugin gc.lua <<'EOF2'
local mt = {}
local a = setmetatable({}, mt)
mt.__gc = function() while true do end end
local b = setmetatable({}, mt)
EOF2
  STATUS=0
  timeout 30 "$NIANBAO" formats --plugin-dir plugins > stdout.txt 2> stderr.txt || STATUS=$?
  expect_status 2 && expect_stderr "plugins/gc.lua:4: 插件不能使用 __gc 终结器"
}

test_terminal_escape_in_a_cell_is_shown_escaped() {
  local l; l=$(line_of "$EX" "	一、本年新收政府信息公开申请数量")
  awk -v n=$((l + 1)) 'NR == n { print "\t8\033[2J"; next } { print }' "$EX" > esc.txt
  run check esc.txt || return 1
  expect_status 2 && expect_stderr '8\x1b[2J'
  ! grep -q "$(printf '\033')" stderr.txt stdout.txt || fail "a raw ESC reached the terminal"
}

test_terminal_escape_in_a_finding_is_shown_escaped() {
  example_json
  set_cell carried_in natural 5
  cp r.json "$(printf 'r\033[31m.json')"
  run check "$(printf 'r\033[31m.json')" || return 1
  expect_status 1
  ! grep -q "$(printf '\033')" stdout.txt || fail "a raw ESC reached the terminal"
  expect_stdout 'r\x1b[31m.json'
}

test_year_far_in_the_future_is_a_finding() {
  example_json
  sed -i 's/"year":	2024/"year":	2999/; s/"title_year":	2024/"title_year":	2999/; s/"period_year":	2024/"period_year":	2999/' r.json
  run check --json r.json || return 1
  finding_rules | grep -qx YEAR-RANGE || fail "no YEAR-RANGE finding for 2999"
  expect_finding_field YEAR-RANGE actual 2999
}

# the report's own 发布日期: in its year (before the year ended) or three
# years on is a typo in one of the two; the year after, or late, is not
test_year_far_from_its_publication_date_is_a_finding() {
  local d
  for d in 2024-06-01 2027-02-01 2025-01-20 2026-12-31; do
    awk -v d="$d" 'NR == 3 { print "发布日期：" d } { print }' "$EX" > p.txt
    run check --json p.txt || return 1
    case $d in
      2024-*|2027-*) expect_finding_field YEAR-RANGE actual "${d%%-*}" && expect_stdout "发布日期 $d 不相称" ||
        fail "no YEAR-RANGE for a 2024 report published $d" ;;
      *) ! finding_rules | grep -qx YEAR-RANGE || fail "YEAR-RANGE for a 2024 report published $d" ;;
    esac
  done
}

test_plausible_year_gives_no_range_finding() {
  example_json
  run check --json r.json || return 1
  ! finding_rules | grep -qx YEAR-RANGE || fail "YEAR-RANGE for 2024"
}

# a 发布日期 line run together with kilobytes of text (found by fuzz_text):
# no date, the report still read and checked, never a plugin error
test_publication_date_line_of_kilobytes_is_read_without_a_date() {
  awk 'NR == 3 { printf "发布日期：2025年1月20日"; for (i = 0; i < 1400; i++) printf "一"; print "" } { print }' "$EX" > p.txt
  run check --json p.txt || return 1
  expect_status 0 || return 1
  grep -Eq '"unreadable":[[:space:]]*0,' stdout.txt || fail "the report was not read: $(head -c 300 stderr.txt)"
  grep -q "插件" stderr.txt && fail "a long 发布日期 line gave a plugin error: $(head -c 300 stderr.txt)"
  return 0
}

# the same from the importers that read metadata as written (Markdown's
# comment line, a JSON field): an input error naming the item and its line,
# never the host's refusal of a plugin
test_oversized_metadata_is_an_input_error_of_markdown_and_json() {
  local long; long=$(awk 'BEGIN { for (i = 0; i < 1400; i++) printf "一" }')
  run render --to md -o ex.md "$EX" && run render --to json -o ex.json "$EX" || return 1
  sed "s/postcode=330000/postcode=330000; published=2025-01-20$long/" ex.md > long.md
  jq --arg p "2025-01-20$long" '.meta.published = $p' ex.json > long.json || { fail "long.json not made"; return 1; }
  run check long.md || return 1
  expect_status 2 && expect_stderr "long.md:3: nianbao 注释中的 published 长 4210 字节，超过 4096 字节，不像是这一项的内容" ||
    return 1
  run check long.json || return 1
  expect_status 2 && expect_stderr "meta.published 长 4210 字节，超过 4096 字节，不像是这一项的内容" || return 1
  grep -q "插件" stderr.txt && fail "long.json: a plugin error: $(head -c 300 stderr.txt)"
  return 0
}

# a 标题 line run together with kilobytes of text (found by fuzz_flattened):
# the flattened importer's input error with the line, never a plugin error
test_flattened_title_line_of_kilobytes_is_an_input_error() {
  awk 'NR == 3 { printf "标题: 平潭综合实验区"; for (i = 0; i < 1500; i++) printf "一"; print ""; next } { print }' \
    "$NB_ROOT/tests/fuzz/corpus/flattened/pingtan-2021.txt" > t.txt
  run check --via flattened t.txt || return 1
  expect_status 2 && expect_stderr "t.txt:3: 标题长 " &&
    { ! grep -qF "插件" stderr.txt || fail "a plugin error: $(head -c 300 stderr.txt)"; }
}

# a 地址： run together with kilobytes of text (found by fuzz_flattened): no
# address, left out, and the report read; a real one still read
test_flattened_address_of_kilobytes_is_left_out() {
  local f="$NB_ROOT/tests/fuzz/corpus/flattened/pingtan-2021.txt"
  run render --via flattened "$f" --to json || return 1
  expect_stdout '"address":	"平潭综合实验区北厝金井湾片区管委会大楼主楼14层"' || return 1
  sed "s/地址：平潭综合实验区北厝金井湾片区管委会大楼主楼14层/地址：$(printf '一%.0s' $(seq 1500))/" "$f" > t.txt
  grep -q "地址：一一一" t.txt || fail "no address to lengthen" || return 1
  run render --via flattened t.txt --to json || return 1
  expect_status 0 && expect_no_stdout '"address"' || { head -c 300 stderr.txt; return 1; }
}

# a PDF's words placed in work bounded by the words, not by their
# coordinates: a row reaching millions of points was listed in each band
# of 16 points it reached (9.7 G instructions for 29 lines of words), and
# one past 2^63 points, where math.floor gives floats that a step of 1
# cannot move, looped until the budget stopped it (inputs of the pdf_layout
# campaign; counted from the first instruction, not by time)
test_pdf_words_far_off_the_page_are_placed_in_bounded_work() {
  local d="$NB_ROOT/tests/fuzz/corpus/pdf_layout"
  NIANBAO_LUA_INSTRUCTIONS=20 NIANBAO_LUA_HOOK_ALWAYS=1 "$NB_BUILD/tests/fuzz/replay_pdf_layout" \
    "$d/fuzz-row-reaching-millions-of-points.txt" "$d/fuzz-row-past-2-63-points.txt" > replay.out 2> replay.err ||
    fail "replay_pdf_layout failed: $(head -c 600 replay.err)" || return 1
  grep -q '^fuzz: 2 inputs: .*(0 as plugin errors)' replay.err || fail "not placed within the budget: $(head -c 600 replay.err)"
}
