# The small seeds of the fuzz corpora (tests/fuzz/corpus/) are there to keep
# a campaign's inputs cheap while they still reach the code behind an
# importer's first refusal: each must stay a report with its tables read, or
# the fuzzer would mutate inputs that stop at "not a report".

cells() { # nonzero-or-set cells of `render --to json`: table.row.column=value
  "$NIANBAO" render "$1" --to json 2>cells.err | lua5.4 -e '
    local t = io.read("a"):match("\"tables\":%s*(%b{})") or error("no tables")
    for tid, rows in t:gmatch("\"([%w_]+)\":%s*(%b{})") do
      for rid, cols in rows:gmatch("\"([%w_]+)\":%s*(%b{})") do
        for cid, v in cols:gmatch("\"([%w_]+)\":%s*\"([^\"]+)\"") do print(tid .. "." .. rid .. "." .. cid .. "=" .. v) end
      end
    end' | sort
}

# one page, its CID font not embedded (poppler reads no font program): the
# title, two sections and table 二's first rows
test_pdf_seed_without_embedded_font_reads_table_two() {
  cells "$NB_ROOT/tests/fuzz/corpus/pdf/one-table-no-embedded-font.pdf" > got.txt
  printf '%s\n' t2.licensing.decisions=45 t2.normative.in_force=12 t2.normative.issued=3 t2.normative.repealed=1 \
    t2.regulations.in_force=0 t2.regulations.issued=0 t2.regulations.repealed=0 > want.txt
  diff want.txt got.txt || { cat cells.err; fail "the one-table PDF seed no longer reads table 二"; }
}

# pdf_layout's seeds are the words poppler reads from the pdf seeds (written
# by pdf_words_dump), and each one with a title is read as a report: the
# target's inputs reach the placement of the tables, not a refusal
test_pdf_layout_seeds_are_the_words_of_the_pdf_seeds() {
  local f n
  for f in "$NB_ROOT"/tests/fuzz/corpus/pdf/*.pdf; do
    n=$(basename "$f" .pdf)
    "$NB_BUILD/tests/fuzz/pdf_words_dump" "$f" > "$n.txt" || fail "pdf_words_dump $n.pdf" || return 1
    cmp -s "$n.txt" "$NB_ROOT/tests/fuzz/corpus/pdf_layout/$n.txt" ||
      fail "corpus/pdf_layout/$n.txt is not what pdf_words_dump reads from corpus/pdf/$n.pdf" || return 1
  done
}

test_pdf_layout_seeds_are_read_as_reports() {
  "$NB_BUILD/tests/fuzz/replay_pdf_layout" "$NB_ROOT/tests/fuzz/corpus/pdf_layout/example.txt" \
    "$NB_ROOT/tests/fuzz/corpus/pdf_layout/one-table-no-embedded-font.txt" \
    "$NB_ROOT/tests/fuzz/corpus/pdf_layout/chromium-headers.txt" 2> replay.err >/dev/null ||
    fail "replay_pdf_layout: $(cat replay.err)" || return 1
  grep -q '^fuzz: 3 inputs: 3 reports, 0 refused' replay.err || fail "not all read as reports: $(cat replay.err)"
}
