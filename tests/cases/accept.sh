# check --accept FILE (accepted findings shown as such, not errors; stale
# entries warned with their line) and check --baseline FILE (only new
# findings).  The file's format: docs/accept.md.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"
UNIT="示例县交通运输局"

# bad.txt: the example with 表三 一、本年新收 × 自然人 changed from 8 to 1
bad_report() {
  local l; l=$(line_of "$EX" "	一、本年新收政府信息公开申请数量")
  replace_line "$EX" $((l + 1)) "	1" > bad.txt
}

test_accept_marks_the_finding_and_exits_0() {
  bad_report
  printf '# 已核实\nrule\tunit\tyear\tlocation\treason\twho\tdate\nROOT-CELL\t%s\t2024\tt3.new.natural\t原件如此，已核实\t张三\t2025-02-01\n' "$UNIT" > ok.tsv
  run check bad.txt || return 1
  expect_status 1 || return 1
  run check --accept ok.tsv bad.txt || return 1
  expect_status 0 && expect_stdout "[ROOT-CELL]" && expect_stdout "〔已接受：原件如此，已核实〕" &&
    expect_stdout "0 个错误" && expect_stdout "1 个已接受" && expect_stdout "读出的 1 个报告中 0 个有错误" &&
    [ ! -s stderr.txt ] || fail "stderr should be empty"
}

test_accept_csv_with_quotes_and_table_prefix() {
  bad_report
  printf 'ROOT-CELL,%s,*,t3,"理由, 含逗号",李四,\n' "$UNIT" > ok.csv
  run check --json --accept ok.csv bad.txt || return 1
  expect_status 0 && expect_finding_field ROOT-CELL accepted "理由, 含逗号" &&
    python3 -m json.tool stdout.txt > /dev/null || fail "invalid JSON"
  grep -q '"accepted":[[:space:]]*1' stdout.txt || fail "summary lacks accepted: 1"
}

test_accept_of_another_cell_or_unit_does_not_hide_the_error() {
  bad_report
  printf 'ROOT-CELL\t%s\t2024\tt3.new.legal_business\t别处\nROOT-CELL\t别的单位\t2024\tt3.new.natural\t别人\nROOT-CELL\t%s\t2023\t*\t去年\n' "$UNIT" "$UNIT" > other.tsv
  run check --accept other.tsv bad.txt || return 1
  expect_status 1 && expect_no_stdout "已接受" &&
    expect_stderr "other.tsv:1：警告：这条已接受的问题不再出现（ROOT-CELL，$UNIT，2024，t3.new.legal_business）"
  # only entries of a report checked can be stale: 别的单位 and 2023 were not checked
  ! grep -q -e "other.tsv:2" -e "other.tsv:3" stderr.txt || fail "entries of reports not checked called stale"
}

test_accept_stale_entry_is_warned_with_its_line() {
  printf '\n# 已改正\nT3-COL\t%s\t2024\tt3\t去年的错误\t王五\t2025-01-05\n' "$UNIT" > old.tsv
  run check --json --accept old.tsv "$EX" || return 1
  expect_status 0 && expect_stderr "old.tsv:3：警告：这条已接受的问题不再出现（T3-COL，$UNIT，2024，t3），可从清单中删去" &&
    python3 -m json.tool stdout.txt > /dev/null || fail "invalid JSON"
  tr -d '\n\t ' < stdout.txt | grep -q '"stale_accepts":\[{"file":"old.tsv","line":3,"rule":"T3-COL"' ||
    fail "JSON summary lacks the stale entry"
}

test_accept_bad_lines_are_usage_errors_with_file_line() {
  bad_report
  printf 'ROOT-CELL\t%s\t24\tt3\t理由\n' "$UNIT" > y.tsv
  run check --accept y.tsv bad.txt || return 1
  expect_status 2 && expect_stderr "y.tsv:1：第 3 列应为报告年度" && [ ! -s stdout.txt ] || fail "output before the usage error"
  printf '# x\nROOT-CELL\t%s\t2024\tt3\n' "$UNIT" > r.tsv
  run check --accept r.tsv bad.txt || return 1
  expect_status 2 && expect_stderr "r.tsv:2：应有 5 至 7 列" || return 1
  printf 'ROOT-CELL,%s,2024,t3,"未闭合\n' "$UNIT" > q.csv
  run check --accept q.csv bad.txt || return 1
  expect_status 2 && expect_stderr "q.csv:1：引号没有闭合" || return 1
  printf 'ROOT-CELL\t\xd6\xd0\t2024\tt3\t理由\n' > gbk.tsv
  run check --accept gbk.tsv bad.txt || return 1
  expect_status 2 && expect_stderr "gbk.tsv:1：不是 UTF-8" || return 1
  printf 'ROOT-CELL\t%s\t2024\tt3\t理由\t某\t3月1日\n' "$UNIT" > d.tsv
  run check --accept d.tsv bad.txt || return 1
  expect_status 2 && expect_stderr "d.tsv:1：第 7 列应为日期" || return 1
  run check --accept missing.tsv bad.txt || return 1
  expect_status 2 && expect_stderr "--accept missing.tsv：无法打开"
}

test_baseline_from_json_shows_only_new_findings() {
  bad_report
  run check --json bad.txt || return 1
  cp stdout.txt base.json
  run check --baseline base.json bad.txt || return 1
  expect_status 0 && expect_no_stdout "[ROOT-CELL]" && expect_stdout "1 个已在基线中（未列出）" || return 1
  # a new error elsewhere is still shown, the known one is not
  # (表四: the first value after its heading, 行政复议 结果维持 1 → 2)
  local l; l=$(line_of bad.txt "	1" "$(line_of bad.txt "四、政府信息公开行政复议、行政诉讼情况")")
  replace_line bad.txt "$l" "	2" > worse.txt
  run check --json --baseline base.json worse.txt || return 1
  expect_status 1 && expect_findings T4-SUM && grep -q '"baseline_known":[[:space:]]*1' stdout.txt ||
    fail "the known ROOT-CELL should be counted in the baseline"
}

test_baseline_plain_list() {
  bad_report
  printf 'ROOT-CELL\t%s\t2024\tt3.new\n' "$UNIT" > base.tsv
  run check --baseline base.tsv bad.txt || return 1
  expect_status 0 && expect_no_stdout "[ROOT-CELL]" && expect_stdout "1 个已在基线中"
}
