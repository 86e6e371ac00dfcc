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
