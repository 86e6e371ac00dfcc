# The clerk's path (issue 11): every --help and usage error in Chinese, usage
# errors said before any file is read, no file replaced by surprise, and no
# document for publication made of a report with errors unless forced.

EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"

# the lines of FILE with an English sentence: two Latin words in a row once
# option names (--to, -o), metavariables (FILE), command lines ("nianbao
# check") and paths are taken out
english_sentences() {
  sed -E -e 's/nianbao( (check|render|new|formats|plugins|rules|add|ls|show|roster|missing|sum))?//g' -e 's/roster import//g' -e 's/--?[A-Za-z][A-Za-z-]*//g' \
    -e 's/\b[A-Z][A-Z0-9_]+\b//g' -e 's#[A-Za-z0-9_.-]*/[A-Za-z0-9_./-]*##g' "$1" |
    grep -E '[A-Za-z]{2,}[[:space:]]+[A-Za-z]{2,}' || true
}

# a copy of the example with 结转下年度 changed: one error finding (the likely wrong cell)
report_with_errors() {
  local l; l=$(line_of "$EXAMPLE" "	四、结转下年度继续办理")
  replace_line "$EXAMPLE" $((l + 1)) "	3" > "$1"
}

expect_chinese() { # what: the run just made
  local bad; bad=$( { english_sentences stdout.txt; english_sentences stderr.txt; } )
  [ -z "$bad" ] || fail "English for people in $1: $bad"
}

test_the_detector_finds_english() {
  printf '用法：nianbao check [选项] FILE...\n  --to FORMAT  输出格式\n' > stdout.txt; : > stderr.txt
  [ -z "$(english_sentences stdout.txt)" ] || fail "the detector flags option names"
  printf 'nianbao render: give exactly one FILE\n' > stdout.txt
  [ -n "$(english_sentences stdout.txt)" ] || fail "the detector misses an English sentence"
}

test_every_help_is_chinese() {
  local cmd
  for cmd in "" check render new formats plugins rules; do
    run $cmd --help || return 1
    expect_status 0 && expect_stdout "用法：nianbao" && expect_chinese "nianbao $cmd --help" || return 1
  done
}

test_every_usage_error_is_chinese_and_exits_2() {
  report_with_errors bad.txt
  : > exists.md
  local args
  while IFS= read -r args; do
    # shellcheck disable=SC2086
    run $args || return 1
    [ "$STATUS" -eq 2 ] || fail "nianbao $args: expected exit 2, got $STATUS" || return 1
    [ -s stderr.txt ] || fail "nianbao $args: no message" || return 1
    expect_chinese "nianbao $args" || return 1
  done <<LIST

frobnicate
check
check --frobnicate x.txt
check -z x.txt
check x.txt --prev
check --year 20x4 x.txt
check --format gov-2030 x.txt
check --via pptx x.txt
check --files-from - -
render
render a.txt b.txt
render -x a.txt
render --to pdf bad.txt
render --format nope bad.txt
render bad.txt -o out.xyz
render bad.txt
render bad.txt -o exists.md
new
new --agency 某局
new --agency 某局 --year 2025 extra
new --agency 某局 --year 2025 --format gov-1999
new --agency 某局 --year 2025 --to pdf
new --agency 某局 --year 2025 -o exists.md
formats extra
formats --frobnicate
plugins extra
rules extra
rules --format nope
rules --markdown=yes
LIST
}

test_unknown_format_is_a_usage_error_before_any_file_is_read() {
  run check --format gov-2030 report.txt || return 1
  expect_status 2 && expect_stderr "没有格式 'gov-2030'；可用的格式：gov-2019、gov-2021、legacy" || return 1
  ! grep -q report.txt stderr.txt || fail "the message blames report.txt, which was never read"
}

test_listings_and_progress_are_chinese() {
  local cmd
  for cmd in formats plugins; do
    run $cmd || return 1
    # the first column is an id, for scripts
    sed -E -i 's/^ *[a-z0-9-]+ +//' stdout.txt
    expect_status 0 && expect_chinese "nianbao $cmd" || return 1
  done
  run render "$EXAMPLE" -o out.md || return 1
  expect_status 0 && expect_stderr "已写入 out.md（md）" && expect_chinese "render -o" || return 1
  run check "$EXAMPLE" || return 1
  expect_status 0 && expect_stdout "1 个报告：0 个错误，0 个警告，0 个提示" && expect_chinese "check" || return 1
  run check "$EXAMPLE" missing.txt || return 1
  expect_status 2 && expect_stdout "2 个报告：0 个错误，0 个警告，0 个提示，1 个无法读取" && expect_chinese "check" || return 1
}

test_render_refuses_to_replace_a_file() {
  echo "filled in by hand" > keep.md
  run render "$EXAMPLE" -o keep.md || return 1
  expect_status 2 && expect_stderr "keep.md 已经存在，未改动" && expect_stderr "--force" || return 1
  [ "$(cat keep.md)" = "filled in by hand" ] || fail "keep.md was replaced"
  run render "$EXAMPLE" -o keep.md --force || return 1
  expect_status 0 && grep -q '示例县交通运输局' keep.md || fail "--force did not replace keep.md"
}

test_new_refuses_to_replace_a_draft() {
  echo "filled in by hand" > keep.md
  run new --agency 示例县交通运输局 --year 2025 -o keep.md || return 1
  expect_status 2 && expect_stderr "keep.md 已经存在，未改动" || return 1
  [ "$(cat keep.md)" = "filled in by hand" ] || fail "keep.md was replaced"
  run new --agency 示例县交通运输局 --year 2025 -o keep.md --force || return 1
  expect_status 0 && grep -q '示例县交通运输局' keep.md || fail "--force did not replace keep.md"
  run new --agency 示例县交通运输局 --year 2025 || return 1
  expect_status 0 && expect_stdout '示例县交通运输局' || return 1
}

test_render_of_a_report_with_errors_is_refused_for_publication() {
  report_with_errors bad.txt
  local to
  for to in docx html; do
    run render bad.txt -o "bad.$to" || return 1
    expect_status 1 && expect_stderr "有 1 个错误，未生成供发布的 $to 文档" && expect_stderr "[ROOT-CELL]" &&
      expect_stderr "--force" && expect_chinese "render --to $to" || return 1
    [ ! -e "bad.$to" ] || fail "bad.$to was written" || return 1
    run render bad.txt -o "bad.$to" --force || return 1
    expect_status 0 && [ -s "bad.$to" ] || fail "--force did not write bad.$to" || return 1
  done
  # a working copy (md, json, …) is not a publication
  run render bad.txt -o bad.md || return 1
  expect_status 0 && [ -s bad.md ] || fail "md of a report with errors was refused"
}

# the example's tables as CSV, with the title record replaced by the lines of $1
csv_with_head() {
  "$NIANBAO" render "$EXAMPLE" --to csv 2>/dev/null | tail -n +2 > body.csv
  { printf '%s\n' "$@"; cat body.csv; } > head.csv
}

test_csv_unit_and_year_rows_are_read_whatever_comes_between() {
  csv_with_head "单位,示例县交通运输局,,,,,,,,,,,,," "填报人,张三,,,,,,,,,,,,," "联系电话,0795-1234567,,,,,,,,,,,,," \
    "年度,2024,,,,,,,,,,,,,"
  run check --json head.csv || return 1
  expect_status 0 && expect_findings IMPORT-META IMPORT-META && expect_stdout '"agency":	"示例县交通运输局"' &&
    expect_stdout '"year":	2024' && expect_finding_field IMPORT-META severity info || return 1
  run check head.csv || return 1
  expect_stdout "head.csv:2: 提示 info [IMPORT-META] “填报人”不是 nianbao 认识的元数据项" || return 1
  # the long layout: an unknown meta key is a note too
  printf 'table,row,column,value\nmeta,填报人,,张三\nmeta,单位,,某局\nmeta,year,,2023\nt3,new,natural,3\n' > long.csv
  run check --json long.csv || return 1
  grep -q '"rule":	"IMPORT-META"' stdout.txt && expect_stdout '"agency":	"某局"' || fail "the long layout stopped at 填报人"
}

# the non-blank cells of a report's tables, "table row column value" sorted, from its JSON
table_cells() {
  "$NIANBAO" render "$@" --to json 2>/dev/null | perl -0777 -ne '
    my ($t) = /"tables":\s*\{(.*)\n\t\}/s or exit;
    while ($t =~ /\n\t\t"(\w+)":\s*\{(.*?)\n\t\t\}/sg) { my ($tid, $rows) = ($1, $2);
      while ($rows =~ /\n\t\t\t"(\w+)":\s*\{(.*?)\}/sg) { my ($rid, $cells) = ($1, $2);
        while ($cells =~ /"(\w+)":\s*"([^"]+)"/g) { print "$tid $rid $1 $2\n" } } }' | sort
}

test_new_fills_the_draft_tables_from_a_csv_sheet() {
  csv_with_head "年度,2024,,,,,,,,,,,,,"
  run new --agency 示例县交通运输局 --year 2025 --prev "$EXAMPLE" --tables head.csv --format gov-2021 -o draft.md || return 1
  expect_status 0 || return 1
  table_cells "$EXAMPLE" > want.txt
  table_cells draft.md > got.txt
  [ "$(wc -l < want.txt)" -gt 100 ] || fail "the example's cells were not listed" || return 1
  diff want.txt got.txt || fail "the draft's tables are not the sheet's (over last year's carried cells)" || return 1
  grep -q '^# 示例县交通运输局2025年政府信息公开工作年度报告$' draft.md || fail "the draft's title lost the agency"
}

test_new_fills_table_three_from_the_register_and_names_the_unit() {
  awk -f "$NB_ROOT/tests/fixtures/register-gen.awk"
  run new --agency 示例县交通运输局 --year 2023 --tables reg.csv -o draft.json || return 1
  expect_status 0 && expect_stderr "[IMPORT-REGISTER] 登记台账共 240 条申请" || return 1
  table_cells --year 2023 reg.csv > want.txt
  table_cells draft.json > got.txt
  grep -q '^t3 new total ' want.txt || fail "the register gave no table 三" || return 1
  diff want.txt got.txt || fail "table 三 of the draft is not the register's" || return 1
  # render names the unit given with --agency when the register names none
  run render --year 2023 reg.csv --to md --agency 示例县交通运输局 || return 1
  expect_status 0 && head -1 stdout.txt | grep -q '^# 示例县交通运输局2023年政府信息公开工作年度报告$' ||
    fail "render --agency did not name the unit"
}

test_fill_in_instructions_of_the_format_in_rules_and_the_draft() {
  run rules --format gov-2021 || return 1
  expect_status 0 && expect_stdout "填报说明（gov-2021）：" && expect_stdout "各项数据的核定时间点为报告年度的12月31日" &&
    expect_stdout "表三（收到和处理政府信息公开申请情况）“（二）部分公开（区分处理的，只计这一情形，不计其他情形）”：区分处理的申请只计入这一行" || return 1
  # each format its own: the 2019 notice states no 12月31日
  run rules --format gov-2019 || return 1
  expect_stdout "填报说明（gov-2019）：" && expect_no_stdout "12月31日" || return 1
  run rules || return 1
  expect_no_stdout "填报说明" || return 1
  run new --agency 某局 --year 2024 -o draft.md || return 1
  expect_status 0 || return 1
  sed -n '/^## 三、收到和处理政府信息公开申请情况/,/^|/p' draft.md > t3.txt
  grep -q '^（填报说明：表三（收到和处理政府信息公开申请情况）：每件申请按最终处理结果只计入一个办理结果' t3.txt &&
    grep -q '^（填报说明：“二、上年结转政府信息公开申请数量”：等于上年报告的' t3.txt ||
    fail "the draft's 三 lacks the 填报说明 of table 三" || return 1
  # the draft with its instructions still reads back with only blanks to fill
  run check --json draft.md || return 1
  # the draft is unfinished (placeholders, blanks), but no finding comes from the 填报说明 lines
  expect_status 1 && expect_no_stdout "填报说明" || fail "the instructions broke the draft"
}

test_a_missing_plugin_directory_is_said_in_chinese() {
  NIANBAO_DATA_DIR=$PWD/nowhere run check "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "找不到内置插件目录 $PWD/nowhere/plugins" && expect_stderr "NIANBAO_DATA_DIR"
}
