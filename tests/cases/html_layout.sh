# The HTML on a phone and in print (issue 11, item 7): the page fits a 390 px
# screen without page-wide horizontal scrolling (a wide table scrolls in its
# own box); printed from Chromium, a table never starts on a page with fewer
# than three rows of values; merged cells draw their own borders.
source "$NB_ROOT/tests/outputs_lib.sh"

# phone_widths FILE: the page's scroll width, the right edge of its widest
# table box and the viewport's width, with the page in a 390 × 844 frame (a
# headless window is at least 500 px wide; the frame is the phone's viewport)
phone_widths() {
  perl -0777 -pe 's{</body>}{<script>window.addEventListener("load", () => { let w = 0;
    for (const b of document.querySelectorAll(".table-box")) w = Math.max(w, b.getBoundingClientRect().right);
    parent.document.body.setAttribute("data-widths", document.documentElement.scrollWidth + " " + Math.ceil(w) + " " + window.innerWidth); });</script></body>}' "$1" > measured.html
  printf '<!DOCTYPE html><html><body style="margin:0"><iframe src="measured.html" width="390" height="844" style="border:0"></iframe></body></html>' > phone.html
  chromium_run --allow-file-access-from-files --window-size=800,900 --virtual-time-budget=5000 --dump-dom "file://$PWD/phone.html" > dom.html
  grep -o 'data-widths="[0-9 ]*"' dom.html | grep -o '[0-9 ]*[0-9]'
}

test_html_fits_a_phone_screen() {
  run render "$EX" -o ex.html || return 1
  grep -q '<meta name="viewport" content="width=device-width' ex.html || fail "no viewport meta"
  local w
  w=$(phone_widths ex.html)
  [ -n "$w" ] || { cat chromium.err | head -5; fail "Chromium measured nothing"; return 1; }
  set -- $w
  [ "$3" -eq 390 ] || fail "the frame is $3 px wide, not 390"
  [ "$1" -le "$3" ] || fail "the page scrolls sideways at $3 px: $1 px wide"
  [ "$2" -le "$3" ] || fail "a table box reaches $2 px at a $3 px screen"
  # the screenshot at that size is made (what a person would look at)
  chromium_run --window-size=390,844 --screenshot="$PWD/phone.png" "file://$PWD/ex.html"
  [ -s phone.png ] || fail "no screenshot"
}

# the example with K three-line paragraphs more before 表三, printed by Chromium
print_with_padding() {
  local k=$1 i
  awk -v k="$k" '{ print } /^三、收到和处理政府信息公开申请情况$/ { for (i = 0; i < k; i++)
    print "本段用于测试分页位置，内容没有实际意义，只是让后面的表格在页面上移动到不同的位置，以便检查表格开头是否至少有三行数据。" }' "$EX" > padded.txt
  "$NIANBAO" render padded.txt -o padded.html --force 2>/dev/null || return 1
  chromium_run --print-to-pdf="$PWD/padded.pdf" --no-pdf-header-footer "file://$PWD/padded.html"
  [ -s padded.pdf ]
}

test_printed_table_starts_with_three_rows() {
  local k p pages bad=0 seen3 seen2
  for k in 0 1 2 3 4 5 6 7 8 9; do
    print_with_padding $k || { fail "cannot print with $k paragraphs"; return 1; }
    pages=$(pdfinfo padded.pdf | awk '/^Pages:/ { print $2 }')
    seen3= seen2=
    for p in $(seq 1 "$pages"); do
      pdftotext -f $p -l $p padded.pdf page.txt
      # the first page with 表三's header (it repeats on later pages) holds its first three rows of values
      if [ -z "$seen3" ] && grep -q '本列数据的勾稽关系为' page.txt; then
        seen3=$p
        grep -q '一、本年新收政府信息公开申请数量' page.txt && grep -q '二、上年结转政府信息公开申请数量' page.txt &&
          grep -q '（一）予以公开' page.txt || { echo "padding $k: 表三 starts on page $p with fewer than three rows"; bad=1; }
      fi
      # 表二 (no repeated header): its first page holds 规章, 行政规范性文件 and 行政许可
      if [ -z "$seen2" ] && grep -q '第二十条第（一）项' page.txt; then
        seen2=$p
        grep -q '规章' page.txt && grep -q '行政规范性文件' page.txt && grep -q '行政许可' page.txt ||
          { echo "padding $k: 表二 starts on page $p with fewer than three rows"; bad=1; }
      fi
    done
    [ -n "$seen3" ] && [ -n "$seen2" ] || { echo "padding $k: a table is missing"; bad=1; }
  done
  [ $bad = 0 ] || fail "a printed table starts with fewer than three rows"
}

test_print_css_keeps_borders_of_merged_cells() {
  run render "$EX" -o ex.html || return 1
  # in print each cell draws its borders (separate borders, cloned on each fragment)
  perl -0777 -ne 'exit !(/\@media print \{.*border-collapse: separate.*\}/s && /box-decoration-break: clone/)' ex.html ||
    fail "the print style does not keep cell borders across page breaks"
  grep -q '<tr class="keep">' ex.html || fail "no row kept with the table's start"
}
