# The 2019 format (国办公开办函〔2019〕60号) on the Shanghai government office's
# 2019 report: TAB-separated cells, blanks kept as blanks, the 总计 column
# left blank on the result rows, "251000元" written in an amount cell.
source "$NB_ROOT/tests/edit_lib.sh"

test_shanghai_imports_as_gov2019_keeping_blanks_and_units() {
  need_corpus
  run render "$SH" --to json || return 1
  expect_status 0 &&
    expect_stdout '"format":	"gov-2019"' &&
    expect_stdout '"purchase_amount":	"251000元"' &&
    expect_stdout '"change":	"0"' &&
    expect_stdout '"agency":	"上海市人民政府办公厅"' || return 1
  # 表三 and 表四 keep 126 + 9 blank cells as null, none turned into 0
  [ "$(grep -c '":	null' stdout.txt)" -eq 135 ] || fail "expected 135 blank cells"
}

test_shanghai_check_reports_the_blank_total_column_and_nothing_else() {
  need_corpus
  run check --json "$SH" || return 1
  # 11 result rows with values and a blank 总计, and the 总计 column's (七)
  # differing from its blank result rows: one cause, one ROOT-BLANK finding
  # (the 12 equations it breaks, the value each blank must hold); equations
  # whose cells are all blank: 无法核对, once per rule; blanks: one warning
  # per row with blanks (23 of 表三's rows, 表四's one row)
  expect_status 1 &&
    expect_findings ROOT-BLANK T3-BAL T3-RES T3-COL T4-SUM $(printf 'CELL-BLANK %.0s' $(seq 24)) &&
    expect_finding_field ROOT-BLANK column total &&
    expect_finding_field ROOT-BLANK row r_granted &&
    expect_finding_field ROOT-BLANK severity error &&
    expect_finding_field T3-COL severity info &&
    expect_finding_field CELL-BLANK table t3 &&
    expect_finding_field CELL-BLANK table t4 || return 1
  expect_stdout '表三“总计”栏有19个单元格空白（“（一）予以公开”应为 272、' &&
    expect_stdout '致使12处勾稽关系不成立（T3-RES 1处、T3-COL 11处）' &&
    expect_no_stdout '均为空白）"' && expect_no_stdout '应为 0' || return 1
  expect_stdout '（本行7个单元格空白：整行）' &&
    expect_stdout '（本行5个单元格空白：商业企业、科研机构、社会公益组织、法律服务机构、其他）'
}

test_shanghai_with_blanks_filled_checks_clean() {
  need_corpus
  clean_2019 > r.txt
  run check --json r.txt || return 1
  expect_status 0 && expect_findings
}

test_2019_change_may_be_negative_but_counts_may_not() {
  need_corpus
  clean_2019 | tsv_set /dev/stdin "行政处罚" 2 "-15" > r.txt
  run check --json r.txt || return 1
  expect_status 0 && expect_findings || return 1
  clean_2019 | tsv_set /dev/stdin "行政处罚" 1 "-1" > r.txt
  run check r.txt || return 1
  expect_status 2 && expect_stderr "“行政处罚”行“上一年项目数量”列：“-1”数量不能为负数"
}

test_2019_other_handling_is_one_summed_row() {
  need_corpus
  clean_2019 | tsv_set /dev/stdin "（六）其他处理" 1 1 | tsv_set /dev/stdin "（六）其他处理" 7 1 > r.txt
  run check --json r.txt || return 1
  # the row counts in （七）总计 for its two columns
  expect_status 1 && expect_findings T3-RES T3-RES &&
    expect_finding_field T3-RES column natural &&
    expect_finding_field T3-RES expected 768
}

test_2019_json_round_trip_is_exact() {
  need_corpus
  run render "$SH" -o a.json || return 1
  run render a.json -o b.json || return 1
  cmp a.json b.json || fail "json → report → json changed the file"
}
