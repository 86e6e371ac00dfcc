# check --files-from LIST: the files named in a list (one a line, - for
# standard input) are checked like FILE arguments, in one process.

SG="$NB_CORPUS/shanggao-commerce-2023.txt"
EX="$NB_ROOT/examples/example-county-transport-2024.txt"

test_files_from_list_checks_every_named_file() {
  need_corpus
  printf '%s\n\n%s\n' "$SG" "$EX" > list.txt
  run check -q --files-from list.txt || return 1
  expect_status 0 && expect_stdout "2 个报告：0 个错误"
}

test_files_from_stdin_adds_to_file_arguments() {
  need_corpus
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  replace_line "$SG" $((l + 1)) "	1" > bad.txt
  printf '%s\r\nbad.txt\n' "$EX" > list.txt
  run check --files-from - "$SG" < list.txt || return 1
  expect_status 1 && expect_stdout "3 个报告：1 个错误" &&
    expect_stdout "bad.txt:$((l + 1)): 错误 error [ROOT-CELL] 表三（收到和处理政府信息公开申请情况）“一、本年新收政府信息公开申请数量”×“自然人”"
}

test_files_from_unreadable_list_exits_2() {
  need_corpus
  run check --files-from missing.txt "$SG" || return 1
  expect_status 2 && expect_stderr "--files-from missing.txt：无法打开"
}

test_files_from_unreadable_entry_is_counted() {
  need_corpus
  printf '%s\nnot-there.txt\n' "$SG" > list.txt
  run check -q --files-from list.txt || return 1
  expect_status 2 && expect_stderr "not-there.txt: 无法打开文件" && expect_stdout "2 个报告：0 个错误，0 个警告，0 个提示，1 个无法读取"
}

test_files_from_stdin_and_file_stdin_conflict() {
  run check --files-from - - </dev/null || return 1
  expect_status 2 && expect_stderr "不能同时读标准输入"
}

# a named file is read whole whatever it is (host/plugin/import.c): a
# regular file by its size, a pipe chunk by chunk; 70,000 blank lines put
# the table past the first 64 KiB
test_a_named_file_is_read_whole_file_or_pipe() {
  need_corpus
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  { awk 'BEGIN { for (i = 0; i < 70000; i++) print "" }'; replace_line "$SG" $((l + 1)) "	1"; } > long.txt
  local want="long.txt:$((l + 70001)): 错误 error [ROOT-CELL]"
  run check long.txt || return 1
  expect_status 1 && expect_stdout "$want" || return 1
  mkfifo pipe.txt
  cat long.txt > pipe.txt &
  run check pipe.txt || return 1
  wait
  expect_status 1 && expect_stdout "pipe.txt:$((l + 70001)): 错误 error [ROOT-CELL]"
}
