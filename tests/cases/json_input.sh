# The JSON importer takes nothing it cannot hold exactly: invalid UTF-8,
# control characters, NUL, years and numbers out of range are input errors
# naming the line (exit 2), never a report that silently differs.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

example_json() { "$NIANBAO" render "$EX" --to json -o r.json 2> /dev/null || fail "render of the example failed"; }

# expect_input_error FILE REGEX: check exits 2, stderr matches REGEX, nothing on stdout about findings
expect_input_error() {
  run check "$1" || return 1
  expect_status 2 && expect_stderr_re "$2"
}

# line number of the first line containing TEXT in r.json
line_with() { grep -nF -- "$1" r.json | head -n 1 | cut -d: -f1; }

test_nul_escape_in_text_is_refused() {
  example_json
  sed -i 's/"agency":	"示例县交通运输局"/"agency":	"A\\u0000B"/' r.json
  grep -qF 'A\u0000B' r.json || { fail "edit did not apply"; return 1; }
  expect_input_error r.json "^r\.json:$(line_with 'A\u0000B'): .*NUL"
}

test_raw_nul_byte_is_refused() {
  example_json
  sed -i 's/"agency":	"示例县交通运输局"/"agency":	"A\x00B"/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: .*NUL"
}

test_invalid_utf8_is_refused() {
  example_json
  local l; l=$(line_with '"agency"')
  sed -i "s/\"agency\":	\"示例县交通运输局\"/\"agency\":	\"\xff\xfe\"/" r.json
  expect_input_error r.json "^r\.json:$l: 不是有效的 UTF-8"
}

# Chinese text is passed over three bytes at a time (host/base/json_text.c):
# a broken or out-of-range character among it is still found, on its line
test_bad_bytes_among_chinese_text_are_refused() {
  example_json
  local l; l=$(line_with '"agency"')
  cp r.json good.json
  for bad in '\xe4\xb8' '\xed\xa0\x80' '\xe4\xb8\xe4' '\xc2\x9f' '\xef\xbf'; do
    cp good.json r.json
    sed -i "s/\"agency\":	\"示例县交通运输局\"/\"agency\":	\"示例县${bad}交通运输局\"/" r.json
    cmp -s good.json r.json && { fail "edit did not apply: $bad"; return 1; }
    if [ "$bad" = '\xc2\x9f' ]; then
      expect_input_error r.json "^r\.json:$l: 文字中含有控制字符" || return 1
    else
      expect_input_error r.json "^r\.json:$l: 不是有效的 UTF-8" || return 1
    fi
  done
}

test_overlong_utf8_is_refused() {
  example_json
  sed -i 's/"agency":	"示例县交通运输局"/"agency":	"\xc0\xaf"/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: 不是有效的 UTF-8"
}

test_terminal_escape_in_text_is_refused() {
  example_json
  sed -i 's/"agency":	"示例县交通运输局"/"agency":	"\\u001b[2J"/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: 文字中含有控制字符"
  sed -i 's/"agency":	"\\u001b\[2J"/"agency":	"\x1b[2J"/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: 文字中含有控制字符"
}

test_year_past_32_bits_is_refused() {
  example_json
  local l; l=$(line_with '"year":	2024')
  sed -i 's/"year":	2024/"year":	4294969319/' r.json
  expect_input_error r.json "^r\.json:$l: meta\.year 应为四位整数年份"
}

test_year_past_63_bits_is_refused() {
  example_json
  sed -i 's/"title_year":	2024/"title_year":	92233720368547758070/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: meta\.title_year 应为四位整数年份"
}

test_fractional_year_is_refused() {
  example_json
  sed -i 's/"period_year":	2024/"period_year":	2024.5/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: meta\.period_year 应为四位整数年份"
}

test_cell_given_as_a_number_is_an_input_error() {
  example_json
  local l; l=$(line_with '"natural":	"8"')
  sed -i '0,/"natural":	"8"/s//"natural":	1e300/' r.json
  expect_input_error r.json "^r\.json:$l: t3\.[a-z_]+\.natural 应写作字符串"
}

test_unknown_row_is_an_input_error() {
  example_json
  sed -i 's/"carried_in":	{/"carried_inx":	{/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: 表“t3”没有“carried_inx”这一行"
}

test_section_level_that_is_no_small_integer() {
  example_json
  sed -i '0,/"level":	1/s//"level":	1e19/' r.json
  expect_input_error r.json "^r\.json:[0-9]+: sections\[1\] 的 level"
}

# sections, statistics and marks of the wrong shape: an input error naming
# what is wrong, never the importer's (a number where sections stand was
# a plugin error with a traceback, found by the json fuzz campaign)
test_lists_of_the_wrong_shape_are_input_errors() {
  example_json
  cp r.json good.json
  local edit want
  while IFS='|' read -r edit want; do
    cp good.json r.json
    sed -i "$edit" r.json
    cmp -s good.json r.json && { fail "edit did not apply: $edit"; return 1; }
    expect_input_error r.json "^r\.json:[0-9]+: $want" || return 1
    ! grep -q "traceback" stderr.txt || { cat stderr.txt; fail "$edit: a traceback"; return 1; }
  done <<'EDITS'
s/"sections":	\[/"sections":	2, "x":	[/|sections 应为数组
s/"sections":	\[/"sections":	"abc", "x":	[/|sections 应为数组
s/"nianbao_report":	1,/"nianbao_report":	1, "statistics": 5,/|statistics 应为数组
s/"nianbao_report":	1,/"nianbao_report":	1, "statistics": [1],/|statistics\[1\] 应为对象
s/"nianbao_report":	1,/"nianbao_report":	1, "statistics": [{"unit": "件"}],/|statistics\[1\] 缺少 label
s/"nianbao_report":	1,/"nianbao_report":	1, "statistics": [{"label": "a", "values": 5}],/|statistics\[1\] 的 values 应为文字（字符串）的数组
s/"nianbao_report":	1,/"nianbao_report":	1, "statistics": [{"label": "a", "values": ["1", 2]}],/|statistics\[1\] 的 values 应为文字（字符串）的数组
s/"nianbao_report":	1,/"nianbao_report":	1, "marks": [true],/|marks\[1\] 应为对象
s/"nianbao_report":	1,/"nianbao_report":	1, "marks": [{"label": "a"}],/|marks\[1\] 缺少 format
s/"nianbao_report":	1,/"nianbao_report":	1, "marks": [{"label": "a", "format": "gov-2021", "values": 5}],/|marks\[1\] 的 values 应为文字（字符串）
EDITS
  # a mark of the shape the json renderer writes is read, and told
  cp good.json r.json
  sed -i 's/"nianbao_report":\t1,/"nianbao_report":\t1, "marks": [{"label": "a", "format": "gov-2019", "values": null}],/' r.json
  run check r.json || return 1
  expect_status 1 && expect_stdout '[FMT-VER] 报告中有格式 gov-2019 的写法：“a”'
}

test_clean_json_still_reads() {
  example_json
  run check r.json || return 1
  expect_status 0
}

# a file with several errors gets the same message on every run: the
# importer walks objects with pairs, whose order changes from run to run
# (Lua seeds its string hashes per process), and when that walk met an
# error it walks again in sorted order and tells the first met there
test_several_errors_give_the_same_message_every_run() {
  example_json
  # an unknown column in each of t2, t3 and t4 (the first of each name in the file)
  sed -i '0,/"decisions"/s//"decisionsX"/; 0,/"commercial"/s//"commercialX"/; 0,/"after_other"/s//"after_otherX"/' r.json
  grep -c 'X"' r.json | grep -qx 3 || { fail "the three columns were not renamed"; return 1; }
  local i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    "$NIANBAO" check r.json > /dev/null 2>> all.txt || true
  done
  [ "$(sort -u all.txt | wc -l)" = 1 ] || { sort all.txt | uniq -c; fail "the message changed between runs"; }
  expect_input_error r.json "r\.json:[0-9]+: t2\.enforcement 没有“decisionsX”这一栏"
}

# The tables of a JSON report reach the model from cJSON's tree in C
# (host.json_decode(text, "tables"), host.json_cells: host/api/json_cells_api.c)
# unless there is something in them for the importer to say.  Two importers
# read the same file: "jcells" takes the cell bundle json_cells gives (and
# drops the parsed text and makes garbage first: the bundle keeps the text
# its cells point into), "jtree" the tables as Lua values (json_apart, the
# nulls taken out, as the json importer did before); their reports are the same.
cells_plugins() {
  plugin jcells.lua <<'EOF2'
local host = ...
local function report(src, bundled)
  local doc, json = host.json_decode(src.text, "tables")
  local r = { format = doc.format, meta = { year = doc.meta.year }, tables_only = true }
  if src.text:find('"why"', 1, true) then
    host.input_error(1, host.json_cells(json, doc.format) and "bundle" or "nothing")
  elseif bundled then
    r.cells = host.json_cells(json, doc.format) or host.input_error(1, "json_cells gave nothing")
    json = nil
    local junk = {}
    for i = 1, 100000 do junk[i % 50 + 1] = string.format("x%d", i) end
  else
    r.tables = host.json_apart(json)
    for _, rows in pairs(r.tables) do
      for _, cells in pairs(rows) do
        for k, v in pairs(cells) do if v == host.null then cells[k] = nil end end
      end
    end
  end
  return r
end
host.importer { id = "jcells", description = "tables by json_cells", import = function(src) return report(src, true) end }
host.importer { id = "jtree", description = "tables by json_apart", import = function(src) return report(src, false) end }
EOF2
}

# render --to json of FILE through both importers: the same bytes
same_through_both() { # file
  "$NIANBAO" render --via jcells --plugin-dir plugins --to json "$1" > cells.json 2>&1 || echo "exit $?" >> cells.json
  "$NIANBAO" render --via jtree --plugin-dir plugins --to json "$1" > tree.json 2>&1 || echo "exit $?" >> tree.json
  cmp -s cells.json tree.json || { diff tree.json cells.json | head -20; fail "json_cells and json_apart differ for $1"; return 1; }
  grep -q '"tables":' cells.json || { cat cells.json | head; fail "no tables read from $1"; }
}

test_json_cells_reads_the_tables_as_the_lua_values() {
  cells_plugins
  example_json
  same_through_both r.json || return 1
  grep -qF '"natural":	"8"' cells.json || { fail "a cell of the example is not there"; return 1; }
  # nulls, an empty row, an empty table, a cell and a row left out
  sed -e '0,/"natural":	"8"/s//"natural":	null/' -e '0,/"decisions":	"[0-9]*"/s//"decisions":	null/' \
    -e 's/"carried_in":	{/"carried_in": {}, "x_carried_in":	{/' r.json |
    sed -e 's/"x_carried_in"/"zz_gone"/' > edited.json
  lua5.4 -e '
    local s = io.open("edited.json"):read("a")
    -- drop the row zz_gone again (it is not in the format) and empty table t4
    s = s:gsub(",%s*\"zz_gone\":%s*%b{}", ""):gsub("\"t4\":%s*%b{}", "\"t4\": {}")
    io.open("edited.json", "w"):write(s)' || return 1
  grep -q '"t4": {}' edited.json && grep -q '"carried_in": {}' edited.json ||
    { fail "edits did not apply"; return 1; }
  same_through_both edited.json || return 1
  local f
  mkdir gen && "$NB_ROOT/scripts/gen-corpus" --seed 9 6 gen > /dev/null || return 1
  "$NIANBAO" render --to json -o js/ gen/r*.txt > /dev/null 2>&1
  for f in js/*.json; do same_through_both "$f" || return 1; done
  [ "$(ls js/*.json | wc -l)" -ge 4 ] || fail "too few generated reports"
}

# json_cells gives nothing where the importer has something to say or the
# tables are not a report's, and a bundle otherwise
test_json_cells_leaves_to_the_importer_what_it_judges() {
  cells_plugins
  local t expect
  while IFS='|' read -r expect t; do
    printf '{"why": 1, "nianbao_report": 1, "format": "gov-2021", "meta": {"year": 2022}, %s}\n' "$t" > w.json
    run check --via jcells --plugin-dir plugins w.json || return 1
    expect_stderr "w.json:1: $expect" || { echo "tables: $t"; return 1; }
  done <<'EOF2'
bundle|"tables": {"t2": {"regulations": {"issued": "1", "repealed": null}}, "t3": {}}
bundle|"tables": {}
nothing|"tables": {"t9": {}}
nothing|"tables": {"t2": {"nope": {}}}
nothing|"tables": {"t2": {"regulations": {"nope": "1"}}}
nothing|"tables": {"t2": {"regulations": {"_line": "1"}}}
nothing|"tables": {"t2": {"regulations": {"issued": 1}}}
nothing|"tables": {"t2": {"regulations": {"issued": -1.5}}}
nothing|"tables": {"t2": {"regulations": {"issued": ["1"]}}}
nothing|"tables": {"t2": {"regulations": {"issued": "1", "issued": "2"}}}
nothing|"tables": {"t2": {"regulations": {}, "regulations": {}}}
nothing|"tables": {"t2": {}, "t2": {}}
nothing|"tables": {"t2": null}
nothing|"tables": {"t2": {"regulations": null}}
nothing|"tables": {"t2": {"regulations": "1"}}
nothing|"tables": []
nothing|"tables": null
nothing|"other": 1
EOF2
}

# a key twice: the last counts, as it did when the whole text became Lua values
test_json_key_given_twice_counts_its_last() {
  example_json
  sed -i '0,/"natural":	"8",/s//"natural":	4321, "natural":	"9876",/' r.json
  run render r.json --to json || return 1
  expect_status 0 && expect_stdout '"natural":	"9876"' || return 1
  sed -i 's/"natural":	4321, "natural":	"9876",/"natural":	"9876", "natural":	null,/' r.json
  grep -qF '"natural":	null' r.json || { fail "edit did not apply"; return 1; }
  run render r.json --to json || return 1
  expect_status 0 && expect_no_stdout '9876'
}
