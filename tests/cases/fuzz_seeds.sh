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
    [ "${n#fuzz-}" = "$n" ] || continue # a campaign's find, no seed
    "$NB_BUILD/tests/fuzz/pdf_words_dump" "$f" > "$n.txt" || fail "pdf_words_dump $n.pdf" || return 1
    cmp -s "$n.txt" "$NB_ROOT/tests/fuzz/corpus/pdf_layout/$n.txt" ||
      fail "corpus/pdf_layout/$n.txt is not what pdf_words_dump reads from corpus/pdf/$n.pdf" || return 1
  done
}

# (the one-table seeds are what a campaign mutates: scripts/fuzz leaves the
# whole example out of pdf_layout's, by its -max_len)
test_pdf_layout_seeds_are_read_as_reports() {
  local d="$NB_ROOT/tests/fuzz/corpus/pdf_layout"
  "$NB_BUILD/tests/fuzz/replay_pdf_layout" "$d/example.txt" "$d/one-table-no-embedded-font.txt" \
    "$d/chromium-headers.txt" "$d/table-two-running-headers.txt" "$d/table-three-libreoffice.txt" \
    "$d/table-four-sections.txt" 2> replay.err >/dev/null ||
    fail "replay_pdf_layout: $(cat replay.err)" || return 1
  grep -q '^fuzz: 6 inputs: 6 reports, 0 refused' replay.err || fail "not all read as reports: $(cat replay.err)"
}

# the LibreOffice seed (its CJK font embedded, one page) reads table 三's rows
test_pdf_seed_from_libreoffice_reads_table_three() {
  cells "$NB_ROOT/tests/fuzz/corpus/pdf/table-three-libreoffice.pdf" | grep '^t3\.' | grep -v '=0$' > got.txt
  printf '%s\n' t3.carried_in.natural=1 t3.carried_in.total=1 t3.carried_out.natural=1 t3.carried_out.total=1 \
    t3.new.commercial=2 t3.new.legal=1 t3.new.natural=8 t3.new.total=11 t3.r_granted.commercial=1 \
    t3.r_granted.natural=4 t3.r_granted.total=5 t3.r_partial.natural=1 t3.r_partial.total=1 \
    t3.results_total.commercial=2 t3.results_total.legal=1 t3.results_total.natural=8 t3.results_total.total=11 > want.txt
  diff want.txt got.txt || { cat cells.err; fail "the LibreOffice PDF seed no longer reads table 三"; }
}
