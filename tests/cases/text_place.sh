# host.text_place (host/text/text_place.c): the text importer reads a report the
# same with it as without it (NIANBAO_TEXT_PLACE=0 leaves every line to the
# importer's Lua loop) — findings, messages, line numbers and the whole
# imported report — on the real reports, the example, a generated corpus
# and thousands of random variations of them (tests/text_variants.lua:
# rows repeated, cut, given other formats' labels, blanked …).  The host
# functions it builds on are checked against Lua references
# (tests/plugins/text-place), and a report's cells given in a cell bundle
# are refused when they do not fit the report.
source "$NB_ROOT/tests/edit_lib.sh"

API_PLUGINS="$NB_ROOT/tests/plugins/text-place"

# the seeds of the variations: real reports, the example, a legacy one, a
# few generated ones (some broken) and the Shanggao report with TAB-separated rows
seeds() {
  mkdir -p seeds gen
  cp "$NB_CORPUS"/*.txt "$NB_ROOT"/examples/*.txt seeds/
  legacy_report > seeds/legacy.txt
  "$NB_ROOT/scripts/gen-corpus" --seed 5 --broken 50 12 gen >/dev/null || return 1
  cp gen/r0000[1-6].txt seeds/
  awk 'BEGIN { row = "" } /^\t/ { sub(/^\t+/, ""); row = row == "" ? $0 : row "\t" $0; next }
       { if (row != "") print row; row = ""; print } END { if (row != "") print row }' \
    "$NB_CORPUS/shanggao-commerce-2023.txt" > seeds/shanggao-tsv.txt
}

# check --json over every file of LIST, with text_place on and off: the same
# stdout, stderr and status
same_checks() { # list
  export NIANBAO_TEXT_PLACE=0
  run check --json --files-from "$1" || return 1
  mv stdout.txt off.out && mv stderr.txt off.err && echo "$STATUS" > off.status
  unset NIANBAO_TEXT_PLACE
  run check --json --files-from "$1" || return 1
  echo "$STATUS" > on.status
  cmp -s off.out stdout.txt && cmp -s off.err stderr.txt && cmp -s off.status on.status && return 0
  diff off.out stdout.txt | head -20; diff off.err stderr.txt | head -20
  fail "check differs with text_place on and off"
}

# render --to json of each file of LIST, with text_place on and off: the same bytes
same_renders() { # list
  local f
  while read -r f; do
    NIANBAO_TEXT_PLACE=0 "$NIANBAO" render --to json "$f" > off.json 2>&1 || echo "exit status $?" >> off.json
    "$NIANBAO" render --to json "$f" > on.json 2>&1 || echo "exit status $?" >> on.json
    cmp -s off.json on.json || { diff off.json on.json | head -20; fail "render differs for $f"; return 1; }
  done < "$1"
}

# the files of LIST that imported (check --json names them)
imported() { grep -o '"file":	"[^"]*"' on.out | sed 's/.*"\([^"]*\)"$/\1/'; }

test_text_place_reads_real_and_generated_reports_as_the_lua_loop() {
  need_corpus
  seeds || return 1
  ls seeds/*.txt gen/*.txt > all.list
  same_checks all.list || return 1
  [ "$(grep -c '"file":' stdout.txt)" -ge 15 ] || fail "too few reports imported to compare"
  same_renders all.list
}

test_text_place_reads_variations_as_the_lua_loop() {
  need_corpus
  seeds || return 1
  mkdir v
  lua5.4 "$NB_ROOT/tests/text_variants.lua" 11 2500 v "$NB_ROOT"/plugins/formats/*.lua -- seeds/*.txt || return 1
  ls v/*.txt > all.list
  same_checks all.list || return 1
  cp stdout.txt on.out
  # the variations must reach both the placing and the Lua paths: reports
  # that import, and the importer's own messages for rows it refuses
  [ "$(imported | wc -l)" -ge 400 ] || fail "too few variations imported: $(imported | wc -l)"
  for msg in "出现了两次" "应有" "无法识别的行" "只是分组标题" "不完整"; do
    grep -q "$msg" stderr.txt || fail "no variation gave the message “$msg”"
  done
  imported | head -150 > some.list
  same_renders some.list
}

test_text_place_takes_the_lines_off_the_lua_loop() {
  need_corpus
  # the comparisons above must not compare a path with itself: with
  # text_place the importer's Lua work no longer grows with the lines it
  # reads, so 40,000 lines fit in a budget of a million Lua instructions
  # that the Lua loop alone exceeds (counted from the first instruction:
  # the hook armed by a CPU timer counts from a moment that varies with
  # the machine's load, so a run could pass or fail the budget by chance)
  local l
  l=$(grep -n '^2023年上高县商务局坚持' "$NB_CORPUS/shanggao-commerce-2023.txt" | head -1 | cut -d: -f1)
  [ -n "$l" ] || fail "no narrative line found" || return 1
  awk -v l="$l" '{ print } NR == l { for (i = 0; i < 40000; i++) print }' "$NB_CORPUS/shanggao-commerce-2023.txt" > big.txt
  export NIANBAO_LUA_INSTRUCTIONS=1 NIANBAO_LUA_HOOK_ALWAYS=1
  run check -q big.txt || return 1
  [ "$STATUS" -ne 2 ] || fail "text_place did not take the lines off the Lua loop" || return 1
  export NIANBAO_TEXT_PLACE=0
  run check -q big.txt || return 1
  expect_status 2 && expect_stderr "指令预算"
}

test_host_functions_match_their_lua_references() {
  need_corpus
  # utf8_valid against utf8.len, text_scan against text_rows, text_marks
  # against the former Lua find_marks, on the files and random variations
  local f
  for f in "$NB_CORPUS"/*.txt "$NB_ROOT"/examples/*.txt; do
    # exit 1 (the empty report's findings) means every comparison agreed
    run check -q --via text-place-api --plugin-dir "$API_PLUGINS" "$f" || return 1
    [ "$STATUS" -eq 1 ] || fail "host functions differ from their references on $f" || return 1
  done
}

test_utf8_valid_of_the_imported_file_matches_utf8_len_where_it_is_invalid() {
  # host.utf8_valid works out the imported file's valid prefix once and
  # answers for its prefixes from it: cut inside a character, at a stray
  # continuation byte, at a truncated or an overlong sequence
  local bad
  for bad in '\x80' '\xe4\xb8' '\xc0\x80' '\xed\xa0\x80' '\xf4\x90\x80\x80' '\xff'; do
    { printf '一、总体情况\n本年度共收到申请%s件。\n' "$(printf "$bad")"; echo 二、主动公开; } > bad.txt
    run check -q --via text-place-api --plugin-dir "$API_PLUGINS" bad.txt || return 1
    [ "$STATUS" -eq 1 ] || fail "utf8_valid differs from utf8.len with $bad" || return 1
  done
}

test_host_function_difference_is_reported() {
  # the comparison itself can fail: a text_marks that loses a mark is caught
  mkdir wrong
  sed 's/host.text_marks(scan, from)/(function(s, f) local found, count = host.text_marks(s, f); found[#found] = nil; return found, count end)(scan, from)/' \
    "$API_PLUGINS/api.lua" > wrong/api.lua
  grep -q 'found\[#found\] = nil' wrong/api.lua || fail "could not alter the plugin"
  run check -q --via text-place-api --plugin-dir wrong "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "text_marks differs"
}

# the start of a test plugin: host and a layout for host.text_scan
plugin_head() {
  cat <<'EOF'
local host = ...
local layout = host.text_layout { headings = { { level = 1, ordinals = "一二三四五六七八九十", after = "、", max_bytes = 120 } },
  published = {}, bookmark = { open = "[bookmark: ", close = "]" }, continuation_chars = 10,
  mark_cell_bytes = 160, mark_line_bytes = 64 }
EOF
}

test_cells_of_another_format_are_refused() {
  { plugin_head; cat; } <<'EOF' | plugin cells.lua
host.importer { id = "cells-2019", description = "cells placed for gov-2019, report of gov-2021", import = function(src)
  local scan = host.text_scan(src.text, layout)
  local placer = host.text_placer("gov-2019", { tables = {}, sections = {}, noise = {} })
  local _, cells = host.text_place(scan, 1, placer)
  return { format = "gov-2021", meta = { title = "x" }, cells = cells }
end }
EOF
  run check --via cells-2019 --plugin-dir plugins "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "report.cells 是按格式 gov-2019 放置的，而报告是 gov-2021"
}

test_cells_that_are_no_bundle_are_refused() {
  { plugin_head; cat; } <<'EOF' | plugin cells.lua
host.importer { id = "cells-scan", description = "a scan given as cells", import = function(src)
  return { format = "gov-2021", meta = { title = "x" }, cells = host.text_scan(src.text, layout) }
end }
EOF
  run check --via cells-scan --plugin-dir plugins "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "report.cells 应是 host.text_place 给出的格"
}

test_a_row_in_both_tables_and_cells_is_refused() {
  { plugin_head; cat; } <<'EOF' | plugin cells.lua
host.importer { id = "cells-twice", description = "t2.regulations twice", import = function(src)
  local scan = host.text_scan(src.text, layout)
  local placer = host.text_placer("gov-2021", {
    tables = { { id = "t2", labels = { ["规章"] = "regulations" }, cols = { regulations = 3 }, unlabelled = {},
                 required = { "regulations" } } },
    sections = { { words = { "主动公开" }, table = 1 } }, noise = {} })
  local _, cells = host.text_place(scan, 1, placer)
  return { format = "gov-2021", meta = { title = "x" }, cells = cells,
           tables = { t2 = { regulations = { issued = "1", repealed = "0", in_force = "1" } } } }
end }
EOF
  run check --via cells-twice --plugin-dir plugins "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "导入插件把 t2.regulations 既放在 report.tables 又放在 report.cells 中"
}

# an importer of the example through text_place whose sections are the
# bundle it gave, BODY run with it (as `s`) before they are handed over
sections_plugin() { # body
  { plugin_head; cat <<EOF2; } | plugin sections.lua
local text = assert(host.importer_of("text"))
host.importer { id = "sections-bundle", description = "text_place's sections, changed", import = function(src)
  local report = text(src)
  local s = report.sections
  $1
  report.sections = s
  return report
end }
EOF2
}

test_sections_are_handed_over_as_a_bundle() {
  # the text importer hands text_place's sections over as they are (a
  # bundle); the last one's text can be read and cut, and nothing else
  sections_plugin 'assert(type(s) == "userdata"); host.cut_last_section(s, 4)'
  run render --to json --via sections-bundle --plugin-dir plugins "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 0 || return 1
  grep -A3 '"heading":	"六、其他需要报告的事项"' stdout.txt | grep -q '"text":	"2024"$' ||
    fail "the last section's text was not cut to its first 4 bytes" || return 1
  grep -q '"text":	"一是建立项目信息按月更新台账，明确责任股室和时限；二是2025年起对重要政策文件同步制作图解，提升解读的可读性。"' stdout.txt ||
    fail "a section before the last one lost its text" || return 1
  sections_plugin 'assert(#host.last_section_text(s) > 6); host.cut_last_section(s, #host.last_section_text(s) + 1)'
  run check --via sections-bundle --plugin-dir plugins "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "不在最后一节文字的长度之内" || return 1
  sections_plugin 's = "一、总体情况"'
  run check --via sections-bundle --plugin-dir plugins "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "report：'sections' 应为 table，而不是 string" || return 1
  sections_plugin 's = host.text_scan(src.text, layout)'
  run check --via sections-bundle --plugin-dir plugins "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "report：'sections' 应为 table，而不是 userdata"
}

test_bookmarks_on_many_lines_are_all_taken_out() {
  # a Word export's "[bookmark: …]" marks, on a heading, a cell, a narrative
  # line and the last line: each is taken out of its line (the scan looks
  # for the next one once over the text, not on every line)
  local ex="$NB_ROOT/examples/example-county-transport-2024.txt"
  awk '/^一、/ || /^\t行政许可$/ || NR == 3 { $0 = "[bookmark: _Toc1]" $0 "[bookmark: _Toc2]" } { print }' "$ex" > marked.txt
  printf '[bookmark: _GoBack]\n' >> marked.txt
  [ "$(grep -c 'bookmark' marked.txt)" -ge 4 ] || fail "could not mark the report" || return 1
  cp "$ex" plain.txt
  printf '\n' >> plain.txt
  run render --to json plain.txt || return 1
  mv stdout.txt plain.json
  run render --to json marked.txt || return 1
  expect_status 0 || return 1
  sed 's/marked\.txt/plain.txt/' stdout.txt | cmp -s - plain.json || { diff plain.json stdout.txt | head; fail "a bookmark stayed in the report"; }
}
