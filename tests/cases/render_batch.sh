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

# the HTML renderer keeps each table's grid from one report to the next,
# only the values set anew (lib/grid.lua: standing grids): a cell blank in
# one report and filled in the one before is blank in its page, and every
# page is the one that report renders alone
test_render_batch_html_values_are_each_reports_own() {
  two_reports || return 1
  run render --to json -o full.json gen/r00001.txt || return 1
  expect_status 0 || return 1
  local v; v=$(grep -A1 '"licensing":' full.json | sed -n 's/.*"decisions":	"\([0-9]*\)".*/\1/p')
  [ -n "$v" ] || { fail "no 许可 decisions in the generated report"; return 1; }
  sed '/"licensing":/{n;s/"decisions":	"[0-9]*"/"decisions":	null/;}' full.json > blank.json
  run render --force --to html -o out full.json blank.json gen/r00002.txt || return 1
  expect_status 0 || return 1
  local stem
  for stem in full blank; do
    run render --force --to html -o alone.html $stem.json || return 1
    cmp -s alone.html out/$stem.html || { fail "$stem.html of the batch differs from rendering $stem.json alone"; return 1; }
  done
  grep -q "data-cell=\"t2.licensing.decisions\">$v<" out/full.html || fail "full.html lacks the $v"
  grep -q 'data-cell="t2.licensing.decisions"><' out/blank.html || fail "blank.html does not have the cell blank"
}

# paragraphs are the text's non-empty lines, a "\r" before a line's end
# (or the text's) left out (lib/document.lua), on every page renderer
test_render_paragraphs_are_the_non_empty_lines() {
  two_reports || return 1
  run render --to json -o full.json gen/r00001.txt || return 1
  sed 's/^\t"preamble":\t".*",$/\t"preamble":\t"甲\\r\\n\\r\\n乙\\n\\n丙\\r",/' full.json > crlf.json
  grep -q '"preamble":	"甲' crlf.json || { fail "the preamble was not replaced"; return 1; }
  run render --force --to html -o page.html crlf.json || return 1
  expect_status 0 || return 1
  grep -q '^<p>甲</p>$' page.html && grep -q '^<p>乙</p>$' page.html && grep -q '^<p>丙</p>$' page.html ||
    { fail "the paragraphs are not 甲, 乙, 丙: $(grep -a '^<p>' page.html | head -4 | od -c | head -5)"; return 1; }
  ! grep -q $'\r' page.html && ! grep -q '^<p></p>$' page.html || fail "a carriage return or an empty paragraph in the page"
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

# more inputs than one commit of the batch holds (64): every output written,
# each said, none left as a temporary file
test_render_batch_of_more_files_than_one_commit() {
  mkdir in && local i
  for i in $(seq -w 1 70); do cp "$EX" in/a$i.txt; done
  run render --to md -o out in/*.txt || return 1
  expect_status 0 && expect_stderr "70 个报告，写入 70 个 md 文件" || return 1
  [ "$(grep -c '^已写入 out/a[0-9]*\.md（md）$' stderr.txt)" -eq 70 ] || { fail "not 70 lines 已写入"; return 1; }
  run render --to md -o alone.md "$EX" || return 1
  for i in 01 64 65 70; do cmp -s alone.md out/a$i.md || { fail "out/a$i.md differs from rendering alone"; return 1; }; done
  [ "$(ls out | wc -l)" -eq 70 ] || fail "out holds more than the 70 outputs: $(ls out | grep -v '^a..\.md$')"
}

# BATCH inputs rendered to 4 MiB each by a plugin renderer over outputs that
# say "previous", to kill the batch at different moments
big_batch() {
  plugin big.lua <<'EOT'
local host = ...
host.renderer { id = "big", description = "big", extension = "big",
  render = function() return string.rep("0123456789abcdef", 4 * 65536) end }
EOT
  mkdir -p in out && local i
  for i in $(seq -w 1 "$1"); do cp "$EX" in/a$i.txt; echo previous > out/a$i.big; done
}

# every output either the previous one or the whole new one; at most one
# temporary file beside each
outputs_whole() {
  local f size
  for f in out/a*.big; do
    size=$(stat -c %s "$f")
    [ "$(head -c 8 "$f")" = previous ] || [ "$size" -eq $((16 * 4 * 65536)) ] ||
      { fail "$f is half written ($size bytes) after $1"; return 1; }
  done
  [ -z "$(ls out | grep -v -e '^a[0-9]*\.big$' -e '^a[0-9]*\.big\.tmp......$')" ] || { fail "unexpected files: $(ls out)"; return 1; }
  [ -z "$(ls out | grep '\.tmp' | sed 's/\.tmp.*//' | uniq -d)" ] || fail "two temporary files beside one output: $(ls out)"
}

test_render_batch_killed_with_9_leaves_each_output_whole() {
  big_batch 12
  local i pid
  for i in 02 05 10 20 30 40 50 60 70 80; do
    "$NIANBAO" render --plugin-dir plugins --to big --force -o out in/*.txt 2> /dev/null & pid=$!
    sleep "0.$i"
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    outputs_whole "kill -9 at 0.$i s" || return 1
    rm -f out/*.tmp*  # a kill -9 cannot clean up
  done
  run render --plugin-dir plugins --to big --force -o out in/*.txt || return 1
  expect_status 0 && outputs_whole "a whole run" && [ -z "$(grep -l previous out/*.big)" ] || fail "a run after the kills did not replace every output"
}

test_render_batch_sigterm_removes_every_temporary_file() {
  big_batch 12
  local i pid
  for i in 02 05 10 20 30 40 50 60 70 80; do
    "$NIANBAO" render --plugin-dir plugins --to big --force -o out in/*.txt 2> /dev/null & pid=$!
    sleep "0.$i"
    kill -TERM "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    outputs_whole "SIGTERM at 0.$i s" || return 1
    [ -z "$(ls out | grep '\.tmp')" ] || { fail "temporary files left after SIGTERM at 0.$i s: $(ls out)"; return 1; }
  done
}
