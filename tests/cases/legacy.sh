# Reports before 2019 (format legacy): no national table; the narrative
# sections are read and the 统计表 rows kept free-form (label, unit, values),
# with an info finding that table rules do not apply.  Never a failure.
source "$NB_ROOT/tests/edit_lib.sh"

test_legacy_report_checks_with_one_info_finding() {
  legacy_report > r.txt
  run check --json r.txt || return 1
  expect_status 0 && expect_findings FMT-LEGACY &&
    expect_finding_field FMT-LEGACY severity info &&
    expect_stdout '"format":	"legacy"' &&
    expect_stdout '统计表的7行按原样保留'
}

test_legacy_statistics_kept_as_label_unit_values() {
  legacy_report > r.txt
  run render r.txt -o a.json || return 1
  expect_status 0 || return 1
  tr -d '\n\t' < a.json > flat.txt
  grep -qF '{"label":"主动公开文件数","unit":"条","values":["120", "3400"]}' flat.txt &&
    grep -qF '{"label":"对申请的答复总数","unit":"件","values":["", "39"]}' flat.txt &&
    grep -qF '"heading":"六、政府信息公开情况统计表"' flat.txt || fail "statistics rows not kept: $(cat flat.txt)"
  run render a.json -o b.json || return 1
  cmp a.json b.json || fail "json → report → json changed the file"
}

test_legacy_statistics_one_cell_a_line_read_the_same() {
  legacy_report > tsv.txt
  # the .docx-as-text layout: each cell on its own tab-indented line, a blank line between rows
  awk -F'\t' 'NF > 1 { for (i = 1; i <= NF; i++) print "\t" $i; print ""; next } { print }' tsv.txt > cells.txt
  run render tsv.txt -o a.json || return 1
  run render cells.txt -o b.json || return 1
  cmp a.json b.json || fail "the two layouts give different reports"
}

test_legacy_markdown_has_the_statistics_table() {
  legacy_report > r.txt
  run render r.txt --to md || return 1
  expect_status 0 &&
    expect_stdout '| 指标名称 | 计量单位 | 本年度 | 历年累计 |' &&
    expect_stdout '| 对申请的答复总数 | 件 |  | 39 |'
}

test_legacy_odd_tables_are_never_a_failure() {
  { legacy_report; printf '附表\t\t\n\t一\n说明\t见上表\t备注\t无\t\t\n'; } > r.txt
  run check --json r.txt || return 1
  expect_status 0 && expect_findings FMT-LEGACY
}

test_2019_report_in_the_old_layout_is_read_as_legacy() {
  legacy_report | with_year /dev/stdin 2018 2019 > r.txt
  run check --json r.txt || return 1
  # 2019 tolerated the old layouts (国办公开办函〔2019〕60号 二): a warning
  expect_status 0 && expect_findings FMT-LEGACY FMT-VER &&
    expect_finding_field FMT-VER severity warning &&
    expect_finding_field FMT-VER expected gov-2019 &&
    expect_stdout '第14行“指标名称”'
}
