# render --to FORMAT -o DIR FILE...: many reports in one process, one output
# per input named after it, each the same as rendering that file alone.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

two_reports() {
  mkdir -p gen && "$NB_ROOT/scripts/gen-corpus" --seed 7 --broken 0 2 gen >/dev/null
}

test_render_batch_each_output_as_rendered_alone() {
  two_reports || return 1
  local to
  for to in html md json; do
    run render --to $to -o out-$to gen/r00001.txt gen/r00002.txt "$EX" || return 1
    expect_status 0 || return 1
    expect_stderr "3 个报告，写入 3 个 $to 文件" || return 1
    local ext=$to; [ $to = md ] && ext=md
    for f in gen/r00001.txt gen/r00002.txt "$EX"; do
      local stem; stem=$(basename "$f" .txt)
      run render --to $to -o alone.$ext "$f" --force || return 1
      [ -f "out-$to/$stem.$ext" ] || { fail "no out-$to/$stem.$ext"; return 1; }
      cmp -s alone.$ext "out-$to/$stem.$ext" || { fail "$stem.$ext differs from rendering $f alone"; return 1; }
    done
  done
}

test_render_batch_refuses_existing_outputs_unless_forced() {
  two_reports || return 1
  mkdir out && echo keep > out/r00002.html
  run render --to html -o out gen/r00001.txt gen/r00002.txt || return 1
  expect_status 2 && expect_stderr "out/r00002.html 已经存在" || return 1
  [ ! -e out/r00001.html ] || fail "wrote r00001.html although the batch was refused"
  [ "$(cat out/r00002.html)" = keep ] || fail "replaced r00002.html without --force"
  run render --to html -o out --force gen/r00001.txt gen/r00002.txt || return 1
  expect_status 0 && grep -q '<html' out/r00002.html || fail "--force did not replace r00002.html"
}

test_render_batch_refuses_two_inputs_to_one_output() {
  two_reports || return 1
  mkdir b && cp gen/r00001.txt b/
  run render --to md -o out gen/r00001.txt b/r00001.txt || return 1
  expect_status 2 && expect_stderr "都会写成 out/r00001.md" && [ ! -e out ] || fail "the output directory was made"
}

test_render_batch_needs_to_and_a_directory() {
  two_reports || return 1
  run render -o out gen/r00001.txt gen/r00002.txt || return 1
  expect_status 2 && expect_stderr "请用 --to" || return 1
  run render --to md gen/r00001.txt gen/r00002.txt || return 1
  expect_status 2 && expect_stderr "请给出一个（且只一个）报告文件" || return 1
  run render --to md -o single/ gen/r00001.txt || return 1
  expect_status 0 && [ -f single/r00001.md ] || fail "-o DIR/ with one file should write DIR/r00001.md"
  run render --to md -o out gen/r00001.txt - < gen/r00002.txt || return 1
  expect_status 2 && expect_stderr "不能读标准输入"
}

test_render_batch_goes_on_past_a_bad_file() {
  two_reports || return 1
  echo "hello" > junk.txt
  run render --to md -o out gen/r00001.txt junk.txt missing.txt gen/r00002.txt || return 1
  expect_status 2 && expect_stderr "4 个报告，写入 2 个 md 文件" && expect_stderr "2 个未生成" || return 1
  [ -f out/r00001.md ] && [ -f out/r00002.md ] && [ ! -e out/junk.md ] || fail "wrong set of outputs: $(ls out)"
}

test_render_batch_refuses_publication_with_errors() {
  two_reports || return 1
  local l; l=$(line_of gen/r00002.txt "	一、本年新收政府信息公开申请数量")
  replace_line gen/r00002.txt $((l + 1)) "	999999" > bad.txt
  run render --to html -o out gen/r00001.txt bad.txt || return 1
  expect_status 1 && expect_stderr "未生成供发布的 html 文档" && [ -f out/r00001.html ] && [ ! -e out/bad.html ] ||
    fail "a report with errors was published, or the good one was not"
}
