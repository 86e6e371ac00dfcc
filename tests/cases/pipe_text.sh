# Text from OCR or a PDF-to-Markdown extractor (issue 8, item 4): pipe rows,
# "# " titles over two lines with "2024 年", header rows "数据1…", ordinals
# dropped or half-width, spaces in labels, OCR's confusions, a label
# detached from its numbers, numbers in one cell.  Made the way the tools
# make them: the example's Markdown put through tests/fixtures/pdf2md.awk.
EX="$NB_ROOT/examples/example-county-transport-2024.txt"

pdf_markdown() {
  "$NIANBAO" render "$EX" --to md | awk -f "$NB_ROOT/tests/fixtures/pdf2md.awk"
}
tables_of() { sed -n '/^	"tables":/,$p' "$1"; }

test_pdf_markdown_of_the_example_gives_back_its_tables() {
  pdf_markdown > got.md
  grep -q '^| 项目 | 数据1 | 数据2' got.md && grep -q '^# 示例县交通运输局2024 年$' got.md && grep -q '^| (一) 予以 公开 |$' got.md ||
    fail "the fixture is not mangled as expected" || return 1
  "$NIANBAO" render "$EX" --to json > want.json
  run render got.md --to json || return 1
  expect_status 0 && expect_stdout '"title":	"示例县交通运输局2024年政府信息公开工作年度报告"' &&
    expect_stdout '"heading":	"四、政府信息公开行政复议、行政诉讼情况"' || return 1
  tables_of want.json > want.txt; tables_of stdout.txt > got.txt
  diff want.txt got.txt > /dev/null || fail "the tables differ from the example's"
}

test_pdf_markdown_check_says_how_it_was_read() {
  pdf_markdown > got.md
  run check --json got.md || return 1
  expect_status 0 && expect_findings IMPORT-PIPE && expect_stdout '3个行名称与官方名称不完全一致'
}

test_the_same_text_saved_as_txt_is_read_by_content() {
  pdf_markdown > ocr.txt
  run check --json ocr.txt || return 1
  expect_status 0 && expect_findings IMPORT-PIPE
}

test_numbers_that_cannot_be_joined_to_their_label_are_blank_and_said() {
  # 予以公开's numbers cut in two by a line of text: neither part is a row
  pdf_markdown | awk '/^\| 4 \| 1 \| 0 \| 0 \| 0 \| 0 \| 5 \|$/ { print "| 4 | 1 | 0 |"; print "（续表）"; print "| 0 | 0 | 0 | 5 |"; next } { print }' > cut.md
  run check --json cut.md || return 1
  expect_status 1 && expect_finding_field IMPORT-AMBIGUOUS row r_granted &&
    expect_stdout "原文这一行有3个数值（4 1 0），本行应有7个" &&
    expect_stdout '这一行的数字（0 0 0 5）没有行名称' || return 1
  run render cut.md --to json || return 1
  awk '/"r_granted":/ { on = 1 } on && /"natural":/ { print; exit }' stdout.txt | grep -q null ||
    fail "予以公开 must stay blank"
}

test_a_misread_label_with_one_place_left_is_that_row_blank_and_said() {
  pdf_markdown | sed 's/^| 　　4.保护第三方合法权益 |/| 　　4.保护第四方权益 |/' > bad.md
  n=$(grep -n '保护第四方' bad.md | cut -d: -f1)
  run check --json bad.md || return 1
  expect_status 1 && expect_finding_field IMPORT-AMBIGUOUS row r_deny_third &&
    expect_stdout "无法识别的行名称“4.保护第四方权益”（识别可能有误），按位置只可能是“4.保护第三方合法权益”" &&
    expect_stdout '"line":	'"$n" || return 1
  [ "$(grep -c '"rule":	"IMPORT-AMBIGUOUS"' stdout.txt)" -eq 7 ] || fail "one note a cell of the row: $(grep -c IMPORT-AMBIGUOUS stdout.txt)"
  grep -q CELL-BLANK stdout.txt && fail "the notes explain the blank cells: no CELL-BLANK"
  run render bad.md --to json || return 1
  awk '/"r_deny_third":/ { on = 1 } on && /"natural":/ { print; exit }' stdout.txt | grep -q null ||
    fail "the row stays blank: its numbers are not guessed"
  awk '/"r_granted":/ { on = 1 } on && /"natural":/ { print; exit }' stdout.txt | grep -q '"4"' ||
    fail "the other rows are read"
}

test_misread_labels_with_several_places_are_refused_with_their_line() {
  pdf_markdown | sed -e 's/^| 　　4.保护第三方合法权益 |/| 　　4.保护第四方权益 |/' \
    -e 's/^| 　　5.属于三类内部事务信息/| 　　5.属于三类内都事务信忌/' > bad.md
  grep -q '内都事务信忌' bad.md || fail "the fixture lacks the second misread row" || return 1
  n=$(grep -n '保护第四方' bad.md | cut -d: -f1)
  run check bad.md || return 1
  expect_status 2 && expect_stderr "bad.md:$n: 表三（收到和处理政府信息公开申请情况）：无法识别的行“4.保护第四方权益”"
}

test_gbk_pipe_text_is_read_with_an_encoding_note() {
  pdf_markdown | iconv -f UTF-8 -t GB18030 > gbk.txt
  run check --json gbk.txt || return 1
  expect_status 0 && expect_findings IMPORT-ENCODING IMPORT-PIPE && expect_stdout 'GB18030'
}

test_nianbao_markdown_still_goes_to_the_markdown_importer() {
  "$NIANBAO" render "$EX" --to md > own.md
  run check --json own.md || return 1
  expect_status 0 && expect_no_stdout IMPORT-PIPE
}

test_pdf_markdown_of_the_real_shanghai_2019_report_keeps_its_cells_and_blanks() {
  need_corpus
  SH="$NB_CORPUS/shanghai-govoffice-2019.txt"
  "$NIANBAO" render "$SH" --to md | awk -f "$NB_ROOT/tests/fixtures/pdf2md.awk" > sh.md
  "$NIANBAO" render "$SH" --to json > want.json
  run render sh.md --to json || return 1
  tables_of want.json > want.txt; tables_of stdout.txt > got.txt
  diff want.txt got.txt > /dev/null || fail "the tables differ from the Shanghai report's"
  grep -c '":	null' got.txt | grep -qx 135 || fail "the 135 blank cells must stay blank"
}

# OCR that read a table column by column: the labels of two rows, then their
# numbers.  Paired in order only when the format's equalities allow no other
# pairing.
labels_then_numbers() { # FIRST-LABEL SECOND-LABEL
  pdf_markdown | awk -v a="$1" -v b="$2" '
    index($0, "| " a " |") == 1 || index($0, "| 　" a " |") == 1 { la = $0; next }
    la != "" && (index($0, "| " b " |") == 1 || index($0, "| 　" b " |") == 1) {
      x = la; sub(/ \|.*/, " |", x); print x; y = $0; sub(/ \|.*/, " |", y); print y
      v = la; sub(/^\|[^|]*\|/, "|", v); print v; w = $0; sub(/^\|[^|]*\|/, "|", w); print w; la = ""; next }
    { print }'
}

test_labels_and_numbers_read_apart_are_paired_when_the_rules_decide() {
  labels_then_numbers '（七）总计' '四、结转下年度继续办理' > cols.md
  [ "$(grep -c '^| 　（七）总计 |$' cols.md)" -eq 1 ] || fail "the fixture has no detached labels" || return 1
  run check --json cols.md || return 1
  expect_status 0 && expect_stdout '2行按顺序配对，本格式的' || return 1
  "$NIANBAO" render "$EX" --to json > want.json
  run render cols.md --to json || return 1
  tables_of want.json > want.txt; tables_of stdout.txt > got.txt
  diff want.txt got.txt > /dev/null || fail "the paired rows differ from the example's"
}

test_labels_and_numbers_read_apart_stay_blank_when_a_swap_fits_too() {
  # 本年新收 and 上年结转 add up alike in every rule: either pairing fits
  labels_then_numbers '一、本年新收政府信息公开申请数量' '二、上年结转政府信息公开申请数量' > cols.md
  run check --json cols.md || return 1
  expect_status 1 && expect_finding_field IMPORT-AMBIGUOUS row new &&
    expect_stdout '的数字互换也都符合本格式的规则' || return 1
  run render cols.md --to json || return 1
  awk '/"new":/ { on = 1 } on && /"natural":/ { print; exit }' stdout.txt | grep -q null || fail "本年新收 must stay blank"
}

# digits of a row's cells run together inside one cell, as some extractors
# write them: cut by the row's count and the format's rules, or left blank
run_together() { # LABEL
  pdf_markdown | awk -v a="$1" 'index($0, "| " a " |") == 1 || index($0, "| 　" a " |") == 1 {
    n = split($0, f, / \| /); s = f[1] " | "; for (k = 2; k <= n; k++) { v = f[k]; gsub(/[ |]/, "", v); s = s v } print s " |"; next }
    { print }'
}

test_digits_run_together_in_a_cell_are_cut_by_the_rules() {
  run_together '（七）总计' > run.md
  grep -q '^| 　（七）总计 | [0-9]* |$' run.md || fail "the fixture has no run-together row" || return 1
  run check --json run.md || return 1
  expect_status 0 && expect_stdout '1行的数字在单元格中连在一起，已按每行的列数和本格式的规则拆分：1行唯一确定' || return 1
  "$NIANBAO" render "$EX" --to json > want.json
  run render run.md --to json || return 1
  tables_of want.json > want.txt; tables_of stdout.txt > got.txt
  diff want.txt got.txt > /dev/null || fail "the cut row differs from the example's"
}

test_digits_run_together_that_no_rule_decides_stay_blank() {
  run_together '行政规范性文件' > run.md
  run check --json run.md || return 1
  expect_status 1 && expect_finding_field IMPORT-AMBIGUOUS row normative && expect_stdout '的数字连在一起，本格可能是' || return 1
  run render run.md --to json || return 1
  awk '/"normative":/ { on = 1 } on && /"issued":/ { print; exit }' stdout.txt | grep -q null || fail "an undecided cell must stay blank"
}

test_a_title_with_a_spaced_year_in_plain_text() {
  sed '1s/2024年/2024 年/' "$EX" > sp.txt
  run render sp.txt --to json || return 1
  expect_status 0 && expect_stdout '"title_year":	2024' && expect_stdout '"agency":	"示例县交通运输局"'
}

test_ocr_text_without_pipes_gives_back_the_tables() {
  # what OCR writes of a printed table: cells separated by spaces, a label
  # broken over two lines, numbers on the line after their label
  pdf_markdown | sed -e 's/^| *//; s/ *|$//; s/ | / /g; s/|/ /g' > ocr.txt
  grep -q '^4 1 0 0 0 0 5$' ocr.txt && ! grep -q '|' ocr.txt || fail "the fixture still has pipes" || return 1
  "$NIANBAO" render "$EX" --to json > want.json
  run render ocr.txt --to json || return 1
  expect_status 0 || return 1
  tables_of want.json > want.txt; tables_of stdout.txt > got.txt
  diff want.txt got.txt > /dev/null || fail "the tables differ from the example's"
}
