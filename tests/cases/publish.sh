# What nianbao publishes, read by the programs that will read it: the HTML
# page in headless Chromium (it renders, a screenshot is taken, the text the
# browser holds imports as the same report, the merged cells survive the
# browser's parse) and the DOCX in headless LibreOffice (it converts to PDF
# without complaint, and its text imports as the same report).
source "$NB_ROOT/tests/outputs_lib.sh"

test_html_in_chromium() {
  need_corpus
  run render "$SG" -o sg.html && run render "$EX" -o ex.html || return 1
  chromium_run --window-size=1000,1400 --screenshot="$PWD/sg.png" "file://$PWD/sg.html" ||
    { cat chromium.err; fail "chromium could not take a screenshot"; return 1; }
  [ "$(head -c 8 sg.png | od -An -c | tr -d ' ')" = '211PNG\r\n032\n' ] || fail "sg.png is not a PNG image"
  # a page of text and tables, not a blank one
  [ "$(stat -c %s sg.png)" -gt 60000 ] || fail "the screenshot is nearly empty ($(stat -c %s sg.png) bytes)"
  local page
  for page in sg ex; do
    chromium_run --dump-dom "file://$PWD/$page.html" > $page.dom.html ||
      { cat chromium.err; fail "chromium could not load $page.html"; return 1; }
    perl "$NB_ROOT/tests/html_text.pl" < $page.dom.html > $page.browser.txt
  done
  expect_same_report "$SG" sg.browser.txt && expect_same_report "$EX" ex.browser.txt &&
    expect_official_merges sg.dom.html
}

test_docx_in_libreoffice() {
  need_corpus
  run render "$SG" -o sg.docx && run render "$EX" -o ex.docx || return 1
  soffice_convert pdf sg.docx ex.docx || { cat soffice.err; fail "LibreOffice failed to convert to PDF"; return 1; }
  ! grep -i -E 'error|warn|fail' soffice.err | grep -v javaldx || fail "LibreOffice complained"
  local f
  for f in sg ex; do
    [ "$(head -c 5 $f.pdf)" = "%PDF-" ] || fail "$f.pdf is not a PDF"
  done
  # A4: 210 × 297 mm = 595.3 × 841.9 points
  grep -a -q -E 'MediaBox ?\[ *0 0 595(\.[0-9]+)? (841\.[89]|842)' sg.pdf ||
    fail "the PDF pages are not A4: $(grep -a -o -m1 'MediaBox[^/]*' sg.pdf)"
  soffice_convert txt:Text sg.docx ex.docx || { cat soffice.err; fail "LibreOffice failed to convert to text"; return 1; }
  expect_same_report "$SG" sg.txt && expect_same_report "$EX" ex.txt
}
