# nianbao new: a draft for next year from last year's report — the sections
# and opening paragraph filled in, the carried cells equal to last year's,
# every other cell blank so that check lists exactly what is left to fill.
source "$NB_ROOT/tests/outputs_lib.sh"

# the cells of row $2 of table $1 in a report's canonical JSON ($3), as "id=value" lines
row_cells() {
  perl -0777 -ne 'if (/"'"$2"'":\s*\{(.*?)\}/s) { my $r = $1; while ($r =~ /"(\w+)":\s*("[^"]*"|null)/g) { print "$1=$2\n" } }' "$3"
}

test_draft_from_shanggao_lists_only_blank_cells() {
  need_corpus
  run new --agency 上高县商务局 --year 2024 --prev "$SG" -o draft.txt || return 1
  expect_status 0 && expect_stderr "已写入 draft.txt（txt）" || return 1
  run check --json draft.txt || return 1
  # a draft is not finished: its placeholders are errors (DRAFT-TODO, one
  # a line), and the placeholder sentence does not satisfy TXT-FEE
  expect_status 1 || return 1
  # one finding a row with blanks: 32 rows, less 上年结转 carried whole;
  # 现行有效件数 carried, so those rows name only the other two columns
  [ "$(finding_rules | grep -c CELL-BLANK)" -eq 31 ] && [ "$(finding_rules | grep -c DRAFT-TODO)" -eq 10 ] ||
    fail "expected 31 CELL-BLANK and 10 DRAFT-TODO findings, got: $(finding_rules | uniq -c | tr '\n' ' ')"
  # the sums whose cells are all blank: 无法核对, once per rule
  [ "$(finding_rules | grep -v -e CELL-BLANK -e DRAFT-TODO | tr '\n' ' ')" = "T3-COL T3-RES T4-SUM TXT-FEE " ] ||
    fail "unexpected other findings: $(finding_rules | uniq -c | tr '\n' ' ')"
  expect_finding_field T3-COL severity info && expect_stdout '无法核对' || return 1
  expect_stdout '本行2个单元格空白：本年制发件数、本年废止件数' || return 1
  run check --json --prev "$SG" draft.txt || return 1
  # with --prev: 上年结转 carried matches; 现行有效件数 cannot be checked with blanks
  expect_status 1 && [ "$(finding_rules | grep -c CELL-BLANK)" -eq 31 ] && ! finding_rules | grep -q XY-CARRY &&
    expect_finding_field T2-VALID severity info ||
    fail "with --prev: 31 rows with blank cells, no XY-CARRY, T2-VALID not assessable"
}

test_draft_carries_last_years_cells() {
  "$NIANBAO" new --agency 示例县交通运输局 --year 2025 --prev "$EX" -o draft.json 2>/dev/null || fail "new failed"
  report_json "$EX" > last.json
  [ "$(row_cells t3 carried_out last.json)" = "$(row_cells t3 carried_in draft.json)" ] ||
    fail "上年结转 of the draft is not last year's 结转下年度"
  row_cells t3 carried_in draft.json | grep -q '^natural="1"$' || fail "the example carries 1 自然人 application"
  [ "$(row_cells t2 normative draft.json)" = 'in_force="12"
issued=null
repealed=null' ] || fail "现行有效件数 should start at last year's 12, the rest blank"
  [ "$(grep -c '":	"' draft.json)" -ge 9 ] || fail "expected the carried cells as strings"
  [ "$(row_cells t3 new draft.json | grep -vc '=null$')" -eq 0 ] || fail "本年新收 must be blank in a draft"
}

test_draft_opening_paragraph_and_sections() {
  run new --agency 示例县交通运输局 --year 2025 --prev "$EX" --to txt || return 1
  expect_status 0 &&
    expect_stdout "示例县交通运输局2025年政府信息公开工作年度报告" &&
    expect_stdout "统计期限自2025年1月1日起至2025年12月31日止" &&
    expect_stdout "（地址：示例县长安路18号，电话：0791-8800123，邮编：330000）" &&
    expect_stdout "（国办公开办函〔2021〕30号）" &&
    expect_stdout "一、总体情况" && expect_stdout "（五）监督保障" &&
    expect_stdout "五、存在的主要问题及改进情况" && expect_stdout "信息处理费" || return 1
  cp stdout.txt draft.txt
  run check --json draft.txt || return 1
  expect_finding_field CELL-BLANK table t4 || return 1
  ! finding_rules | grep -q -E 'FMT-SEC|YEAR|TXT-LEN|TXT-DUP' || fail "a draft's sections and year must pass their rules"
  # …but its placeholder about the 信息处理费 is not a report of it
  expect_finding_field TXT-FEE rule TXT-FEE && expect_finding_field DRAFT-TODO rule DRAFT-TODO
}

test_draft_without_last_year() {
  run new --agency 示例局 --year 2024 || return 1
  expect_status 0 && expect_stdout "# 示例局2024年政府信息公开工作年度报告" &&
    expect_stdout "（地址：（请填写），电话：（请填写），邮编：（请填写））" || return 1
  "$NIANBAO" new --agency 示例局 --year 2024 -o d.json 2>/dev/null
  run check --json d.json || return 1
  # 32 rows of blank cells; the placeholders of the opening paragraph and
  # the sections are errors; sums with every cell blank 无法核对 (info)
  expect_status 1 && [ "$(finding_rules | grep -c CELL-BLANK)" -eq 32 ] &&
    [ "$(finding_rules | grep -c DRAFT-TODO)" -ge 10 ] && expect_stdout '"actual":	"（请填写）"' &&
    [ "$(finding_rules | grep -v -e CELL-BLANK -e DRAFT-TODO | tr '\n' ' ')" = "T3-BAL T3-COL T3-RES T4-SUM TXT-FEE " ] ||
    fail "a draft without last year: 32 rows of blank cells, 10 placeholders, 4 sums 无法核对, TXT-FEE"
}

test_draft_output_follows_the_extension() {
  run new --agency 示例局 --year 2024 -o d.docx || return 1
  expect_status 0 && expect_stderr "已写入 d.docx（docx）" && [ "$(head -c 2 d.docx)" = PK ] || fail "expected a docx"
  run new --agency 示例局 --year 2024 -o d.html || return 1
  expect_status 0 && grep -q '<h1>示例局2024年政府信息公开工作年度报告</h1>' d.html || fail "expected an HTML page"
  run new --agency 示例局 --year 2024 -o draft || return 1
  expect_status 0 && head -1 draft | grep -q '^# 示例局2024年' || fail "without an extension the draft is Markdown"
}

test_draft_template_overrides() {
  export XDG_DATA_HOME=$PWD/data
  mkdir -p data/nianbao/templates/draft
  printf '%s\n' '{{year}}年，本局按照县政府统一部署开展政府信息公开工作。' > data/nianbao/templates/draft/overview.txt
  run new --agency 示例局 --year 2026 --to txt || return 1
  expect_status 0 && expect_stdout "2026年，本局按照县政府统一部署开展政府信息公开工作。" &&
    expect_no_stdout "（一）主动公开" && expect_stdout "（一）存在的主要问题"
}

test_new_bad_usage() {
  run new --year 2024 || return 1
  expect_status 2 && expect_stderr "请给出 --agency 单位名称 和 --year 年度" || return 1
  run new --agency 示例局 --year 24 || return 1
  expect_status 2 && expect_stderr "年度应为四位数的年份" || return 1
  run new --agency 示例局 --year 2024 --format gov-1999 || return 1
  expect_status 2 && expect_stderr "没有格式 'gov-1999'" || return 1
  run new --agency 示例局 --year 2024 --prev missing.txt -o d.md || return 1
  expect_status 2 && expect_stderr "missing.txt: 无法打开文件" || return 1
  [ ! -e d.md ] || fail "nothing may be written when last year's report cannot be read"
  run new --agency 示例局 --year 1800 || return 1
  expect_status 2
}
