# The command line: help and version, usage errors (exit 2), the listing
# commands, render's output choice and atomic writes, and check over several
# files (summary counts and the exit status they add up to).

SG="$NB_CORPUS/shanggao-commerce-2023.txt"
EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"

test_version() {
  run --version || return 1
  expect_status 0 && grep -qE '^nianbao [0-9]+\.[0-9]+\.[0-9]+$' stdout.txt || fail "no version line"
}

test_help_lists_commands_and_common_options() {
  run --help || return 1
  expect_status 0 && expect_stdout "用法：nianbao 命令" &&
    for w in "check FILE" "render FILE" formats plugins rules --plugin-dir --version "退出状态"; do
      expect_stdout "$w" || return 1
    done
}

test_no_command_prints_usage_and_exits_2() {
  run || return 1
  expect_status 2 && expect_stderr "用法：nianbao 命令"
}

# COMMAND --help: exit 0, its usage line and every option named
expect_command_help() {
  local cmd=$1; shift
  run "$cmd" --help || return 1
  expect_status 0 && expect_stdout "用法：nianbao $cmd" || return 1
  for opt in "$@"; do expect_stdout "$opt" || return 1; done
}

test_check_help() { expect_command_help check --format --via --prev --json --quiet --plugin-dir "退出状态"; }
test_render_help() { expect_command_help render --to --output --format --via --plugin-dir; }
test_formats_help() { expect_command_help formats --plugin-dir; }
test_plugins_help() { expect_command_help plugins --plugin-dir; }
test_rules_help() { expect_command_help rules --format --markdown --plugin-dir; }

test_unknown_command() {
  run frobnicate || return 1
  expect_status 2 && expect_stderr "nianbao: 没有命令 'frobnicate'"
}

test_unknown_option_of_check() {
  need_corpus
  run check --frobnicate "$SG" || return 1
  expect_status 2 && expect_stderr "没有选项 --frobnicate" && expect_stderr "用法：nianbao check"
}

test_unknown_option_of_render() {
  need_corpus
  run render -x "$SG" || return 1
  expect_status 2 && expect_stderr "没有选项 -x" && expect_stderr "用法：nianbao render"
}

test_unknown_option_of_formats() {
  run formats --frobnicate || return 1
  expect_status 2 && expect_stderr "用法：nianbao formats"
}

test_option_missing_its_value() {
  need_corpus
  run check "$SG" --prev || return 1
  expect_status 2 && expect_stderr "缺少取值"
}

test_check_without_file() {
  run check --json || return 1
  expect_status 2 && expect_stderr "nianbao check: 没有给出要检查的文件"
}

test_render_without_file() {
  run render --to md || return 1
  expect_status 2 && expect_stderr "nianbao render: 请给出一个（且只一个）报告文件"
}

test_render_with_two_files() {
  need_corpus
  run render "$SG" "$EXAMPLE" --to md || return 1
  expect_status 2 && expect_stderr "nianbao render: 请给出一个（且只一个）报告文件"
}

test_formats_lists_gov_2021() {
  run formats || return 1
  expect_status 0 && grep -qE '^gov-2021 +2021– +.*国办公开办函〔2021〕30号.*\[3 张表，200 格，[0-9]+ 条规则\]' stdout.txt ||
    fail "formats does not list gov-2021"
}

test_plugins_lists_importers_and_renderers() {
  run plugins || return 1
  expect_status 0 && expect_stdout "plugins/formats/gov-2021.lua" || return 1
  sed -n '/^导入插件：/,/^输出插件：/p' stdout.txt > importers.txt
  sed -n '/^输出插件：/,$p' stdout.txt > renderers.txt
  grep -qE '^  text +.*\[\.txt\]' importers.txt && grep -qE '^  json +.*\[\.json\]' importers.txt ||
    { fail "importers text and json not listed"; return 1; }
  grep -qE '^  md +.*\[\.md\]' renderers.txt && grep -qE '^  json +.*\[\.json\]' renderers.txt ||
    fail "renderers md and json not listed"
}

test_rules_lists_the_catalogue() {
  run rules || return 1
  expect_status 0 || return 1
  for id in FMT-SEC YEAR T3-BAL T3-RES T3-COL T4-SUM CELL-INT CELL-BLANK TXT-LEN TXT-FEE XY-CARRY T2-VALID TXT-DUP; do
    grep -q "^$id " stdout.txt || { fail "rules does not list $id"; return 1; }
  done
  run rules --format nope || return 1
  expect_status 2 && expect_stderr "nianbao rules: 没有格式 'nope'"
}

test_render_guesses_json_from_the_output_extension() {
  need_corpus
  run render "$SG" -o out.json || return 1
  expect_status 0 && expect_stderr "已写入 out.json（json）" || return 1
  grep -q '"nianbao_report":	1' out.json || fail "out.json is not the JSON form"
}

test_render_guesses_markdown_from_the_output_extension() {
  need_corpus
  run render "$SG" -o out.MD || return 1
  expect_status 0 && expect_stderr "已写入 out.MD（md）" || return 1
  head -1 out.MD | grep -q '^# 上高县商务局2023年政府信息公开工作年度报告$' || fail "out.MD is not the Markdown"
}

test_render_with_unknown_output_extension() {
  need_corpus
  run render "$SG" -o out.xyz || return 1
  expect_status 2 && expect_stderr "-o 的扩展名不对应任何输出插件" || return 1
  [ ! -e out.xyz ] || fail "out.xyz was written"
}

test_render_without_to_or_output() {
  need_corpus
  run render "$SG" || return 1
  expect_status 2 && expect_stderr "请用 --to 指明输出格式"
}

test_render_to_unknown_renderer() {
  need_corpus
  run render "$SG" --to pdf || return 1
  expect_status 2 && expect_stderr "nianbao render: --to pdf：没有这个输出格式"
}

test_render_into_a_missing_directory_leaves_nothing() {
  need_corpus
  run render "$SG" --to md -o nodir/out.md || return 1
  expect_status 2 && expect_stderr "nodir/out.md: 无法在其所在目录中创建临时文件" || return 1
  [ ! -e nodir ] || fail "nodir was created"
  [ -z "$(ls -A | grep -v -e stdout.txt -e stderr.txt)" ] || fail "files left behind: $(ls -A)"
}

test_render_onto_a_directory_fails_and_leaves_nothing() {
  need_corpus
  mkdir out.md
  run render "$SG" --to md -o out.md || return 1
  expect_status 2 && expect_stderr "out.md: 是目录" || return 1
  [ -d out.md ] && [ -z "$(ls -A out.md)" ] || fail "out.md was changed"
  [ -z "$(ls -A | grep -v -e stdout.txt -e stderr.txt -e '^out.md$')" ] || fail "files left behind: $(ls -A)"
}

test_render_failure_keeps_the_old_output() {
  echo "old" > out.md
  : > empty.txt
  run render empty.txt -o out.md || return 1
  expect_status 2 && [ "$(cat out.md)" = "old" ] || fail "out.md was changed"
}

# a copy of the example with one balance broken (2 error findings)
broken_copy() {
  local l; l=$(line_of "$EXAMPLE" "	一、本年新收政府信息公开申请数量")
  replace_line "$EXAMPLE" $((l + 1)) "	9" > "$1"
}

test_several_clean_files() {
  need_corpus
  run check "$SG" "$EXAMPLE" || return 1
  expect_status 0 && expect_stdout "2 个报告：0 个错误，0 个警告，0 个提示"
}

test_several_files_one_with_errors_exits_1() {
  need_corpus
  broken_copy broken.txt
  run check "$SG" broken.txt "$EXAMPLE" || return 1
  expect_status 1 && expect_stdout "broken.txt:" &&
    expect_stdout "3 个报告：1 个错误，0 个警告，0 个提示" || return 1
  # T3-BAL and T3-COL break, one cell explains both: one error line
  [ "$(grep -c ' error \[' stdout.txt)" -eq 1 ] || fail "expected 1 error line"
}

test_several_files_summary_in_json() {
  need_corpus
  broken_copy broken.txt
  run check --json "$SG" broken.txt || return 1
  expect_status 1 && expect_findings ROOT-CELL || return 1
  tr -d '\n\t ' < stdout.txt | grep -qF '"summary":{"files":2,"unreadable":0,"error":1,"warning":0,"info":0,"verify":0,"with_errors":1}' ||
    fail "wrong summary"
}

test_several_files_one_unreadable_exits_2() {
  need_corpus
  broken_copy broken.txt
  : > empty.txt
  run check "$SG" empty.txt broken.txt || return 1
  # the others are still checked and reported
  expect_status 2 && expect_stderr "empty.txt: 文件是空的" && expect_stdout "broken.txt:" &&
    expect_stdout "3 个报告：1 个错误，0 个警告，0 个提示，1 个无法读取"
}

test_several_files_unreadable_in_json_summary() {
  need_corpus
  run check --json "$SG" missing.txt || return 1
  expect_status 2 && expect_stderr "missing.txt: 无法打开文件" || return 1
  tr -d '\n\t ' < stdout.txt | grep -qF '"summary":{"files":2,"unreadable":1,"error":0,"warning":0,"info":0,"verify":0,"with_errors":0}' ||
    fail "wrong summary"
}

test_unreadable_prev_exits_2() {
  need_corpus
  run check --prev missing.txt "$SG" || return 1
  expect_status 2 && expect_stderr "missing.txt: 无法打开文件"
}

test_prev_enables_the_cross_year_rules() {
  # last year's 结转下年度 (自然人 and 总计 set to 3) must be this year's
  # 上年结转 (1); 现行有效件数 (12) ≠ last year's 12 + 3 issued − 1 repealed;
  # and the text of 五 is last year's
  local l; l=$(line_of "$EXAMPLE" "	四、结转下年度继续办理")
  replace_line "$EXAMPLE" $((l + 1)) "	3" | replace_line /dev/stdin $((l + 7)) "	3" | sed "s/2024年/2023年/g" > last.txt
  run check --json --prev last.txt "$EXAMPLE" || return 1
  expect_status 1 && expect_findings XY-CARRY XY-CARRY T2-VALID TXT-DUP &&
    expect_finding_field XY-CARRY row carried_in &&
    expect_finding_field XY-CARRY column natural &&
    expect_finding_field XY-CARRY expected 3 &&
    expect_finding_field XY-CARRY actual 1
}

test_unknown_format_option() {
  need_corpus
  run check --format gov-1999 "$SG" || return 1
  expect_status 2 && expect_stderr "没有格式 'gov-1999'；可用的格式：gov-2019、gov-2021、legacy" || return 1
  ! grep -qF "$SG" stderr.txt || fail "a usage error blamed the report"
}

test_unknown_importer_option() {
  need_corpus
  run check --via pptx "$SG" || return 1
  expect_status 2 && expect_stderr "--via pptx：没有这个导入插件"
}

test_via_reads_a_file_whatever_its_name() {
  need_corpus
  cp "$SG" report.dat
  run check --via text --json report.dat || return 1
  expect_status 0 && expect_findings && expect_stdout '"file":	"report.dat"'
}
