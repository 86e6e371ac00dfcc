# The PDF importer: the example and the real reports rendered by nianbao to
# .docx and .html, printed to PDF by LibreOffice and by Chromium, read back
# to the same cells; a printed 总计 0 read as printed; numbers that cannot
# be placed left blank with IMPORT-AMBIGUOUS; a scan, an encrypted and a
# cut-off PDF refused (exit 2, one line naming the file, nothing written).
# LibreOffice and Chromium are slow: few conversions, soffice batched.

EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"

need_soffice() { command -v soffice >/dev/null || { echo "skipped: no LibreOffice"; exit 77; }; }
chrome() {
  local c; c=$(command -v chromium || command -v chromium-browser) || { echo "skipped: no Chromium"; exit 77; }
  "$c" --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$2" "file://$PWD/$1" \
    >/dev/null 2>&1
  [ -s "$2" ] || fail "chromium printed nothing for $1"
}

# the cells of a report (render --to json's tables), one "table.row.column=value" a line
cells_of() {
  "$NIANBAO" render "$1" --to json 2>cells.err | lua5.4 -e '
    local s = io.read("a")
    local t = s:match("\"tables\":%s*(%b{})") or error("no tables")
    for tid, rows in t:gmatch("\"([%w_]+)\":%s*(%b{})") do
      for rid, cols in rows:gmatch("\"([%w_]+)\":%s*(%b{})") do
        for cid, v in cols:gmatch("\"([%w_]+)\":%s*([^,}\n]+)") do print(tid .. "." .. rid .. "." .. cid .. "=" .. v) end
      end
    end' | sort
}

same_cells() { # pdf source
  cells_of "$2" > want.txt && cells_of "$1" > got.txt || { cat cells.err; fail "render failed: $1"; return 1; }
  [ "$(wc -l < want.txt)" -gt 30 ] || fail "too few cells read from $2" || return 1
  diff want.txt got.txt > diff.txt || { head -20 diff.txt; fail "cells differ: $1"; }
}

reports() {
  echo "$EXAMPLE"
  [ -d "$NB_CORPUS" ] && ls "$NB_CORPUS"/shanggao-commerce-2023.txt "$NB_CORPUS"/shanghai-govoffice-2019.txt 2>/dev/null
  return 0
}

test_pdf_from_libreoffice_and_chromium_reads_back_the_same_cells() {
  need_soffice
  local f n docs=()
  for f in $(reports); do
    n=$(basename "$f" .txt)
    "$NIANBAO" render "$f" --force -o "$n.docx" 2>/dev/null && "$NIANBAO" render "$f" --force -o "$n.html" 2>/dev/null ||
      fail "render $f" || return 1
    docs+=("$n.docx")
  done
  # a 2021 report laid out in the 2019 template: read by that template's labels, FMT-VER reported
  if [ -f "$NB_CORPUS/shanghai-govoffice-2019.txt" ]; then
    sed '3s/^2019年/2021年/' "$NB_CORPUS/shanghai-govoffice-2019.txt" > sh2021.txt
    grep -q '^2021年上海市' sh2021.txt || fail "fixture" || return 1
    "$NIANBAO" render sh2021.txt --force -o sh2021.docx 2>/dev/null || fail "render sh2021" || return 1
    docs+=(sh2021.docx)
  fi
  mkdir -p lo && soffice --headless --convert-to pdf --outdir lo "${docs[@]}" >/dev/null 2>&1 || fail "soffice" || return 1
  if [ -f sh2021.txt ]; then
    same_cells lo/sh2021.pdf sh2021.txt || return 1
    run check --json lo/sh2021.pdf && expect_finding_field FMT-VER actual gov-2019 || return 1
  fi
  for f in $(reports); do
    n=$(basename "$f" .txt)
    chrome "$n.html" "$n.chrome.pdf" || return 1
    same_cells "lo/$n.pdf" "$f" && same_cells "$n.chrome.pdf" "$f" || return 1
  done
  # the narrative too: title, agency and the preamble's contact as in the text
  local p want got
  want=$("$NIANBAO" render "$EXAMPLE" --to json | grep -E '^\s*"(title|agency|address|phone|postcode)":')
  for p in lo/example-county-transport-2024.pdf example-county-transport-2024.chrome.pdf; do
    got=$("$NIANBAO" render "$p" --to json 2>/dev/null | grep -E '^\s*"(title|agency|address|phone|postcode)":')
    [ -n "$want" ] && [ "$want" = "$got" ] || fail "metadata of $p: $got" || return 1
  done
  # the whole report too: check finds in the PDF what it finds in the text
  run check -q lo/example-county-transport-2024.pdf && expect_status 0 || return 1
  # chosen by content, whatever the name
  cp example-county-transport-2024.chrome.pdf report.txt && same_cells report.txt "$EXAMPLE" || return 1
  # with junk before the header, as PDF readers accept it
  { printf 'X-Mailer: junk\r\n'; cat example-county-transport-2024.chrome.pdf; } > junk.bin &&
    same_cells junk.bin "$EXAMPLE"
}

# the example's html with cells changed by the perl substitutions in $1
edited_html() {
  "$NIANBAO" render "$EXAMPLE" -o ex.html 2>/dev/null || fail "render" || return 1
  perl -0777 -i -pe "$1" ex.html || fail "fixture" || return 1
}

test_pdf_total_zero_comes_in_as_printed_and_unplaceable_numbers_stay_blank() {
  # 表四: 行政复议 5 + 3 + 2 + 1 with 总计 printed 0; 表三: 予以公开's 自然人
  # pushed down between two rows, 一、新收's 自然人 holding two numbers
  edited_html '
    my %v = (review_upheld => 5, review_corrected => 3, review_other => 2, review_pending => 1, review_total => 0);
    for my $k (keys %v) { s{(data-cell="t4\.cases\.$k">)[^<]*<}{$1$v{$k}<} or die "no $k" }
    s{(data-cell="t3\.r_granted\.natural">)4<}{$1<span style="position:relative;top:0.8em">4</span><} or die "no r_granted";
    s{(data-cell="t3\.new\.natural">)8<}{${1}8 9<} or die "no new";
    s{>4\.保护第三方合法权益<}{>4.保护第三方权益<} or die "no label";
  ' || return 1
  chrome ex.html ex.pdf || return 1
  cells_of ex.pdf > got.txt
  grep -qx 't4.cases.review_total="0"' got.txt && grep -qx 't4.cases.review_upheld="5"' got.txt &&
    grep -qx 't4.cases.review_pending="1"' got.txt || { grep t4 got.txt; fail "表四 not as printed"; }
  # the doubtful cells blank, their neighbours placed
  grep -qx 't3.r_granted.natural=null' got.txt && grep -qx 't3.new.natural=null' got.txt &&
    grep -qx 't3.new.commercial="2"' got.txt && grep -qx 't3.r_granted.commercial="1"' got.txt &&
    grep -qx 't3.carried_in.natural="1"' got.txt || { grep -E 't3.(new|r_granted|carried_in)\.' got.txt; fail "t3 cells"; }
  run check --json ex.pdf
  expect_status 1 || return 1
  expect_finding_field T4-SUM column review_total || return 1
  [ "$(finding_rules | grep -c IMPORT-AMBIGUOUS)" -ge 2 ] || fail "no IMPORT-AMBIGUOUS: $(finding_rules | tr '\n' ' ')"
  grep -q '"row":[[:space:]]*"r_granted"' stdout.txt && grep -q '8、9' stdout.txt || fail "findings do not name the cells"
  # a row label not found (misprinted): that row blank with a finding, the rows around it placed
  expect_finding_field IMPORT-UNSOLVED row r_deny_third || return 1
  grep -qx 't3.r_deny_third.total=null' got.txt && grep -qx 't3.r_deny_safety.total="0"' got.txt &&
    grep -qx 't3.r_deny_internal.total="0"' got.txt || { grep r_deny got.txt; fail "rows around a lost label"; }
}

refused() { # file what
  run render "$1" --to md -o out.md
  expect_status 2 && expect_stderr "$1" && expect_stderr "$2" || return 1
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "more than one line: $(cat stderr.txt)"
  [ ! -e out.md ] || fail "out.md written for $1"
}

test_pdf_scan_encrypted_cut_and_damaged_are_refused() {
  need_soffice
  "$NIANBAO" render "$EXAMPLE" -o ex.docx 2>/dev/null || fail "render" || return 1
  # a scan: a page as an image (pdftoppm), printed on its own
  mkdir -p enc && soffice --headless --convert-to \
    'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' \
    --outdir enc ex.docx >/dev/null 2>&1
  if [ -s enc/ex.pdf ] && grep -aq '/Encrypt' enc/ex.pdf; then
    refused enc/ex.pdf "已加密" || return 1
    command -v pdftoppm >/dev/null || { echo "skipped: no pdftoppm"; exit 77; }
    pdftoppm -r 40 -png -f 1 -l 1 -opw secret enc/ex.pdf page 2>/dev/null || fail "pdftoppm" || return 1
  else
    echo "note: LibreOffice wrote no encrypted PDF; the encrypted case is not tested"
    soffice --headless --convert-to pdf ex.docx >/dev/null 2>&1 && pdftoppm -r 40 -png -f 1 -l 1 ex.pdf page ||
      fail "pdftoppm" || return 1
  fi
  printf '<html><body><img src="data:image/png;base64,%s"></body></html>' "$(base64 -w0 page-1.png)" > scan.html
  chrome scan.html scan.pdf || return 1
  refused scan.pdf "扫描件，没有文字层" || return 1
  # cut off: the first half of a PDF
  head -c $(($(wc -c < scan.pdf) / 2)) scan.pdf > cut.pdf
  refused cut.pdf "PDF 文件不完整" || return 1
  # damaged: a PDF's head and tail around nothing
  printf '%%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nxref\nbroken\n%%%%EOF\n' > damaged.pdf
  refused damaged.pdf "PDF 文件已损坏" || return 1
}

# poppler sizes its tables by what a file claims: this damaged 4 KB file's
# trailer claims 26 million objects, and poppler reserved 1.3 GB for them
# (a fuzzing find).  poppler reads only what qpdf rewrote (io/pdf_unpack.h):
# qpdf cannot read this one, so it is refused in one line, in little memory
test_pdf_claiming_millions_of_objects_is_refused_in_bounded_memory() {
  pdf_in_little_memory "PDF 文件已损坏，无法读取"
}

# without libqpdf (hidden by tests/preload/no_qpdf.c) poppler reads the
# same file as it is: its reservation fails in the reader process, under
# its address-space limit (io/pdf_apart.h), which refuses the file in one
# line; the reading libraries' own complaints ("Out of memory") not shown
test_pdf_reader_process_stops_at_its_memory_limit() {
  LD_PRELOAD="$NB_BUILD/tests/no_qpdf.so" ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    pdf_in_little_memory "PDF 文件已损坏或结构异常，读取库在"
}

# a fuzzed font whose ToUnicode map costs poppler ≈ 160 M instructions
# each time a page builds it (fuzz-tounicode-costly.pdf), on 24 pages
# sharing it: the reader process is stopped before the call's time limit
# (io/pdf_apart.c), the file refused in one line as taking too long, with no
# plugin error, and the next file of the batch read
test_pdf_reader_process_stops_at_the_time_limit_and_the_batch_goes_on() {
  command -v qpdf >/dev/null || { echo "skipped: no qpdf"; exit 77; }
  local f="$NB_ROOT/tests/fuzz/corpus/pdf/fuzz-tounicode-costly.pdf" pages=() i
  for i in $(seq 24); do pages+=("$f"); done
  qpdf --empty --pages "${pages[@]}" -- slow.pdf 2>/dev/null; [ -s slow.pdf ] || fail "qpdf made no slow.pdf" || return 1
  NIANBAO_LUA_SECONDS=2 run check -j 1 slow.pdf "$NB_ROOT/tests/fuzz/corpus/pdf/one-table-no-embedded-font.pdf" || return 1
  expect_stderr "slow.pdf: 读取 PDF 超出了时间限制" || return 1
  ! grep -q "stack traceback" stderr.txt || fail "a plugin error: $(head -3 stderr.txt)" || return 1
  grep -q "one-table-no-embedded-font.pdf: " stdout.txt || fail "the next file was not read: $(head -3 stderr.txt)"
}

pdf_in_little_memory() { # message
  local f="$NB_ROOT/tests/fuzz/corpus/pdf/fuzz-trailer-size-26360162.pdf"
  STATUS=0
  /usr/bin/time -f %M -o rss.txt "$NIANBAO" render "$f" --to md -o out.md > stdout.txt 2> stderr.txt || STATUS=$?
  expect_status 2 && expect_stderr "$f: $1" || return 1
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "more than one line: $(cat stderr.txt)" || return 1
  [ ! -e out.md ] || fail "out.md written" || return 1
  [ "$(tail -1 rss.txt)" -lt 200000 ] || fail "peak memory $(tail -1 rss.txt) KB (at most 200 MB)"
}

test_pdf_reports_of_a_batch_read_each_as_alone() {
  # the labels' substrings are kept from one report to the next of a batch
  # (lib/pdf_tables.lua): each report still reads as it does alone
  local dir="$NB_ROOT/tests/fuzz/corpus/pdf" f
  for f in example one-table-no-embedded-font; do
    run check -j 1 "$dir/$f.pdf" || return 1
    sed "s|^$dir/||" stdout.txt | { grep -v '个报告' || true; } > "alone-$f.txt"
  done
  [ -s alone-one-table-no-embedded-font.txt ] || fail "no findings for the one-table seed" || return 1
  run check -j 1 "$dir/one-table-no-embedded-font.pdf" "$dir/example.pdf" "$dir/one-table-no-embedded-font.pdf" || return 1
  sed "s|^$dir/||" stdout.txt | { grep -v '个报告' || true; } > batch.txt
  cat alone-one-table-no-embedded-font.txt alone-example.txt alone-one-table-no-embedded-font.txt > want.txt
  diff want.txt batch.txt > diff.txt || { head -20 diff.txt; fail "a report of the batch reads otherwise than alone"; }
}

# poppler reads a PDF after libqpdf has decoded its font streams once
# (io/pdf_unpack.c): the words and their boxes are those poppler reads from
# the same file with every stream stored plain beforehand by the qpdf
# program (nothing left for that step to decode): LibreOffice's Type 1 and
# TrueType programs, Chromium's, a font not embedded
test_pdf_words_the_same_with_font_streams_decoded_first() {
  command -v qpdf >/dev/null || { echo "skipped: no qpdf"; exit 77; }
  local f n dump="$NB_BUILD/tests/fuzz/pdf_words_dump"
  for f in "$NB_ROOT"/tests/fuzz/corpus/pdf/*.pdf; do
    n=$(basename "$f" .pdf)
    [ "${n#fuzz-}" = "$n" ] || continue # a campaign's find (damaged), no seed
    qpdf --stream-data=uncompress "$f" "plain-$n.pdf" || fail "qpdf $n.pdf" || return 1
    "$dump" "$f" > "$n.txt" && "$dump" "plain-$n.pdf" > "plain-$n.txt" || fail "pdf_words_dump $n.pdf" || return 1
    [ "$(wc -l < "$n.txt")" -gt 3 ] || fail "too few lines read from $n.pdf" || return 1
    diff "plain-$n.txt" "$n.txt" > diff.txt || { head -10 diff.txt; fail "$n.pdf: other words"; } || return 1
  done
}
