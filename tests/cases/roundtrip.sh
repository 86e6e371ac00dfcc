# Round trips and golden files: the canonical JSON reads back to the same
# bytes; the text → JSON → report path loses nothing the checker or the
# Markdown renderer sees; Markdown output is compared with tests/golden/.
# After a deliberate change to the Markdown renderer, regenerate a golden
# file with: build/nianbao render REPORT --to md -o tests/golden/NAME.md

SG="$NB_CORPUS/shanggao-commerce-2023.txt"
EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"
GOLDEN="$NB_ROOT/tests/golden"

# text → a.json → b.json: identical bytes
json_round_trip() {
  run render "$1" --to json -o a.json || return 1
  expect_status 0 || return 1
  run render a.json --to json -o b.json || return 1
  expect_status 0 || return 1
  cmp a.json b.json || fail "JSON → report → JSON changed the bytes"
}

test_shanggao_json_round_trip_is_byte_identical() { need_corpus; json_round_trip "$SG"; }
test_example_json_round_trip_is_byte_identical() { json_round_trip "$EXAMPLE"; }

test_json_is_deterministic() {
  "$NIANBAO" render "$EXAMPLE" --to json > one.json && "$NIANBAO" render "$EXAMPLE" --to json > two.json &&
    cmp one.json two.json || fail "two renders differ"
}

test_json_round_trip_keeps_marks_blanks_and_written_forms() {
  # one cell of each kind: blank, "/", full-width digits, a decimal count, an amount
  local l; l=$(line_of "$EXAMPLE" "	一、本年新收政府信息公开申请数量")
  replace_line "$EXAMPLE" $((l + 1)) "	" | replace_line /dev/stdin $((l + 2)) "	/" |
    replace_line /dev/stdin $((l + 3)) "	１２" | replace_line /dev/stdin $((l + 4)) "	1.5" > r.txt
  json_round_trip r.txt || return 1
  tr -d '\n\t' < b.json | grep -o '"new":{[^}]*}' > new.txt
  for want in '"natural":null' '"commercial":"/"' '"research":"１２"' '"social":"1.5"'; do
    grep -qF "$want" new.txt || { fail "new row lacks $want: $(cat new.txt)"; return 1; }
  done
  grep -qF '"fee_amount":	"0.35"' b.json || fail "the amount 0.35 is not kept"
}

test_json_import_gives_the_same_findings_as_the_text() {
  local l; l=$(line_of "$EXAMPLE" "	一、本年新收政府信息公开申请数量")
  replace_line "$EXAMPLE" $((l + 1)) "	9" | replace_line /dev/stdin $((l + 2)) "	" > r.txt
  "$NIANBAO" render r.txt --to json -o r.json 2>/dev/null || { fail "render failed"; return 1; }
  run check --json r.txt || return 1
  expect_status 1 || return 1
  grep -E '"(rule|severity|table|row|column|expected|actual)":' stdout.txt > from-text.txt
  run check --json r.json || return 1
  expect_status 1 || return 1
  grep -E '"(rule|severity|table|row|column|expected|actual)":' stdout.txt > from-json.txt
  [ -s from-text.txt ] && cmp from-text.txt from-json.txt || fail "findings differ: $(diff from-text.txt from-json.txt | head -20)"
}

test_json_from_stdin_is_detected() {
  "$NIANBAO" render "$EXAMPLE" --to json -o a.json 2>/dev/null || { fail "render failed"; return 1; }
  run render - --to json < a.json || return 1
  expect_status 0 && cmp a.json stdout.txt || fail "JSON read from stdin changed"
}

# render --to md of FILE must equal tests/golden/NAME.md
expect_golden_md() {
  run render "$1" --to md -o out.md || return 1
  expect_status 0 || return 1
  diff -u "$GOLDEN/$2.md" out.md > diff.txt || { fail "Markdown differs from tests/golden/$2.md:
$(head -40 diff.txt)"; return 1; }
}

test_shanggao_markdown_matches_golden() { need_corpus; expect_golden_md "$SG" shanggao-commerce-2023; }
test_example_markdown_matches_golden() { expect_golden_md "$EXAMPLE" example-county-transport-2024; }

test_markdown_of_the_json_matches_golden() {
  "$NIANBAO" render "$EXAMPLE" --to json -o a.json 2>/dev/null || { fail "render failed"; return 1; }
  expect_golden_md a.json example-county-transport-2024
}

test_markdown_to_stdout_equals_the_written_file() {
  need_corpus
  "$NIANBAO" render "$SG" --to md > stdout.md 2>/dev/null &&
    cmp stdout.md "$GOLDEN/shanggao-commerce-2023.md" || fail "stdout differs from the golden file"
}

test_output_file_is_replaced_whole() {
  # a longer file already there is replaced, not overwritten in place
  head -c 100000 /dev/zero | tr '\0' x > out.json
  run render "$EXAMPLE" -o out.json --force || return 1
  expect_status 0 || return 1
  "$NIANBAO" render "$EXAMPLE" --to json > want.json 2>/dev/null
  cmp out.json want.json || fail "out.json is not exactly the JSON"
  [ -z "$(ls | grep tmp)" ] || fail "a temporary file was left: $(ls)"
}
