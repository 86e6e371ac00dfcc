# The Shanggao commerce bureau's 2023 report: clean check, exact cells, and
# one mutated cell (or line) at a time giving exactly the expected findings,
# pinned to the right table, row, column and source line.

SG="$NB_CORPUS/shanggao-commerce-2023.txt"
T3_LABEL="表三（收到和处理政府信息公开申请情况）"
T4_LABEL="表四（政府信息公开行政复议、行政诉讼情况）"

test_clean_check_exits_0_without_findings() {
  need_corpus
  run check --json "$SG" || return 1
  expect_status 0 && expect_findings
}

test_render_json_holds_metadata_and_all_cells() {
  need_corpus
  run render "$SG" --to json || return 1
  expect_status 0 &&
    expect_stdout '"agency":	"上高县商务局"' &&
    expect_stdout '"year":	2023' &&
    expect_stdout '"format":	"gov-2021"' || return 1
  # 10 + 175 + 15 cells, every one "0" as printed
  [ "$(grep -c '":	"0"' stdout.txt)" -eq 200 ] || fail "expected 200 cells of \"0\""
}

# line of the Nth value (1..7) of a 表三 row, from the line of its label
t3_cell_line() { # label, column index 1..7
  local l; l=$(line_of "$SG" "	$1") && echo $((l + $2))
}

# line of the Nth of 表四's 15 values (the first "0" after the table's heading)
t4_cell_line() {
  local h; h=$(line_of "$SG" "四、政府信息公开行政复议、行政诉讼情况")
  local l; l=$(line_of "$SG" "	0" "$h") && echo $((l + $1 - 1))
}

# line of the Nth value of a 表二 row
t2_cell_line() {
  local l; l=$(line_of "$SG" "	$1") && echo $((l + $2))
}

# r.txt = the report with line $1 replaced by $2; then check --json r.txt
check_mutated() {
  replace_line "$SG" "$1" "$2" > r.txt
  run check --json r.txt
}

test_mutated_new_application_count() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  check_mutated "$l" "	1" || return 1
  # T3-BAL (自然人) and T3-COL (row 一): one cell explains both
  expect_status 1 && expect_findings ROOT-CELL &&
    expect_finding_field ROOT-CELL column natural &&
    expect_finding_field ROOT-CELL row new && expect_finding_field ROOT-CELL expected 0
}

test_mutated_new_count_pins_both_findings_exactly() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  check_mutated "$l" "	3" || return 1
  # T3-BAL (自然人) and T3-COL (row 一) break, and one cell satisfies both:
  # one finding, on that cell, with the value it likely should hold
  expect_status 1 && expect_findings ROOT-CELL &&
    expect_finding_field ROOT-CELL table t3 &&
    expect_finding_field ROOT-CELL row new &&
    expect_finding_field ROOT-CELL column_label "自然人" &&
    expect_finding_field ROOT-CELL expected 0 &&
    expect_finding_field ROOT-CELL actual 3 &&
    expect_finding_number ROOT-CELL line "$l" &&
    expect_stdout '2处不成立的勾稽关系（T3-BAL 1处、T3-COL 1处）'
}

test_mutated_result_row_cell_gives_t3_res_and_t3_col() {
  need_corpus
  local l; l=$(t3_cell_line "（一）予以公开" 1)
  check_mutated "$l" "	2" || return 1
  # T3-RES (自然人) and T3-COL (row （一）): one finding on the changed cell
  expect_status 1 && expect_findings ROOT-CELL &&
    expect_finding_field ROOT-CELL row r_granted &&
    expect_finding_field ROOT-CELL row_label "（一）予以公开" &&
    expect_finding_field ROOT-CELL column natural &&
    expect_finding_field ROOT-CELL expected 0 &&
    expect_finding_field ROOT-CELL actual 2 &&
    expect_finding_number ROOT-CELL line "$l" &&
    expect_stdout 'T3-RES 1处、T3-COL 1处'
}

test_mutated_deep_result_row_is_summed_into_the_total() {
  need_corpus
  # 4.保护第三方合法权益, 商业企业: a row three levels down the label tree
  local l; l=$(t3_cell_line "4.保护第三方合法权益" 2)
  check_mutated "$l" "	1" || return 1
  expect_status 1 && expect_findings ROOT-CELL &&
    expect_finding_field ROOT-CELL column commercial &&
    expect_finding_field ROOT-CELL column_label "商业企业" &&
    expect_finding_field ROOT-CELL row r_deny_third && expect_stdout 'T3-RES 1处、T3-COL 1处'
}

test_mutated_results_total_gives_three_findings() {
  need_corpus
  local l; l=$(t3_cell_line "（七）总计" 1)
  check_mutated "$l" "	2" || return 1
  # T3-BAL, T3-RES and T3-COL break: one cause, one finding
  expect_status 1 && expect_findings ROOT-CELL &&
    expect_finding_field ROOT-CELL row results_total &&
    expect_finding_field ROOT-CELL column natural &&
    expect_finding_field ROOT-CELL actual 2 &&
    expect_finding_field ROOT-CELL expected 0 &&
    expect_stdout 'T3-BAL 1处、T3-RES 1处、T3-COL 1处'
}

test_mutated_table4_outcome_gives_t4_sum_on_its_total() {
  need_corpus
  # the 6th value: 行政诉讼 / 未经复议直接起诉 / 结果维持
  check_mutated "$(t4_cell_line 6)" "	1" || return 1
  expect_status 1 && expect_findings T4-SUM &&
    expect_finding_field T4-SUM table t4 &&
    expect_finding_field T4-SUM table_label "$T4_LABEL" &&
    expect_finding_field T4-SUM row cases &&
    expect_finding_field T4-SUM column direct_total &&
    expect_finding_field T4-SUM column_label "行政诉讼／未经复议直接起诉／总计" &&
    expect_finding_field T4-SUM expected 1 &&
    expect_finding_field T4-SUM actual 0 &&
    expect_finding_number T4-SUM line "$(t4_cell_line 10)"
}

test_mutated_table4_total_gives_t4_sum() {
  need_corpus
  check_mutated "$(t4_cell_line 5)" "	1" || return 1
  expect_status 1 && expect_findings T4-SUM &&
    expect_finding_field T4-SUM column review_total &&
    expect_finding_field T4-SUM column_label "行政复议／总计" &&
    expect_finding_field T4-SUM expected 0 &&
    expect_finding_field T4-SUM actual 1
}

# 表二 has no same-year arithmetic: 现行有效件数 is checked only against last
# year's report (T2-VALID, with --prev).
test_mutated_table2_cell_gives_no_finding_without_prev() {
  need_corpus
  check_mutated "$(t2_cell_line "规章" 1)" "	5" || return 1
  expect_status 0 && expect_findings
}

test_mutated_table2_cell_with_prev_gives_t2_valid() {
  need_corpus
  replace_line "$SG" "$(t2_cell_line "规章" 1)" "	5" > r.txt
  run check --json --prev-any --prev "$SG" r.txt || return 1
  # the same text as "last year" also makes 五、问题及改进 identical: TXT-DUP
  expect_status 0 && expect_findings T2-VALID TXT-DUP &&
    expect_finding_field T2-VALID row regulations &&
    expect_finding_field T2-VALID column in_force &&
    expect_finding_field T2-VALID severity warning &&
    expect_finding_field T2-VALID expected 5 &&
    expect_finding_field T2-VALID actual 0 &&
    expect_finding_number T2-VALID line "$(t2_cell_line "规章" 3)"
}

test_blank_cell_is_a_warning_only() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  check_mutated "$l" "	" || return 1
  expect_status 0 && expect_findings CELL-BLANK &&
    expect_finding_field CELL-BLANK severity warning &&
    expect_finding_field CELL-BLANK row new &&
    expect_finding_field CELL-BLANK column natural &&
    expect_finding_number CELL-BLANK line "$l"
}

test_blank_cell_is_null_in_json() {
  need_corpus
  local l; l=$(t3_cell_line "二、上年结转政府信息公开申请数量" 2)
  replace_line "$SG" "$l" "	" > r.txt
  run render r.txt --to json || return 1
  expect_status 0 || return 1
  tr -d '\n\t' < stdout.txt | grep -qF '"carried_in":{"commercial":null,' ||
    fail "carried_in.commercial is not null in the JSON"
}

test_not_applicable_mark_is_no_finding_and_kept_in_json() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  check_mutated "$l" "	/" || return 1
  expect_status 0 && expect_findings || return 1
  run render r.txt --to json || return 1
  expect_status 0 || return 1
  tr -d '\n\t' < stdout.txt | grep -o '"new":{[^}]*}' | grep -qF '"natural":"/"' ||
    fail "new.natural is not \"/\" in the JSON"
}

test_decimal_count_gives_cell_int() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  check_mutated "$l" "	1.5" || return 1
  # 1.5 also unbalances the sums it is part of
  expect_status 1 && expect_findings CELL-INT ROOT-CELL &&
    expect_finding_field CELL-INT row new &&
    expect_finding_field CELL-INT column natural &&
    expect_finding_field CELL-INT actual 1.5 &&
    expect_finding_number CELL-INT line "$l" &&
    expect_finding_field ROOT-CELL actual 1.5
}

test_removed_section_heading_gives_fmt_sec() {
  need_corpus
  local l; l=$(line_of "$SG" "五、存在的主要问题及改进情况")
  sed "${l}d" "$SG" > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings FMT-SEC &&
    expect_finding_field FMT-SEC message "缺少第5部分“五、存在的主要问题及改进情况”" &&
    expect_finding_field FMT-SEC expected "五、存在的主要问题及改进情况"
}

test_sections_out_of_order_give_fmt_sec() {
  need_corpus
  # 六 (to the end of the file) moved before 五
  local five six
  five=$(line_of "$SG" "五、存在的主要问题及改进情况")
  six=$(line_of "$SG" "六、其他需要报告的事项")
  { head -n $((five - 1)) "$SG"; tail -n +"$six" "$SG"; sed -n "${five},$((six - 1))p" "$SG"; } > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings FMT-SEC &&
    expect_finding_field FMT-SEC message "第6部分“六、其他需要报告的事项”的位置不对：应排在前一部分之后" &&
    expect_finding_number FMT-SEC line "$five"
}

test_period_year_changed_gives_year() {
  need_corpus
  sed 's/统计期限自2023年1月1日/统计期限自2022年1月1日/' "$SG" > r.txt
  cmp -s r.txt "$SG" && { fail "the 统计期限 sentence was not found"; return 1; }
  run check --json r.txt || return 1
  expect_status 1 && expect_findings YEAR &&
    expect_finding_field YEAR message "统计期限中的年份（2022）与报告年度（2023）不一致" &&
    expect_finding_field YEAR expected 2023 &&
    expect_finding_field YEAR actual 2022
}

# r.txt = the report with TEXT appended to the line after the overview heading
pad_overview() {
  local l; l=$(line_of "$SG" "一、总体情况")
  awk -v n=$((l + 1)) -v p="$1" 'NR == n { print $0 p; next } { print }' "$SG" > r.txt
}

test_overview_beyond_1000_characters_gives_txt_len() {
  need_corpus
  local l; l=$(line_of "$SG" "一、总体情况")
  pad_overview "$(printf '公开%.0s' $(seq 1 500))"
  run check --json r.txt || return 1
  expect_status 0 && expect_findings TXT-LEN &&
    expect_finding_field TXT-LEN severity warning &&
    expect_finding_field TXT-LEN expected "≤1000" &&
    expect_finding_number TXT-LEN line "$l"
}

test_overview_of_exactly_1000_characters_is_fine() {
  need_corpus
  # the checker's own count of the padded overview tells the unpadded length
  pad_overview "$(printf '字%.0s' $(seq 1 1000))"
  run check --json r.txt || return 1
  local n; n=$(tr -d '\n' < stdout.txt | grep -o '"actual":[[:space:]]*"[0-9]*"' | grep -o '[0-9][0-9]*')
  [ -n "$n" ] && [ "$n" -gt 1000 ] && [ "$n" -lt 2000 ] || { fail "cannot read the overview's length"; return 1; }
  local base=$((n - 1000))
  pad_overview "$(printf '字%.0s' $(seq 1 $((1000 - base))))"
  run check --json r.txt || return 1
  expect_status 0 && expect_findings || return 1
  pad_overview "$(printf '字%.0s' $(seq 1 $((1001 - base))))"
  run check --json r.txt || return 1
  expect_status 0 && expect_findings TXT-LEN && expect_finding_field TXT-LEN actual 1001
}

test_removed_fee_sentence_gives_txt_fee() {
  need_corpus
  local l; l=$(line_of "$SG" "2023年，本机关无收取信息处理费情况。")
  [ -n "$l" ] || { fail "fee sentence not found"; return 1; }
  sed "${l}d" "$SG" > r.txt
  run check --json r.txt || return 1
  expect_status 0 && expect_findings TXT-FEE &&
    expect_finding_field TXT-FEE expected "信息处理费" &&
    expect_finding_number TXT-FEE line "$(line_of "$SG" "六、其他需要报告的事项")"
}

test_human_output_one_line_per_finding_and_summary() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  replace_line "$SG" "$l" "	3" > r.txt
  run check r.txt || return 1
  # T3-BAL and T3-COL break; one cell explains both: one line
  expect_status 1 &&
    expect_stdout "r.txt:$l: 错误 error [ROOT-CELL] $T3_LABEL“一、本年新收政府信息公开申请数量”×“自然人”：可能应为 0，报告为 3：改正这一格，2处不成立的勾稽关系（T3-BAL 1处、T3-COL 1处）即全部成立（应为 0，实际 3）" &&
    expect_stdout "1 个报告：1 个错误，0 个警告，0 个提示" || return 1
  [ "$(wc -l < stdout.txt)" -eq 2 ] || fail "expected 1 finding line and the summary"
}

test_human_output_names_a_repeated_column_with_its_group() {
  need_corpus
  # 表四 has three 总计 columns: the line says which
  replace_line "$SG" "$(t4_cell_line 11)" "	2" > r.txt
  run check r.txt || return 1
  expect_status 1 &&
    expect_stdout "r.txt:$(t4_cell_line 15): 错误 error [T4-SUM] $T4_LABEL“案件数量”×“行政诉讼／复议后起诉／总计”：总计应等于结果维持、结果纠正、其他结果、尚未审结之和（应为 2，实际 0）"
}

test_human_output_warning_line_and_exit_0() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  replace_line "$SG" "$l" "	" > r.txt
  run check r.txt || return 1
  expect_status 0 &&
    expect_stdout "r.txt:$l: 警告 warning [CELL-BLANK] $T3_LABEL“一、本年新收政府信息公开申请数量”×“自然人”：单元格空白" &&
    expect_stdout "1 个报告：0 个错误，1 个警告，0 个提示"
}

test_quiet_prints_only_the_summary() {
  need_corpus
  local l; l=$(t3_cell_line "一、本年新收政府信息公开申请数量" 1)
  replace_line "$SG" "$l" "	3" > r.txt
  run check -q r.txt || return 1
  expect_status 1 && expect_stdout "1 个报告：1 个错误" || return 1
  [ "$(wc -l < stdout.txt)" -eq 1 ] || fail "-q printed more than the summary"
}
