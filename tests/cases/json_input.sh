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
