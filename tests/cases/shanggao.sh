# The Shanggao commerce bureau's 2023 report: clean check, exact cells, and
# one mutated cell at a time giving exactly the expected findings.

SG="$NB_CORPUS/shanggao-commerce-2023.txt"

test_clean_check_exits_0_without_findings() {
  run check --json "$SG" || return 1
  expect_status 0 && expect_findings
}

test_render_json_holds_metadata_and_all_cells() {
  run render "$SG" --to json || return 1
  expect_status 0 &&
    expect_stdout '"agency":	"上高县商务局"' &&
    expect_stdout '"year":	2023' &&
    expect_stdout '"format":	"gov-2021"' || return 1
  # 10 + 175 + 15 cells, every one "0" as printed
  [ "$(grep -c '":	"0"' stdout.txt)" -eq 200 ] || fail "expected 200 cells of \"0\""
}

# t3 row 一 (新收), column 自然人: line of the first "0" after the row label
t3_cell_line() { # label, column index 1..7
  local l; l=$(line_of "$SG" "	$1") && echo $((l + $2))
}

test_mutated_new_application_count() {
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  replace_line "$SG" "$l" "	1" > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings T3-BAL T3-COL &&
    expect_finding_field T3-BAL column natural &&
    expect_finding_field T3-BAL row_label "（七）总计" &&
    expect_finding_field T3-COL row new
}
