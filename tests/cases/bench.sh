# scripts/gen-corpus and scripts/bench: on a small generated corpus every
# deliberately broken report is found with exactly the expected rules, every
# clean one checks clean, and the bench prints its table.

test_generated_corpus_findings_match_manifest() {
  "$NB_ROOT/scripts/bench" --count 40 --runs 3 --seed 7 --nianbao "$NIANBAO" --before "$NIANBAO" --dir corpus \
    >bench.txt 2>&1 || { cat bench.txt; return 1; }
  grep -q '(d) findings = manifest ([1-9][0-9]* broken) *0 wrong' bench.txt || { cat bench.txt; return 1; }
  # --before: (c) of a second binary from the same hyperfine run
  grep -q "^(c) before ($NIANBAO), mean CPU ms *[0-9.]* " bench.txt || { cat bench.txt; return 1; }
  ! command -v valgrind >/dev/null || grep -q '^(c) before, M instructions *[0-9.]*' bench.txt || { cat bench.txt; return 1; }
  grep -q '(e) docx/html findings = the text.s *same' bench.txt || { cat bench.txt; return 1; }
  ! command -v soffice >/dev/null || grep -q '(f) pdf findings = the text.s *same' bench.txt || { cat bench.txt; return 1; }
  grep -q '(a) reports/s on CPU time (40 files)' bench.txt || { cat bench.txt; return 1; }
  # (g) and (i): five paired runs (the default), each pair's figure printed, the table's the median of them
  local part pairs median
  for part in g i; do
    pairs=$(sed -n "/^bench: ($part)/,/^bench: ([^$part])/p" bench.txt | grep -c '^bench:   pair [1-5]: .*×')
    [ "$pairs" -eq 5 ] || { cat bench.txt; fail "($part): $pairs pairs printed, not 5"; return 1; }
    median=$(sed -n "/^bench: ($part)/,/^bench: ([^$part])/p" bench.txt | grep '^bench:   pair' |
      sed 's/.*: \([0-9.]*\)×.*/\1/' | sort -g | sed -n 3p)
    grep -q "^($part) .*median of 5 pairs *${median}× " bench.txt ||
      { cat bench.txt; fail "($part): the table's figure is not the median of the pairs' ($median)"; return 1; }
  done
  # (g)'s floor: run before each pair, its CPU time and the two ratios to it in the table
  [ "$(sed -n '/^bench: (g)/,/^bench: ([^g])/p' bench.txt | grep -c '^bench:   pair [1-5]: floor [0-9.]* s, nianbao ')" -eq 5 ] &&
    grep -q '^(g) floor CPU s (read + digit runs), median *[0-9.]* ' bench.txt &&
    grep -q '^(g) Python CPU / floor CPU *[0-9.]*× ' bench.txt &&
    grep -q '^(g) -j 1 CPU / floor CPU *[0-9.]*× ' bench.txt || { cat bench.txt; fail "(g): no floor figures"; return 1; }
  grep -q '^(i) -j 2 cores had: CPU / wall, median *[0-9.]* ' bench.txt &&
    grep -q '^(i) load average at its start *[0-9.]* [0-9.]* [0-9.]* ' bench.txt || { cat bench.txt; return 1; }
  [ "$(grep -c . corpus/manifest.tsv)" -eq 40 ] && [ -f corpus/r00040.txt ] || { echo "no corpus in --dir"; return 1; }
  command -v soffice >/dev/null || return 0
  # (f)'s PDFs kept in --dir and read again, not printed again (LibreOffice takes most of a run)
  [ "$(ls corpus/pdf/*.pdf | wc -l)" -eq 5 ] || { ls corpus/pdf; echo "no PDFs kept in --dir"; return 1; }
  touch -d 2001-01-01 corpus/pdf/*.pdf
  "$NB_ROOT/scripts/bench" --count 40 --runs 3 --seed 7 --nianbao "$NIANBAO" --dir corpus >bench.txt 2>&1 ||
    { cat bench.txt; return 1; }
  grep -q '(f) pdf findings = the text.s *same' bench.txt || { cat bench.txt; return 1; }
  [ -z "$(find corpus/pdf -name '*.pdf' -newermt 2002-01-01)" ] || { echo "PDFs printed again"; return 1; }
}

test_bench_detects_a_wrong_manifest() {
  mkdir corpus
  "$NB_ROOT/scripts/gen-corpus" --seed 3 --broken 0 20 corpus || return 1
  # claim that a clean report is broken: the bench must notice and fail
  sed -i '1s/\tclean\t$/\tcell\tT4-SUM/' corpus/manifest.tsv
  grep -q 'T4-SUM' corpus/manifest.tsv || { echo "could not alter the manifest"; return 1; }
  if "$NB_ROOT/scripts/bench" --count 20 --runs 3 --nianbao "$NIANBAO" --dir corpus >bench.txt 2>&1; then
    cat bench.txt; echo "bench passed with a wrong manifest"; return 1
  fi
  grep -q 'mismatch r00001.txt (cell): expected \[T4-SUM\] got \[\]' bench.txt || { cat bench.txt; return 1; }
}

test_floor_reads_every_file_and_parses_its_digit_runs() {
  cc -O2 -o floor "$NB_ROOT/scripts/bench-floor.c" || return 1
  printf 'a12\nb3.45\n' > one.txt
  printf '年度7件\r\n' > two.txt
  printf 'one.txt\ntwo.txt\n' > list
  ./floor --files-from list > out.txt || { cat out.txt; return 1; }
  grep -qx '2 files, 3 lines, 4 digit runs, 67 sum' out.txt || { cat out.txt; fail "floor: wrong count"; return 1; }
  # a file it cannot read fails the run: a bench must not time a floor that skipped files
  printf 'missing.txt\n' >> list
  if ./floor --files-from list > out.txt 2>&1; then cat out.txt; fail "floor: a missing file passed"; return 1; fi
}
