# FMT-VER: a report filled in another year's template is still read (in the
# layout it uses) and gets a clear finding; so do labels and rows of another
# format inside an otherwise right report.
source "$NB_ROOT/tests/edit_lib.sh"

test_2022_report_in_the_2019_layout_is_read_as_gov2019() {
  need_corpus
  clean_2019 | with_year /dev/stdin 2019 2022 | sed "s/^发布日期：2020-01-31/发布日期：2023-01-31/" > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings FMT-VER &&
    expect_stdout '"format":	"gov-2019"' &&
    expect_finding_field FMT-VER expected gov-2021 &&
    expect_finding_field FMT-VER actual gov-2019 &&
    expect_stdout '2022年度的报告应使用国办公开办函〔2021〕30号的格式（gov-2021）' &&
    expect_stdout '第31行“本年新制作数量”'
}

test_2022_report_with_one_2019_header_label() {
  # the 2021 layout, but 第二十条第（一）项 still headed 本年新制作数量
  with_year "$EX" 2024 2022 | sed 's/^\t本年制发件数$/\t本年新制作数量/' > r.txt
  local l; l=$(line_of r.txt "	本年新制作数量")
  run check --json r.txt || return 1
  expect_status 1 && expect_findings FMT-VER &&
    expect_stdout '"format":	"gov-2021"' &&
    expect_finding_field FMT-VER actual gov-2019 &&
    expect_stdout "报告中有格式 gov-2019 的写法：第${l}行“本年新制作数量”"
}

test_2020_report_in_the_2021_layout_is_read_as_gov2021() {
  with_year "$EX" 2024 2020 > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings FMT-VER &&
    expect_finding_field FMT-VER expected gov-2019 &&
    expect_finding_field FMT-VER actual gov-2021 &&
    expect_stdout '本年制发件数'
}

# the three （六） sub-rows of 2021 replaced by 2019's single row with numbers
single_other_row() {
  local s e
  s=$(line_of "$1" "	（六）其他处理") && e=$(line_of "$1" "	（七）总计") || return 1
  head -n $((s - 1)) "$1"
  printf '\t（六）其他处理\n\t2\n\t0\n\t0\n\t0\n\t0\n\t0\n\t2\n\n\t\n'
  tail -n +"$e" "$1"
}

test_2021_report_with_a_numeric_other_handling_row() {
  with_year "$EX" 2024 2021 > y.txt
  single_other_row y.txt > r.txt
  run check --json r.txt || return 1
  # read, not refused; the three sub-rows it lacks stay blank (a CELL-BLANK each)
  # three whole rows blank: their T3-COL sums 无法核对 (info, once)
  expect_status 1 && expect_findings FMT-VER CELL-BLANK CELL-BLANK CELL-BLANK T3-COL &&
    expect_finding_field FMT-VER actual gov-2019 &&
    expect_stdout '“（六）其他处理”填有数值（2、0、0、0、0、0、2）' &&
    expect_finding_field CELL-BLANK row r_other_overdue &&
    expect_finding_field CELL-BLANK row r_other_else
}

test_2021_report_with_a_subtotal_on_the_other_handling_group() {
  with_year "$EX" 2024 2021 > y.txt
  local s; s=$(line_of y.txt "	（六）其他处理")
  { head -n $((s - 1)) y.txt; printf '\t（六）其他处理\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\n\t\n'; tail -n +$((s + 1)) y.txt; } > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings FMT-VER
}

test_2019_row_in_a_2021_report() {
  with_year "$EX" 2024 2021 > y.txt
  local l; l=$(line_of y.txt "	行政许可")
  { head -n $((l + 1)) y.txt; printf '\n\t其他对外管理服务事项\n\t7\n'; tail -n +$((l + 2)) y.txt; } > r.txt
  run check --json r.txt || return 1
  expect_status 1 && expect_findings FMT-VER &&
    expect_stdout "第$((l + 3))行“其他对外管理服务事项”填有数值（7）" || return 1
  # the canonical JSON keeps what was seen, and checks the same
  run render r.txt -o r.json || return 1
  run check --json r.json || return 1
  expect_status 1 && expect_findings FMT-VER && expect_stdout '“其他对外管理服务事项”填有数值（7）'
}

test_right_reports_have_no_marks() {
  need_corpus
  run render "$SH" --to json || return 1
  expect_no_stdout '"marks"' || return 1
  run render "$SG" --to json || return 1
  expect_no_stdout '"marks"'
}

test_format_option_reads_as_told_and_keeps_the_importer_message() {
  need_corpus
  clean_2019 | with_year /dev/stdin 2019 2020 > r.txt
  run check --format gov-2021 r.txt || return 1
  expect_status 2 && expect_stderr "“行政许可”：应有1个数值，这里有3个"
}

test_marks_tell_the_format_when_the_title_has_no_year() {
  need_corpus
  clean_2019 | sed '3s/^2019年//' > r.txt
  run check --json r.txt || return 1
  expect_status 0 && expect_findings && expect_stdout '"format":	"gov-2019"'
}
