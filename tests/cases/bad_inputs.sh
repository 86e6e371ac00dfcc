# Input nianbao cannot read: each is a clear message naming the file (and
# the line, where there is one), exit status 2, and no crash or sanitizer
# report.

SG="$NB_CORPUS/shanggao-commerce-2023.txt"

# check FILE must fail with exit 2 and a message matching the regex $2
expect_unreadable() {
  run check "$1" || return 1
  expect_status 2 && expect_stderr_re "$2" &&
    expect_stdout "1 个报告：0 个错误，0 个警告，0 个提示，1 个无法读取"
}

test_empty_file() {
  : > empty.txt
  expect_unreadable empty.txt '^empty\.txt: 文件是空的'
}

test_random_bytes() {
  head -c 4096 /dev/urandom > random.txt
  # a NUL byte makes it binary whatever the random draw
  printf '\0' >> random.txt
  expect_unreadable random.txt '^random\.txt:1: 不是 UTF-8 文本'
}

test_png_header_with_txt_extension() {
  printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\001' > picture.txt
  expect_unreadable picture.txt '^picture\.txt:1: 不是 UTF-8 文本'
}

test_png_file_without_known_extension() {
  printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\001' > picture.png
  expect_unreadable picture.png '^picture\.png:1: 不是 UTF-8 文本'
}

test_gbk_text_is_read_as_gbk() {
  # 年度报告 in GBK: decoded (the title is read), then refused for its missing year
  printf '\304\352\266\310\261\250\270\346\n' > gbk.txt
  expect_unreadable gbk.txt '^gbk\.txt:1: 无法从标题判断报告年度'
}

test_text_that_is_no_report() {
  printf 'hello\nworld\n' > hello.txt
  expect_unreadable hello.txt '^hello\.txt:1: 没有找到报告标题'
}

# the report cut off after line N of the file
cut_at() { head -n "$1" "$SG" > cut.txt; }

test_table3_cut_between_rows() {
  need_corpus
  local l; l=$(line_of "$SG" "	8.属于行政查询事项")
  cut_at $((l - 1))
  expect_unreadable cut.txt "^cut\.txt:$((l - 1)): 表三（收到和处理政府信息公开申请情况）不完整：缺少14行（8\.属于行政查询事项…）；表格可能被截断"
}

test_table3_cut_inside_a_row() {
  need_corpus
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  cut_at $((l + 3))
  expect_unreadable cut.txt "^cut\.txt:$l: 表三（收到和处理政府信息公开申请情况）“一、本年新收政府信息公开申请数量”：应有7个数值，这里有3个；表格可能被截断"
}

test_table3_cut_after_its_header() {
  need_corpus
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  cut_at $((l - 1))
  expect_unreadable cut.txt '^cut\.txt:[0-9]+: 表三（收到和处理政府信息公开申请情况）不完整：缺少25行'
}

test_table4_cut_inside_its_row() {
  need_corpus
  local h l
  h=$(line_of "$SG" "四、政府信息公开行政复议、行政诉讼情况")
  l=$(line_of "$SG" "	0" "$h")
  cut_at $((l + 5))
  expect_unreadable cut.txt "^cut\.txt:$l: 表四（政府信息公开行政复议、行政诉讼情况）“案件数量”：应有15个数值，这里有6个"
}

test_table2_cut_between_blocks() {
  need_corpus
  local l; l=$(line_of "$SG" "	第二十条第（五）项")
  cut_at $((l - 1))
  expect_unreadable cut.txt '^cut\.txt:[0-9]+: 表二（主动公开政府信息情况）不完整：缺少4行（行政许可…）'
}

# r.txt = the report with the first 新收 cell replaced by $1
new_cell() {
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  NEW_LINE=$((l + 1))
  replace_line "$SG" "$NEW_LINE" "	$1" > r.txt
}

test_letter_in_a_count_cell() {
  need_corpus
  new_cell "a"
  expect_unreadable r.txt "^r\.txt:$NEW_LINE: 表三（收到和处理政府信息公开申请情况）“一、本年新收政府信息公开申请数量”行“自然人”列：“a”不是数字：数量单元格应填写整数（如 0），不适用可写“/”"
}

test_digit_and_letter_in_a_count_cell() {
  need_corpus
  new_cell "1O"
  expect_unreadable r.txt "^r\.txt:$NEW_LINE: .*行“自然人”列：“1O”不是数字"
}

test_letter_in_table4_names_the_column_group() {
  need_corpus
  local h l
  h=$(line_of "$SG" "四、政府信息公开行政复议、行政诉讼情况")
  l=$(line_of "$SG" "	0" "$h")
  replace_line "$SG" $((l + 2)) "	x" > r.txt
  expect_unreadable r.txt "^r\.txt:$((l + 2)): 表四（政府信息公开行政复议、行政诉讼情况）“案件数量”行“行政复议／其他结果”列：“x”不是数字"
}

test_chinese_numeral_in_table2() {
  need_corpus
  local l; l=$(line_of "$SG" "	规章")
  replace_line "$SG" $((l + 2)) "	零" > r.txt
  expect_unreadable r.txt "^r\.txt:$((l + 2)): 表二（主动公开政府信息情况）“规章”行“本年废止件数”列：“零”不是数字"
}

test_negative_count() {
  need_corpus
  new_cell "-1"
  expect_unreadable r.txt "^r\.txt:$NEW_LINE: .*行“自然人”列：“-1”数量不能为负数：请填写 0 或正整数"
}

test_amount_cell_with_wrong_unit() {
  need_corpus
  local l; l=$(line_of "$SG" "	行政事业性收费")
  replace_line "$SG" $((l + 1)) "	3件" > r.txt
  expect_unreadable r.txt "^r\.txt:$((l + 1)): 表二（主动公开政府信息情况）“行政事业性收费”行“本年收费金额（单位：万元）”列：“3件”单位与本栏不符"
}

test_several_bad_cells_are_all_reported() {
  need_corpus
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  replace_line "$SG" $((l + 1)) "	x" | awk -v n=$((l + 3)) 'NR == n { print "\t-2"; next } { print }' > r.txt
  expect_unreadable r.txt "^r\.txt:$((l + 1)): .*“x”不是数字" &&
    expect_stderr_re "^r\.txt:$((l + 3)): .*行“科研机构”列：“-2”数量不能为负数"
}

test_nonexistent_file() {
  expect_unreadable no-such-report.txt '^no-such-report\.txt: 无法打开文件'
}

test_directory_as_file() {
  mkdir adir
  expect_unreadable adir '^adir: 这是一个目录，不是报告文件'
}

test_render_of_unreadable_file_writes_nothing() {
  : > empty.txt
  run render empty.txt -o out.md || return 1
  expect_status 2 && expect_stderr "empty.txt: 文件是空的" || return 1
  [ ! -e out.md ] || fail "out.md was written"
}

test_stdin_dash_reads_the_report() {
  need_corpus
  run check --json - < "$SG" || return 1
  expect_status 0 && expect_findings && expect_stdout '"file":	"(stdin)"'
}

test_stdin_errors_name_stdin_and_line() {
  need_corpus
  new_cell "a"
  run check - < r.txt || return 1
  expect_status 2 && expect_stderr_re "^\(stdin\):$NEW_LINE: .*“a”不是数字"
}

test_empty_stdin() {
  run check - < /dev/null || return 1
  expect_status 2 && expect_stderr_re '^\(stdin\): 文件是空的'
}

test_invalid_json_names_the_line() {
  printf '{\n  "nianbao_report": 1,\n  "format": "gov-2021",\n  oops\n}\n' > bad.json
  expect_unreadable bad.json '^bad\.json:4: 不是有效的 JSON'
}

test_json_that_is_no_report() {
  printf '{"hello": 1}\n' > other.json
  expect_unreadable other.json '^other\.json:1: 不是 nianbao 报告 JSON'
}

test_json_cell_that_is_no_number() {
  need_corpus
  run render "$SG" --to json || return 1
  sed 's/"natural":	"0"/"natural":	"abc"/' stdout.txt > r.json
  # 25 rows of 表三 have a 自然人 cell: the first 20 are listed, then a count
  expect_unreadable r.json '^r\.json: 表三（收到和处理政府信息公开申请情况）“[^”]+”行“自然人”列：“abc”不是数字' &&
    expect_stderr "r.json: ……另有 5 个单元格无法读取（只列出前 20 个）" || return 1
  [ "$(grep -c '不是数字' stderr.txt)" -eq 20 ] || fail "expected 20 cell messages"
}
