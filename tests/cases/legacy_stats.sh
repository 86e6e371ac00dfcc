# The old (≤2018) 统计表 read from the text that exists of it (issue 8,
# item 6): cells separated by spaces (a page copied as text), and a crawled
# page where every cell runs together.  Rows are kept free-form (label,
# unit, values); a number whose column cannot be known stays blank with a
# finding; nothing is dropped silently.
source "$NB_ROOT/tests/edit_lib.sh"
L16="$NB_ROOT/tests/fixtures/legacy-2016.txt"

stats_of() { tr -d '\n\t' < "$1" | grep -o '"statistics":.*\],"tables"'; }

test_rows_with_spaces_read_as_the_tab_separated_ones() {
  legacy_report > tab.txt
  grep -v '答复总数' tab.txt | sed 's/\t/  /g' > spaced.txt
  grep -v '答复总数' tab.txt > tab2.txt
  "$NIANBAO" render tab2.txt --to json > want.json
  run render spaced.txt --to json || return 1
  expect_status 0 && expect_stdout '"label":	"主动公开文件数"' || return 1
  stats_of want.json > want.txt; stats_of stdout.txt > got.txt
  [ -s want.txt ] && cmp want.txt got.txt || fail "spaced rows differ: $(cat got.txt)"
}

test_a_number_whose_column_is_unknown_is_blank_and_said() {
  sed 's/\t/ /g' "$L16" > spaced.txt
  run check --json spaced.txt || return 1
  expect_status 0 && expect_findings FMT-LEGACY IMPORT-AMBIGUOUS IMPORT-AMBIGUOUS &&
    expect_stdout '统计表“（二）申请答复数”写有1个数（17），表头有2栏' || return 1
  run render spaced.txt --to json || return 1
  stats_of stdout.txt > got.txt
  grep -qF '{"label":"（二）申请答复数","unit":"件","values":["", ""]}' got.txt || fail "17 must not be put in a column: $(cat got.txt)"
  grep -qF '{"label":"一、主动公开情况"}, {"label":"（一）主动公开政府信息数","unit":"条","values":["56", "730"]}' got.txt || fail "the group label is a row of the table"
  grep -qF '{"label":"三、行政复议数量","unit":"件","values":["0", "1"]}' got.txt || fail "the last row is read"
}

test_a_crawled_statistics_table_keeps_every_row_and_guesses_no_number() {
  legacy_report > tab.txt
  { printf '标题: 平潭综合实验区示例局2018年政府信息公开工作年度报告\n==================== 正文 ====================\n'
    sed -n '2,$p' tab.txt | tr -d '\n\t'; echo; } > crawled.txt
  run check --json crawled.txt || return 1
  expect_status 0 && expect_stdout '统计表“主动公开文件数”的数字“1203400”连在一起' &&
    expect_stdout '可能是 1|203400、120|3400' && expect_stdout '读出6行' || return 1
  run render crawled.txt --to json || return 1
  stats_of stdout.txt > got.txt
  for label in 主动公开文件数 其中：1.政府网站公开数 2.政府公报公开数 受理依申请公开信息总数 对申请的答复总数 行政复议数; do
    grep -qF "{\"label\":\"$label\",\"unit\":" got.txt || fail "row $label missing: $(cat got.txt)"
  done
  grep -q '"values":\["[0-9]' got.txt && fail "a run-together number was cut without certainty"
  return 0
}

test_crawled_rows_with_spaces_are_certain() {
  legacy_report > tab.txt
  { printf '标题: 平潭综合实验区示例局2018年政府信息公开工作年度报告\n==================== 正文 ====================\n'
    sed -n '2,$p' tab.txt | grep -v 答复总数 | sed 's/\t\([0-9]\)/ \1/g' | tr -d '\n\t'; echo; } > crawled.txt
  run render crawled.txt --to json || return 1
  stats_of stdout.txt > got.txt
  grep -qF '{"label":"主动公开文件数","unit":"条","values":["120", "3400"]}' got.txt &&
    grep -qF '{"label":"2.政府公报公开数","unit":"条","values":["20", "400"]}' got.txt || fail "spaced crawled rows: $(cat got.txt)"
}

test_a_pdf_markdown_statistics_table_reads_as_the_text_one() {
  "$NIANBAO" render "$L16" --to md | grep -v '^<!--' > pdf.md
  "$NIANBAO" render "$L16" --to json > want.json
  run render pdf.md --to json || return 1
  stats_of want.json > want.txt; stats_of stdout.txt > got.txt
  [ -s want.txt ] && cmp want.txt got.txt || fail "the pipe rows give other statistics: $(cat got.txt)"
}
