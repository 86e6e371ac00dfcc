# How `add` writes a report (host/store/store_sqlite_write.c,
# store_sqlite_cells.c): the rows of every kind, many to a statement, and
# each cell's value and millionths as written; no journal in a temporary
# file; a write that fails rolls its batch back, the batch's files named as
# not stored; a new store's page size; the absolute paths of the files a
# folder holds.
source "$NB_ROOT/tests/edit_lib.sh"

# Chinese numeral of 1..99 (（六）, （二十一）)
zh() { awk -v n="$1" 'BEGIN { split("一 二 三 四 五 六 七 八 九", d, " ")
  if (n < 10) print d[n]; else print (n >= 20 ? d[int(n / 10)] : "") "十" (n % 10 ? d[n % 10] : "") }'; }

test_rows_of_every_kind_are_stored_and_read_back_as_written() {
  mkdir -p f
  # 53 sections (more than one statement's 32 rows), 7 import notes, 8 free
  # statistics rows (legacy), another format's label (a mark)
  local i
  with_year "$EX" 2024 2023 > base.txt
  local after; after=$(grep -n '^（[一二三四五六七八九十]*）' base.txt | head -1 | cut -d: -f1)
  [ -n "$after" ] || { fail "the example has no sub-heading"; return 1; }
  { sed -n "1,$((after + 1))p" base.txt
    for i in $(seq 1 40); do echo "（$(zh $((i + 20)))）补充事项$i"; echo "补充说明第${i}项，见正文。"; done
    sed -n "$((after + 2)),\$p" base.txt; } > f/many.txt
  cp "$NB_ROOT/tests/fixtures/legacy-2016.txt" "$NB_ROOT/tests/fixtures/signed-2020-flattened.txt" f/
  with_year "$EX" 2024 2022 | sed 's/^\t本年制发件数$/\t本年新制作数量/' > f/mark.txt
  run add -q -j 1 --db r.db f || return 1
  expect_status 0 && expect_stdout "新增 4 份"
  local n t want got
  for t in section note stat mark; do
    n=$(sqlite3 r.db "SELECT count(*) FROM $t")
    [ "$n" -gt 0 ] || fail "no $t row stored"
    # each report's rows numbered 0, 1, 2 … as many as the report says it has
    want=$(sqlite3 r.db "SELECT id, n$([ $t = section ] && echo sections || echo ${t}s) FROM report ORDER BY id")
    got=$(sqlite3 r.db "SELECT r.id, (SELECT count(*) FROM $t x WHERE x.report = r.id AND x.seq < r.n$([ $t = section ] && echo sections || echo ${t}s)) FROM report r ORDER BY r.id")
    [ "$want" = "$got" ] || fail "$t rows: expected (report, count) $want, got $got"
  done
  [ "$(sqlite3 r.db "SELECT max(nsections) FROM report")" -gt 32 ] || fail "no report with more than 32 sections"
  [ "$(sqlite3 r.db "SELECT heading FROM section s JOIN report r ON r.id = s.report WHERE r.source LIKE '%many.txt' AND s.seq = $((after + 30))")" ] ||
    fail "a section past the 32nd missing"
  # a note that points at no cell has no table, row or column (add stored
  # the previous note's: the statement's bindings carried over)
  "$NIANBAO" check --json f/signed-2020-flattened.txt | tr -d '\n\t' | grep -o '{"rule":"IMPORT-[^}]*' |
    sed 's/"message":"[^"]*",//' | grep -o '"rule":"[^"]*"\|"table":[^,]*' | paste - - |
    sed 's/"rule":"\([^"]*\)"\t"table":"\{0,1\}\([^"]*\)"\{0,1\}$/\1|\2/; s/|null$/|/' > want_notes.txt
  sqlite3 r.db "SELECT rule, tab FROM note n JOIN report r ON r.id = n.report
                WHERE r.source LIKE '%signed-2020-flattened.txt' ORDER BY n.seq" > got_notes.txt
  grep -q '|$' want_notes.txt && grep -q '|t2$' want_notes.txt || fail "the notes to check are not there: $(cat want_notes.txt)"
  cmp -s want_notes.txt got_notes.txt || { diff want_notes.txt got_notes.txt; fail "stored notes point elsewhere than check's findings"; }
  # every report read back is the model the importer built: show renders it as render renders the file
  local f a y
  while IFS='|' read -r f a y; do
    "$NIANBAO" render "$f" --to json > want.json 2>/dev/null
    run show --db r.db "$a" "$y" --to json || return 1
    expect_status 0
    cmp -s want.json stdout.txt || { diff want.json stdout.txt | head -5; fail "show $a $y differs from render $f"; }
  done < <(sqlite3 r.db "SELECT source, unit, year FROM report")
}

test_each_cells_value_and_millionths_are_stored_as_written() {
  mkdir -p f
  local v n=0
  # the 收费金额 cell (万元, decimals allowed) of the example, written each way
  for v in 0 12 0.5 0.000001 1234567.25 -3 100 -0.25 12.50 007; do
    n=$((n + 1))
    cell_set "$EX" 行政事业性收费 1 "$v" > "f/v$n.txt"
    grep -q "^	$v\$" "f/v$n.txt" || { fail "could not write $v into the example"; return 1; }
  done
  run add -q -j 1 --db r.db f || return 1
  expect_status 0 && expect_stdout "新增 $n 份"
  # expected, computed apart: the text as written, its millionths exact, flag 4 when not canonical
  for v in 0 12 0.5 0.000001 1234567.25 -3 100 -0.25 12.50 007; do
    awk -v v="$v" 'BEGIN {
      s = v; neg = sub(/^-/, "", s); split(s, p, "."); w = p[1] + 0; f = substr(p[2] "000000", 1, 6)
      m = w * 1000000 + f; if (neg && m) m = -m
      d = p[2]; sub(/0+$/, "", d)
      canon = (neg && m ? "-" : "") w (d != "" ? "." d : "")
      printf "%s|%.0f|value|%d\n", v, m, (canon == v ? 0 : 4) }'
  done > want.txt
  sqlite3 r.db "SELECT c.value, c.micro, c.kind, c.flags & 4 FROM cell c JOIN report r ON r.id = c.report
                WHERE c.tab = 't2' AND c.row = 'fees' ORDER BY CAST(substr(r.source, instr(r.source, '/f/v') + 4) AS INTEGER)" > got.txt
  cmp -s want.txt got.txt || { diff want.txt got.txt; fail "stored values or millionths differ from what was written"; }
}

test_no_journal_of_a_batch_goes_to_a_temporary_file() {
  command -v strace >/dev/null || { echo "skipped: no strace"; exit 77; }
  mkdir -p reg/files
  "$NB_ROOT/scripts/gen-corpus" --seed 3 --units 40 --years 2021-2023 reg >/dev/null
  mv reg/r*.txt reg/files/
  # one batch of 120 reports: a statement or savepoint journal holds the
  # pages earlier reports wrote; past 64 KiB SQLite moved it to a temporary
  # file
  strace -f -e trace=openat -o trace.txt "$NIANBAO" add -q -j 1 --db r.db reg/files > stdout.txt 2> stderr.txt || true
  expect_stdout "新增"
  grep -q 'r\.db-wal' trace.txt || fail "strace saw no write-ahead log opened"
  ! grep -q 'etilqs_' trace.txt || fail "add wrote a journal to a temporary file: $(grep -m1 etilqs_ trace.txt)"
}

# A report whose write fails half-way (here a trigger the test adds refuses
# the sections of the fifth report stored) rolls back the open batch: the
# store keeps what it had, add exits 2 and names the batch's earlier files
# as not stored instead of counting them added; with -j 2 the same.
# the add of all.txt into r.db (2 of them stored) with a trigger failing the
# 5th report's sections: files 3 and 4 are in the open batch, rolled back
# with it and named, and so is file 5, the one being written.  A batch also
# commits after 0.2 s: on a loaded machine 3 and 4 may be committed before 5
# fails; then they must be counted as added and be in the store.  Sets STRICT
# when the batch held them.
add_failing_at_5() {
  rm -f r.db*
  run add -q -j 1 --db r.db $(sed -n 1,2p all.txt)
  expect_stdout "新增 2 份"
  sqlite3 r.db "CREATE TRIGGER boom BEFORE INSERT ON section WHEN (SELECT count(*) FROM report) >= 5
                BEGIN SELECT RAISE(FAIL, 'boom'); END;"
  run add -q -j $1 --db r.db $(cat all.txt)
  expect_status 2 && expect_stderr "boom"
  expect_stdout "  $(sed -n 5p all.txt)：写入数据库出错（见以 nianbao add: 开头的错误信息），未存入"
  local added failed stored
  added=$(sed -n 's/^新增 \([0-9]*\) 份，未变 2 份，新版本 0 份，失败 \([0-9]*\) 份$/\1/p' stdout.txt)
  failed=$(sed -n 's/^新增 \([0-9]*\) 份，未变 2 份，新版本 0 份，失败 \([0-9]*\) 份$/\2/p' stdout.txt)
  [ -n "$added" ] && [ $((added + failed)) -eq 3 ] || { fail "-j $1: not 3 files added or failed: $(cat stdout.txt)"; return 1; }
  stored=$(sqlite3 r.db 'SELECT count(*) FROM report')
  [ "$stored" -eq $((2 + added)) ] || fail "-j $1: $stored reports stored, $added told added"
  [ "$(sqlite3 r.db "SELECT count(*) FROM section WHERE report > $stored")" -eq 0 ] || fail "-j $1: the failed batch left sections"
  local f
  for f in $(sed -n 3,4p all.txt); do
    if grep -qF "  $f：" stdout.txt; then
      expect_stdout "  $f：写入数据库出错（见以 nianbao add: 开头的错误信息），它与同一批写入的报告一起撤回，未存入"
      [ "$(sqlite3 r.db "SELECT count(*) FROM report WHERE source LIKE '%/$(basename "$f")'")" -eq 0 ] || fail "-j $1: $f named as failed but stored"
    fi
  done
  STRICT=""; [ "$added" -eq 0 ] && STRICT=1
  return 0
}

test_a_write_that_fails_rolls_back_its_batch_and_names_its_files() {
  mkdir -p reg/files
  "$NB_ROOT/scripts/gen-corpus" --seed 5 --units 3 --years 2021-2023 reg >/dev/null
  mv reg/r*.txt reg/files/
  ls reg/files/r*.txt > all.txt
  [ "$(wc -l < all.txt)" -eq 9 ] || { fail "gen-corpus made $(wc -l < all.txt) files, not 9"; return 1; }
  local j try strict
  for j in 1 2; do
    strict=""
    for try in 1 2 3 4 5; do
      add_failing_at_5 $j || return 1
      [ -z "$STRICT" ] || { strict=1; break; }
    done
    [ -n "$strict" ] || fail "-j $j: in 5 tries the batch was never open when the 5th report failed"
    sqlite3 r.db "DROP TRIGGER boom"
    run add -q -j $j --db r.db $(cat all.txt)
    expect_stdout "新增 7 份，未变 2 份，新版本 0 份，失败 0 份"
    run check --db r.db -q
    expect_stdout "9 个报告"
  done
}

test_a_new_store_has_16k_pages_and_an_older_store_keeps_its_own() {
  mkdir -p f
  with_year "$EX" 2024 2023 > f/a.txt
  with_year "$EX" 2023 2022 > f/b.txt
  run add -q -j 1 --db r.db f/a.txt || return 1
  expect_status 0
  [ "$(sqlite3 r.db 'PRAGMA page_size')" -eq 16384 ] || fail "a new store's pages are $(sqlite3 r.db 'PRAGMA page_size') bytes, not 16384"
  [ "$(sqlite3 r.db 'PRAGMA journal_mode')" = wal ] || fail "a new store is not in WAL mode"
  # a store made before (4 KiB pages) stays as it is and takes more reports
  sqlite3 r.db "PRAGMA journal_mode = DELETE; PRAGMA page_size = 4096; VACUUM; PRAGMA journal_mode = WAL" >/dev/null
  [ "$(sqlite3 r.db 'PRAGMA page_size')" -eq 4096 ] || fail "the test did not make a store of 4 KiB pages"
  run add -q -j 1 --db r.db f || return 1
  expect_status 0 && expect_stdout "新增 1 份，未变 1 份"
  [ "$(sqlite3 r.db 'PRAGMA page_size')" -eq 4096 ] || fail "an older store's page size changed"
  run check --db r.db -q || return 1
  [ "$(sqlite3 r.db 'SELECT count(*) FROM report')" -eq 2 ] || fail "the older store does not hold both reports"
}

test_a_walked_files_source_is_its_real_absolute_path() {
  # a folder named through a symlink, a sub-folder, a symlinked file and a
  # symlinked sub-folder: each file's source as realpath gives it
  mkdir -p real/sub other/deep
  with_year "$EX" 2024 2023 > real/sub/a.txt
  cp "$EX" other/c.txt
  with_year "$EX" 2024 2022 > other/deep/d.txt
  ln -s ../other/c.txt real/c.txt
  ln -s ../other/deep real/deep
  ln -s real lnk
  run add -q -j 1 --db r.db lnk || return 1
  expect_status 0 && expect_stdout "新增 3 份"
  local d; d=$(pwd -P)
  printf '%s\n' "$d/other/c.txt" "$d/other/deep/d.txt" "$d/real/sub/a.txt" > want.txt
  sqlite3 r.db "SELECT source FROM report ORDER BY source" > got.txt
  cmp -s want.txt got.txt || { diff want.txt got.txt; fail "the stored sources are not the files' real paths"; }
  # the same files named one by one, through the symlinks and relative paths
  (cd real && run add -q -j 1 --db ../n.db c.txt ../lnk/sub/a.txt deep/d.txt) || return 1
  sqlite3 n.db "SELECT source FROM report ORDER BY source" > got.txt
  cmp -s want.txt got.txt || { diff want.txt got.txt; fail "the stored sources of named files are not their real paths"; }
}
