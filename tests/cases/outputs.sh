# The renderers: golden files for the text outputs of the Shanggao report
# and the bundled example (the md renderer's are with the md importer), round trips through the importers, the merged
# cells of the HTML and DOCX tables against the official template, and the
# command-line behaviour of render.
source "$NB_ROOT/tests/outputs_lib.sh"

test_golden_text_outputs() {
  need_corpus
  local name src ext
  for name in shanggao example; do
    src=$SG; [ $name = example ] && src=$EX
    for ext in txt csv html json; do
      run render "$src" -o "$name.$ext" || return 1
      expect_status 0 && expect_stderr "已写入 $name.$ext（$ext）" && expect_golden "$name.$ext" "$name.$ext" || return 1
    done
    run render "$src" -o "$name.docx" || return 1
    expect_status 0 || return 1
    unzip -p "$name.docx" word/document.xml > "$name.document.xml" && expect_golden "$name.document.xml" "$name.document.xml" || return 1
  done
}

test_txt_round_trip_is_stable() {
  need_corpus
  local src
  for src in "$SG" "$EX"; do
    "$NIANBAO" render "$src" --to txt > once.txt && "$NIANBAO" render once.txt --to txt > twice.txt || fail "render txt"
    cmp -s once.txt twice.txt || fail "text → model → text changed the text ($src)"
    expect_same_report "$src" once.txt || return 1
  done
}

test_json_round_trip_is_exact() {
  "$NIANBAO" render "$EX" --to json > ex.json || fail "render json"
  expect_same_report "$EX" ex.json
}

# a report of tables only (from a CSV file): each table under its
# section's official heading, no cell lost
test_tables_without_sections_keep_their_cells() {
  report_json "$EX" | perl -0777 -pe 's/"preamble":.*?"tables":/"tables":/s' > tables.json
  run render tables.json --to txt || return 1
  expect_status 0 && expect_stdout "三、收到和处理政府信息公开申请情况" && expect_no_stdout "一、总体情况" || return 1
  cp stdout.txt tables.txt
  report_json tables.json | sed -n '/"tables":/,$p' > a.txt
  report_json tables.txt | sed -n '/"tables":/,$p' > b.txt
  cmp -s a.txt b.txt || fail "the cells of a tables-only report changed through the published text"
}

test_html_tables_have_the_official_merged_cells() {
  need_corpus
  run render "$SG" -o sg.html || return 1
  expect_status 0 && expect_official_merges sg.html
}

test_html_is_standalone() {
  run render "$EX" --to html || return 1
  expect_status 0 && expect_stdout '<style>' && expect_stdout '@page' && expect_stdout 'size: A4' || return 1
  ! grep -E -q '(src|href)="(https?:)?//|@import|url\(' stdout.txt || fail "the page refers to something outside it"
}

# the DOCX table 三 header: Word's merged cells (w:gridSpan across, w:vMerge down)
test_docx_tables_have_merged_cells() {
  need_corpus
  run render "$SG" -o sg.docx || return 1
  expect_status 0 || return 1
  unzip -tq sg.docx >/dev/null || fail "sg.docx is not a sound zip archive"
  unzip -p sg.docx word/document.xml | perl -0777 -ne '
    my @t = /<w:tbl>.*?<\/w:tbl>/gs; my @rows = $t[1] =~ /<w:tr>.*?<\/w:tr>/gs;
    for my $r (@rows[0..2]) { my @c;
      while ($r =~ /<w:tc>(.*?)<\/w:tc>/gs) { my $c = $1; my ($s) = $c =~ /gridSpan w:val="(\d+)"/;
        my $v = $c =~ /vMerge w:val="restart"/ ? "restart" : $c =~ /<w:vMerge\/>/ ? "cont" : "";
        my ($x) = $c =~ /<w:t(?: [^>]*)?>([^<]*)/; push @c, ($x // "") . "/" . ($s // 1) . "/$v" }
      print join(" ", @c), "\n" }' > t3.txt
  cat > want.txt <<'WANT'
（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）/3/restart 申请人情况/7/
/3/cont 自然人/1/restart 法人或其他组织/5/ 总计/1/restart
/3/cont /1/cont 商业企业/1/ 科研机构/1/ 社会公益组织/1/ 法律服务机构/1/ 其他/1/ /1/cont
WANT
  diff want.txt t3.txt || fail "table 三 header in the DOCX differs from the official template's merges" || return 1
  unzip -p sg.docx word/document.xml | grep -q '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"' ||
    fail "the DOCX page is not A4 with the GB/T 9704 margins"
}

test_render_guesses_the_renderer_from_the_extension() {
  run render "$EX" -o out.docx || return 1
  expect_status 0 && expect_stderr "已写入 out.docx（docx）" || return 1
  [ "$(head -c 2 out.docx)" = "PK" ] || fail "out.docx is not a zip archive"
  run render "$EX" -o out.pdf || return 1
  expect_status 2 && expect_stderr "-o 的扩展名不对应任何输出插件" || return 1
  [ ! -e out.pdf ] || fail "nothing should be written for an unknown extension"
}

test_docx_is_refused_on_a_terminal() {
  local status=0
  script -qec "'$NIANBAO' render '$EX' --to docx" /dev/null > tty.txt 2>&1 || status=$?
  [ $status -eq 2 ] || { cat tty.txt; fail "expected exit 2 writing docx to a terminal, got $status"; return 1; }
  grep -q '不能写到终端' tty.txt || fail "no message about the terminal"
  ! grep -q 'PK' tty.txt || fail "zip bytes reached the terminal"
  "$NIANBAO" render "$EX" --to docx > piped.docx && [ "$(head -c 2 piped.docx)" = "PK" ] || fail "docx to a pipe should work"
}

# a report written one cell a line with nothing marking rows (LibreOffice's
# text of a .docx): a label out of place is an input error at its line
test_cell_per_line_text_with_a_label_out_of_place() {
  # the published text without its TAB indentation and blank lines between rows
  "$NIANBAO" render "$EX" --to txt | awk '/^\t/ { print substr($0, 2); next } $0 != "" { print }' > lo.txt
  expect_same_report "$EX" lo.txt || return 1
  local l; l=$(line_of lo.txt "（三）不予公开")
  replace_line lo.txt "$l" "（三）不公开" > bad.txt
  run check bad.txt || return 1
  expect_status 2 && expect_stderr "bad.txt:$l: 表三（收到和处理政府信息公开申请情况）：第${l}行应为“（三）不予公开”，却是“（三）不公开”"
}
