# Findings people can act on (issue 10): one finding per root cause, the
# equations that cannot be checked said once, the likely wrong cell.
source "$NB_ROOT/tests/edit_lib.sh"

# line of the first value of 表四 in the example (after the last header cell)
t4_first() { awk '$0 == "审结" { n = NR } END { print n + 3 }' "$EX"; }

test_blank_total_in_2021_report_is_one_finding_with_the_value_it_must_hold() {
  cell_set "$EX" "（一）予以公开" $TOTAL "" > r.txt
  run check --json r.txt || return 1
  # T3-COL of the row and T3-RES of the column: one cause
  expect_status 1 && expect_findings ROOT-BLANK CELL-BLANK &&
    expect_finding_field ROOT-BLANK row r_granted && expect_finding_field ROOT-BLANK column total &&
    expect_stdout '“（一）予以公开”应为 5' && expect_stdout 'T3-RES 1处、T3-COL 1处'
}

test_equations_whose_cells_are_all_blank_cannot_be_checked_said_once() {
  l=$(t4_first)
  for k in 0 1 2 3 4; do replace_line "${f:-$EX}" $((l + k)) "	" > r$k.txt; f=r$k.txt; done
  run check --json r4.txt || return 1
  # the 行政复议 group blank: no error, no silent pass — one info for T4-SUM
  expect_status 0 && expect_findings T4-SUM CELL-BLANK &&
    expect_finding_field T4-SUM severity info && expect_stdout '无法核对' &&
    expect_stdout '1处等式的各项均为空白'
}

test_a_total_with_blank_items_is_not_said_to_be_zero() {
  l=$(t4_first)
  for k in 0 1 2 3; do replace_line "${f:-$EX}" $((l + k)) "	" > r$k.txt; f=r$k.txt; done
  run check r3.txt || return 1
  expect_status 1 && expect_stdout '[T4-SUM]' && expect_stdout '各项均为空白' && expect_no_stdout '应为 0（'
}

test_cross_year_rules_with_blank_cells_are_not_assessable_said_once() {
  with_year "$EX" 2024 2023 | cell_set /dev/stdin "四、结转下年度继续办理" $NATURAL "" |
    cell_set /dev/stdin "四、结转下年度继续办理" $TOTAL "" | cell_set /dev/stdin "行政规范性文件" 3 "" > prev.txt
  run check --json --prev prev.txt "$EX" || return 1
  # blank in last year's report: neither an error nor a silent pass
  expect_status 0 && expect_findings XY-CARRY T2-VALID TXT-DUP &&
    expect_finding_field XY-CARRY severity info && expect_finding_field T2-VALID severity info &&
    expect_stdout '无法核对' && expect_stdout '2处等式涉及本年或上年报告中空白的单元格'
}

test_one_wrong_cell_breaking_several_equations_is_named_with_its_value() {
  need_corpus
  clean_2019 | tsv_set /dev/stdin "（一）予以公开" $TOTAL 227 > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings ROOT-CELL &&
    expect_finding_field ROOT-CELL row r_granted && expect_finding_field ROOT-CELL column total &&
    expect_finding_field ROOT-CELL expected 272 && expect_finding_field ROOT-CELL actual 227 &&
    expect_stdout '可能应为 272，报告为 227（疑为数字顺序颠倒）' && expect_stdout 'T3-RES 1处、T3-COL 1处'
}

test_a_transposed_reading_names_one_cell_of_a_single_equation() {
  l=$(t4_first)
  # 行政复议: 3 + 12 + 0 + 0 ≠ 24; 12 → 21 reads as two digits swapped
  replace_line "$EX" $l "	3" | replace_line /dev/stdin $((l + 1)) "	12" | replace_line /dev/stdin $((l + 4)) "	24" > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings T4-SUM && expect_finding_field T4-SUM column review_corrected &&
    expect_finding_field T4-SUM expected 21 && expect_stdout '可能应为 21，报告为 12（疑为数字顺序颠倒）'
}

test_no_cell_is_guessed_when_several_fit() {
  l=$(t4_first)
  replace_line "$EX" $((l + 4)) "	2" > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings T4-SUM && expect_finding_field T4-SUM expected 1 &&
    expect_finding_field T4-SUM actual 2 && expect_no_stdout '可能应为'
}

test_consistent_reports_have_no_findings_about_causes() {
  run check --json "$EX" || return 1
  expect_status 0 && expect_findings
}

# ---- DRAFT-TODO: what `nianbao new` leaves to fill ----

test_draft_placeholders_are_errors_with_their_lines() {
  run new --agency 示例局 --year 2024 -o d.txt || return 1
  run check --json d.txt || return 1
  expect_status 1 || return 1
  # every line holding "（请填写" has its finding, at that line
  local want got
  want=$(grep -n '（请填写' d.txt | cut -d: -f1 | sort -n | tr '\n' ' ')
  got=$(tr -d '\n' < stdout.txt | grep -o '{[^{}]*"rule":[[:space:]]*"DRAFT-TODO"[^{}]*}' |
        grep -o '"line":[[:space:]]*[0-9]*' | grep -o '[0-9]*$' | sort -n | tr '\n' ' ')
  [ -n "$want" ] && [ "$want" = "$got" ] || fail "DRAFT-TODO lines: want [$want] got [$got]"
  expect_finding_field DRAFT-TODO actual "（请填写：主动公开政府信息的情况。）"
}

test_a_placeholder_sentence_does_not_satisfy_txt_fee() {
  run new --agency 示例局 --year 2024 -o d.txt || return 1
  run check --json d.txt || return 1
  expect_finding_field TXT-FEE rule TXT-FEE || return 1
  # the same draft with the sentence written: TXT-FEE satisfied, that placeholder gone
  sed 's/^\(2024年，本机关收取信息处理费的情况：\).*/2024年，本机关未收取信息处理费。/' d.txt > f.txt
  run check --json f.txt || return 1
  ! finding_rules | grep -q TXT-FEE || fail "TXT-FEE fired on a written sentence"
  expect_no_stdout '本机关未收取信息处理费”）'
}

test_a_finished_report_has_no_draft_todo() {
  run check --json "$EX" || return 1
  expect_status 0 && expect_findings
}

# ---- the identity of last year's report ----

test_prev_of_another_unit_is_refused_unless_prev_any() {
  with_year "$EX" 2024 2023 | sed 's/示例县交通运输局/示例县水利局/g' > other.txt
  run check --prev other.txt "$EX" || return 1
  expect_status 2 && expect_stderr '是“示例县水利局”的报告，而本报告是“示例县交通运输局”的' &&
    expect_stderr '--prev-any' && expect_no_stdout 'XY-CARRY' || return 1
  run check --json --prev-any --prev other.txt "$EX" || return 1
  expect_status 0 && expect_findings T2-VALID TXT-DUP
}

test_prev_of_another_year_is_refused() {
  with_year "$EX" 2024 2022 > old.txt
  run check --prev old.txt "$EX" || return 1
  expect_status 2 && expect_stderr '是2022年度的报告，而本报告是2024年度的：上一年度应为2023年度' || return 1
  # the report itself as its own last year
  run check --prev "$EX" "$EX" || return 1
  expect_status 2 && expect_stderr '是2024年度的报告'
}

test_new_copies_contact_details_only_from_the_same_unit() {
  run new --agency 示例县水利局 --year 2025 --prev "$EX" --to txt || return 1
  expect_status 0 && expect_no_stdout '示例县长安路18号' && expect_no_stdout '0791-8800123' &&
    expect_stdout '（地址：（请填写），电话：（请填写），邮编：（请填写））' &&
    expect_stderr '未沿用其地址、电话、邮编' || return 1
  run new --agency 示例县交通运输局 --year 2025 --prev "$EX" --to txt || return 1
  expect_status 0 && expect_stdout '（地址：示例县长安路18号，电话：0791-8800123，邮编：330000）'
}

# ---- TXT-NUM: the narrative against the tables ----

test_narrative_numbers_agreeing_with_the_tables_give_nothing() {
  run check --json "$EX" || return 1
  expect_status 0 && expect_findings || return 1
  need_corpus
  for f in "$SG" "$NB_CORPUS/pingtan-2021-flattened.txt" "$SH"; do
    run check --json "$f" || return 1
    ! finding_rules | grep -q TXT-NUM || fail "TXT-NUM false alarm on $f"
  done
}

test_narrative_numbers_differing_from_the_tables_are_quoted_with_their_line() {
  sed 's/全年新收政府信息公开申请11件，上年结转1件/全年新收政府信息公开申请12件，上年结转2件/; s/废止1件/废止3件/' "$EX" > n.txt
  run check --json n.txt || return 1
  local l; l=$(grep -n '全年新收政府信息公开申请12件' n.txt | cut -d: -f1)
  expect_status 0 && expect_findings TXT-NUM TXT-NUM TXT-NUM &&
    expect_stdout '正文写“全年新收政府信息公开申请12件”' && expect_stdout '正文写“上年结转2件”' &&
    expect_stdout '正文写“废止3件”' &&
    expect_finding_field TXT-NUM row carried_in && expect_finding_field TXT-NUM column repealed &&
    expect_finding_field TXT-NUM expected 11 && expect_finding_field TXT-NUM actual 12 &&
    expect_finding_number TXT-NUM line "$l"
}

test_narrative_numbers_of_real_reports_are_compared() {
  need_corpus
  sed 's/共受理政府信息公开申请859件/共受理政府信息公开申请895件/; s/行政复议7件/行政复议8件/' "$SH" > s.txt
  run check --json s.txt || return 1
  expect_finding_field TXT-NUM expected 859 && expect_finding_field TXT-NUM actual 895 &&
    expect_finding_field TXT-NUM column review_total && expect_stdout '正文写“信息公开类行政复议8件”' || return 1
  sed 's/共收到70件申请/共收到71件申请/' "$NB_CORPUS/pingtan-2021-flattened.txt" > p.txt
  run check --json p.txt || return 1
  expect_finding_field TXT-NUM row new && expect_finding_field TXT-NUM actual 71
}

# ---- summaries ----

test_summary_says_how_many_reports_have_errors() {
  local l; l=$(t4_first)
  replace_line "$EX" $((l + 4)) "	2" > bad.txt
  run check "$EX" bad.txt "$EX" || return 1
  expect_status 1 && expect_stdout '；读出的 3 个报告中 1 个有错误' || return 1
  # an unreadable file is counted apart, not among the reports read
  run check "$EX" bad.txt missing.txt || return 1
  expect_status 2 && expect_stdout '，1 个无法读取；读出的 2 个报告中 1 个有错误' || return 1
  run check --json "$EX" bad.txt || return 1
  tr -d '\n\t ' < stdout.txt | grep -qF '"with_errors":1}' || fail "JSON summary lacks with_errors"
}
