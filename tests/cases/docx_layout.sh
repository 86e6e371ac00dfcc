# The DOCX as a 公文 review reads it (GB/T 9704, shared/reference/formats.md
# §6), measured in the PDF LibreOffice makes of it with the preview fonts
# of scripts/fonts/preview.conf: no table cell wraps into a line of one
# character or a line starting with closing punctuation, page numbers on
# odd pages right and on even pages left, 28 characters a body line, a
# two-line title balanced, headings in other fonts than the body, the 落款
# right-aligned at the end; placeholders highlighted.
source "$NB_ROOT/tests/outputs_lib.sh"

# docx_lines SRC: renders SRC to doc.docx, converts it to doc.pdf and writes
# lines.txt: "page|xMin|xMax|height|text" for every text line of the PDF
docx_lines() {
  run render "$1" -o doc.docx --force || return 1
  expect_status 0 || return 1
  FONTCONFIG_FILE="$NB_ROOT/scripts/fonts/preview.conf" soffice_convert pdf doc.docx || { fail "LibreOffice cannot convert"; return 1; }
  [ -s doc.pdf ] || { fail "LibreOffice wrote no PDF"; return 1; }
  pdftotext -bbox-layout doc.pdf doc.html
  perl -0777 -ne 'my $p = 0;
    for my $page (split /<page /) { next unless $p++ || $page =~ /^width/;
      while ($page =~ /<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)<\/line>/gs) {
        my ($x0, $y0, $x1, $y1, $in) = ($1, $2, $3, $4, $5); my $t = join "", $in =~ />([^<]*)<\/word>/g;
        printf "%d|%.0f|%.0f|%.1f|%s\n", $p - 1, $x0, $x1, $y1 - $y0, $t } }' doc.html > lines.txt
  [ -s lines.txt ] || fail "no text in the PDF"
}

# the checks on lines.txt and doc.pdf
expect_gongwen_layout() {
  # table text (10.5 pt: lines under 15 pt high): no line of one CJK
  # character, no line starting with closing punctuation
  perl -CSD -Mutf8 -F'\|' -lane 'next unless $F[3] < 15; my $t = $F[4];
    print "single: p$F[0] x$F[1] $t" if length($t) == 1 && $t =~ /[^\x00-\x7f]/;
    print "closing: p$F[0] x$F[1] $t" if $t =~ /^[）、，。：；”》]/' lines.txt > bad.txt
  [ ! -s bad.txt ] || { cat bad.txt; fail "table cells wrap badly"; }
  # page numbers: "— N —" right on odd pages, left on even ones (A4 = 595 pt wide)
  local pages
  pages=$(perl -CSD -Mutf8 -F'\|' -lane 'if ($F[4] =~ /^—(\d+)—$/) { print "$1 ", ($F[1] > 297 ? "right" : $F[2] < 297 ? "left" : "centre") }' lines.txt)
  [ "$(echo "$pages" | wc -l)" -ge 2 ] || fail "fewer than two page numbers: $pages"
  echo "$pages" | awk '($1 % 2 == 1 && $2 != "right") || ($1 % 2 == 0 && $2 != "left") { print "page", $0; bad = 1 } END { exit bad }' ||
    fail "page numbers not odd right / even left"
  # body lines (16 pt: 18–24 pt high): a line followed by an unindented
  # one (the same paragraph goes on) is full, and a full line without
  # ASCII holds 28 characters, a paragraph's first 26 after its indent (one
  # more with a closing mark hung in the margin); a line before one that
  # starts with a number or a web address may be shorter (they are not broken)
  perl -CSD -Mutf8 -F'\|' -lane 'next unless $F[3] > 18 && $F[3] < 24;
    print +($prev[1] < 90 ? 28 : 26), " $prev[4]" if @prev && $prev[0] == $F[0] && $F[1] < 90 && $prev[4] !~ /[\x00-\x7f]/ && $F[4] !~ /^.{0,3}[\x00-\x7f]/;
    @prev = @F' lines.txt > full.txt
  [ -s full.txt ] || fail "no full body line found"
  perl -CSD -Mutf8 -ne 'chomp; my ($want, $t) = split / /, $_, 2; my $n = length $t;
    print "$n (not $want): $t\n" unless $n == $want || ($n == $want + 1 && $t =~ /[，。、；：）”]$/)' full.txt > short.txt
  [ ! -s short.txt ] || { head -5 short.txt; fail "body lines do not hold 28 characters"; }
  # the title (22 pt, page 1): its last line more than two characters, the lines within a third of each other
  perl -CSD -Mutf8 -F'\|' -lane 'print length $F[4] if $F[0] == 1 && $F[3] > 24' lines.txt > title.txt
  [ -s title.txt ] || fail "no title line"
  awk 'NR == 1 { first = $1 } { last = $1 } END { exit !(last > 2 && (NR == 1 || last * 3 >= first * 2)) }' title.txt ||
    fail "the title's last line is unbalanced: $(tr '\n' ' ' < title.txt)"
  # fonts: title, 一、, （一） and body in four different faces (subset prefixes cut)
  local faces
  faces=$(pdffonts doc.pdf | awk 'NR > 2 { sub(/^[A-Z]+\+/, "", $1); print $1 }' | grep -viE 'dejavu|liberation|times|arial|symbol' | sort -u | wc -l)
  [ "$faces" -ge 4 ] || { pdffonts doc.pdf; fail "$faces CJK faces in the PDF, expected title, headings and body to differ (4)"; }
}

test_example_docx_passes_the_review() {
  docx_lines "$EX" || return 1
  expect_gongwen_layout || return 1
  # the 落款: the unit, right-aligned after the text, on the last page
  perl -CSD -Mutf8 -F'\|' -lane 'print "$F[1]|$F[2]" if $F[4] eq "示例县交通运输局"' lines.txt | tail -1 > sig.txt
  [ -s sig.txt ] || { fail "no 落款 with the unit"; return 1; }
  awk -F'|' '{ exit !($1 > 297) }' sig.txt || fail "the 落款 is not right-aligned: $(cat sig.txt)"
}

test_corpus_docx_passes_the_review() {
  need_corpus
  docx_lines "$SG" || return 1
  expect_gongwen_layout
}

test_draft_placeholders_are_highlighted() {
  run new --agency 示例县交通运输局 --year 2024 -o draft.docx || return 1
  expect_status 0 || return 1
  unzip -p draft.docx word/document.xml > doc.xml
  grep -q '<w:highlight w:val="yellow"/></w:rPr><w:t xml:space="preserve">（请填写' doc.xml || fail "placeholders are not highlighted"
  # the footers: odd right, even left, and Word told to use both
  unzip -p draft.docx word/settings.xml | grep -q '<w:evenAndOddHeaders/>' || fail "no even/odd footers"
  unzip -p draft.docx word/footer1.xml | grep -q '<w:jc w:val="right"/>' && unzip -p draft.docx word/footer2.xml | grep -q '<w:jc w:val="left"/>' ||
    fail "footers not right (odd) and left (even)"
}
