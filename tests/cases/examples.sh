# The example agency importer (plugins/importers/examples/): a made-up
# 申请情况汇总表 with table 三 transposed comes in as the example report's
# table 三, is chosen by its header, and refuses what it does not know.

FIX="$NB_ROOT/tests/fixtures"
SHEET="$FIX/example-agency-summary.csv"

t3_of() { "$NIANBAO" render "$@" --to json | sed -n '/^		"t3":/,/^		}/p'; }

test_example_importer_reads_the_transposed_sheet() {
  t3_of "$NB_ROOT/examples/example-county-transport-2024.txt" > want.json
  t3_of --year 2024 "$SHEET" > got.json
  [ -s want.json ] && diff want.json got.json || fail "table 三 differs from the example report's"
}

test_example_importer_is_chosen_by_its_header_and_checked() {
  run check --json --year 2024 "$SHEET" || return 1
  expect_status 0 && expect_findings || return 1
  # one cell changed: exactly its findings, at its line
  sed '2s/^自然人,8,/自然人,9,/' "$SHEET" > s.csv
  run check --json --year 2024 s.csv || return 1
  expect_status 1 && expect_findings ROOT-CELL && expect_finding_field ROOT-CELL row new &&
    expect_stdout '"line":	2'
}

test_example_importer_refuses_unknown_headings_and_needs_a_year() {
  sed '1s/,上年结转,/,往年结转,/' "$SHEET" > h.csv
  run check --via example --year 2024 h.csv || return 1
  expect_status 2 && expect_stderr "h.csv:1: 第3列：汇总表中没有“往年结转”这一栏" || return 1
  sed '3s/^企业,/个体户,/' "$SHEET" > a.csv
  run check --year 2024 a.csv || return 1
  expect_status 2 && expect_stderr "a.csv:3: 第1列：未知的申请人类型“个体户”" || return 1
  run check "$SHEET" || return 1
  expect_status 2 && expect_stderr "汇总表没有写年度：请加 --year"
}
