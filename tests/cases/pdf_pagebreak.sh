# A table's header at a page's foot and its rows on the next page (issue 11
# item 7, issue 8): LibreOffice's PDF of the example's DOCX with the
# properties that keep a header with its rows taken out (w:keepNext,
# w:cantSplit, w:tblHeader: as a Word file without them) and lines added
# before 表三 until its header sits at a page's foot, cut from its rows, or
# is cut itself ("商业" / page break / "企业").  The PDF importer reads the
# same cells as the text; and nianbao's own DOCX, with the same lines added,
# keeps 表三's header on the page of its first rows.
# LibreOffice is slow: two batched conversions.
source "$NB_ROOT/tests/outputs_lib.sh"

# fixture SRC.docx N OUT.docx [strip|keepnext]: a page break, then N
# one-line paragraphs, before the heading 三、; strip takes out the keep
# properties, keepnext all but w:keepNext
fixture() {
  local d out="$PWD/$3"; d=$(mktemp -d "$PWD/fx.XXXXXX")
  unzip -q "$1" -d "$d" || return 1
  N=$2 MODE=${4:-} perl -0pi -e '
    my $f = q{<w:p><w:pPr><w:pageBreakBefore/></w:pPr><w:r><w:t>（续）</w:t></w:r></w:p>};
    $f .= q{<w:p><w:r><w:t>本页留作说明。</w:t></w:r></w:p>} x $ENV{N};
    s{(<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">三、)}{$f$1} or die "no heading 三、\n";
    s{<w:keepNext/>}{}g if $ENV{MODE} eq "strip";
    if ($ENV{MODE}) { s{<w:tblHeader/>}{}g; s{<w:cantSplit/>}{}g }' "$d/word/document.xml" || return 1
  (cd "$d" && zip -qX -r "$out" '[Content_Types].xml' _rels docProps word) || return 1
  rm -rf "$d"
}

# the page (1-based) of the first line of PDF $1 holding $2 (pdftotext
# starts a page's first line with a form feed)
page_of() {
  pdftotext "$1" - | awk -v w="$2" 'BEGIN { p = 1 } { p += gsub(/\f/, ""); if (index($0, w)) { print p; exit } }'
}

# the page of 表四's row (its 15 numbers on one line, after its headers)
t4_row_page() {
  pdftotext -layout "$1" - | perl -ne 'BEGIN { $p = 1 } $seen = 1 if /未经复议直接起诉/;
    $p += tr/\f//; if ($seen && /^[ \f]*\d+(?: +\d+){14} *$/) { print "$p\n"; exit }'
}

# the cells of a report, one "table.row.column=value" a line
cells_of() {
  "$NIANBAO" render "$1" --to json 2>cells.err | perl -0777 -ne '
    my ($t) = /"tables":\s*(\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})/ or die "no tables\n";
    while ($t =~ /"(\w+)":\s*(\{(?:[^{}]|\{[^{}]*\})*\})/g) { my ($tid, $rows) = ($1, $2);
      while ($rows =~ /"(\w+)":\s*\{([^{}]*)\}/g) { my ($rid, $cols) = ($1, $2);
        print "$tid.$rid.$1=$2\n" while $cols =~ /"(\w+)":\s*([^,}\n]+)/g } }' | sort
}

test_a_header_cut_from_its_rows_at_a_page_foot_reads_back() {
  command -v soffice >/dev/null || { echo "skipped: no LibreOffice"; exit 77; }
  run render "$EX" -o ex.docx --force && expect_status 0 || return 1
  local n made=()
  local all="6 7 8 9 14 15 16 17 18 19 20"
  for n in $all; do fixture ex.docx "$n" "cut$n.docx" strip || fail "fixture $n" || return 1; made+=("cut$n.docx"); done
  soffice_convert pdf "${made[@]}" || { cat soffice.err; fail "LibreOffice cannot convert"; return 1; }
  cells_of "$EX" > want.txt
  [ "$(wc -l < want.txt)" -gt 100 ] || fail "too few cells in the text: $(wc -l < want.txt)" || return 1
  # the variants whose 表三 header lies on a page before its first row, and
  # those whose 表四 header does (表四's row has no label)
  local cut=() cut4=() hp rp
  for n in $all; do
    hp=$(page_of "cut$n.pdf" 申请人情况) rp=$(page_of "cut$n.pdf" 一、本年新收)
    [ -n "$hp" ] && [ -n "$rp" ] || fail "cut$n.pdf: no 表三" || return 1
    [ "$hp" -lt "$rp" ] && cut+=("$n")
    hp=$(page_of "cut$n.pdf" 未经复议直接起诉) rp=$(t4_row_page "cut$n.pdf")
    [ -n "$hp" ] && [ -n "$rp" ] || fail "cut$n.pdf: no 表四 row" || return 1
    [ "$hp" -lt "$rp" ] && cut4+=("$n")
  done
  [ ${#cut[@]} -ge 1 ] || fail "fixture: in no variant is 表三's header cut from its rows" || return 1
  [ ${#cut4[@]} -ge 1 ] || fail "fixture: in no variant is 表四's header cut from its row" || return 1
  echo "表三's header cut from its rows with ${cut[*]} lines added, 表四's with ${cut4[*]}"
  for n in "${cut[@]}" "${cut4[@]}"; do
    cells_of "cut$n.pdf" > got.txt
    diff want.txt got.txt > diff.txt || { head -10 diff.txt; fail "cells differ: cut$n.pdf ($(grep -c '^>' diff.txt) cells)"; }
    run check -q "cut$n.pdf" && expect_status 0 || fail "check of cut$n.pdf finds errors"
  done
  # nianbao's own DOCX with the same lines: the header moves to its rows'
  # page; so it does with w:keepNext alone (what keeps 表二's blocks, which
  # have no repeating header rows, with their rows)
  local kept=() k
  for n in "${cut[@]}"; do
    fixture ex.docx "$n" "kept$n.docx" && fixture ex.docx "$n" "knext$n.docx" keepnext || return 1
    kept+=("kept$n.docx" "knext$n.docx")
  done
  soffice_convert pdf "${kept[@]}" || { cat soffice.err; fail "LibreOffice cannot convert"; return 1; }
  for n in "${cut[@]}"; do
    for k in kept knext; do
      hp=$(page_of "$k$n.pdf" 申请人情况) rp=$(page_of "$k$n.pdf" 一、本年新收)
      [ -n "$hp" ] && [ "$hp" = "$rp" ] ||
        fail "$k$n.pdf: nianbao's DOCX leaves 表三's header on page $hp, its first row on page $rp ($n lines added)"
    done
  done
}

# the pages of the first and the last row of a merged group label: equal
# when the group is not cut by a page break
group_pages() { echo "$(page_of "$1" "$2") $(page_of "$1" "$3")"; }

test_a_merged_group_label_is_not_cut_by_a_page_break() {
  command -v soffice >/dev/null || { echo "skipped: no LibreOffice"; exit 77; }
  run render "$EX" -o ex.docx --force && expect_status 0 || return 1
  local n made=() all="0 2 8 10 12 20 22 24"
  for n in $all; do
    fixture ex.docx "$n" "own$n.docx" || fail "fixture $n" || return 1
    fixture ex.docx "$n" "bare$n.docx" strip || fail "fixture $n" || return 1
    made+=("own$n.docx" "bare$n.docx")
  done
  soffice_convert pdf "${made[@]}" || { cat soffice.err; fail "LibreOffice cannot convert"; return 1; }
  local cut_bare=0 kind p
  for n in $all; do
    for kind in own bare; do
      for p in "1.属于国家秘密|8.属于行政查询" "1.信访举报投诉类|5.要求行政机关确"; do
        set -- $(group_pages "$kind$n.pdf" "${p%|*}" "${p#*|}")
        [ $# -eq 2 ] || { fail "$kind$n.pdf: rows of ${p%|*} not found"; continue; }
        if [ "$1" != "$2" ]; then
          [ "$kind" = own ] && fail "$kind$n.pdf: the group of “${p%|*}” starts on page $1 and ends on page $2"
          [ "$kind" = bare ] && cut_bare=$((cut_bare + 1))
        fi
      done
    done
  done
  # the fixture itself: without the keep properties some variant cuts a group
  [ "$cut_bare" -ge 1 ] || fail "fixture: no variant without keeps cuts a group: the test would prove nothing"
}
