# The store with a reader and a writer at once (docs/store.md): `ls` and
# `check --db` run while a big `add` writes; each reader succeeds (no
# "database is locked": WAL and a busy timeout) and sees only whole reports —
# every report it checks gives exactly the findings it gives once the add is
# over (a report with part of its cells would not).

# a region of UNITS units × 3 years in reg/files (see store.sh)
big_region() {
  mkdir -p reg/files
  "$NB_ROOT/scripts/gen-corpus" --seed 11 --broken 25 --units "$1" --years 2021-2023 reg >/dev/null
  mv reg/r*.txt reg/files/
}

test_ls_and_check_db_work_while_add_writes_and_see_whole_reports() {
  big_region 1500
  # add is held half-way at a FIFO (however fast it is, a reader sees it
  # there), released with a copy of a report it has already stored
  local files; mapfile -t files < <(find reg/files -type f | sort)
  local half=$((${#files[@]} / 2)) released=""
  mkfifo hold.txt
  "$NIANBAO" add -q --db r.db "${files[@]:0:$half}" hold.txt "${files[@]:$half}" > add.out 2> add.err &
  local pid=$! rounds=0 midway=0 n total
  local parts='SELECT id, (SELECT count(*) FROM section s WHERE s.report = r.id), (SELECT count(*) FROM cell c WHERE c.report = r.id) FROM report r'
  total=$(awk -F'\t' '$3 != "!import"' reg/manifest.tsv | wc -l)
  # readers as long as the writer runs (the first one may find no file yet)
  while kill -0 $pid 2>/dev/null; do
    [ -f r.db ] || { sleep 0.02; continue; }
    run ls --db r.db --json || return 1
    [ "$STATUS" -eq 0 ] || fail "ls during add exited $STATUS"
    run check --db r.db --json || return 1
    [ "$STATUS" -le 1 ] || fail "check --db during add exited $STATUS"
    ! grep -q -e 'locked' -e '正被另一个程序写入' stderr.txt || fail "a reader was refused while add wrote"
    rounds=$((rounds + 1))
    # and in SQL: each report's sections and cells as seen now (compared below)
    sqlite3 -cmd '.timeout 10000' r.db "$parts" > "parts.$rounds"
    jq -c '.reports[]' stdout.txt > "seen.$rounds"
    n=$(wc -l < "seen.$rounds")
    [ "$(jq '.summary.files' stdout.txt)" -eq "$n" ] || fail "check --db summary disagrees with its reports"
    [ "$n" -gt 0 ] && [ "$n" -lt "$total" ] && midway=$((midway + 1))
    if [ "$midway" -gt 0 ] && [ -z "$released" ]; then
      cat "$(awk -F'\t' '$3 != "!import" { print "reg/files/" $1; exit }' reg/manifest.tsv)" > hold.txt &
      released=$!
    fi
  done
  [ -n "$released" ] && wait "$released"
  wait $pid || true
  ! grep -q -e 'Sanitizer' -e 'runtime error:' add.err || { cat add.err; fail "sanitizer report from the add"; }
  grep -q "^新增 $total 份" add.out || { cat add.out add.err; fail "the add did not store the $total readable reports"; }
  [ "$midway" -gt 0 ] || fail "no reader ran while the add was half-way ($rounds rounds): make the region bigger"
  run check --db r.db --json || return 1
  jq -c '.reports[]' stdout.txt | sort > final.txt
  sqlite3 r.db "$parts" | sort > parts.txt
  [ "$(wc -l < final.txt)" -eq "$total" ] || fail "check --db after the add: not $total reports"
  local k
  for k in $(seq "$rounds"); do
    sort "seen.$k" | comm -23 - final.txt > partial.txt
    [ ! -s partial.txt ] || { head -c 600 partial.txt; fail "round $k saw a report unlike the finished store's"; }
    sort "parts.$k" | comm -23 - parts.txt > partial.txt
    [ ! -s partial.txt ] || { head partial.txt; fail "round $k saw a report with part of its sections or cells"; }
  done
}

test_a_reader_waits_for_the_writers_lock_instead_of_failing() {
  big_region 10
  run add -q --db r.db reg/files || return 1
  # a writer holds the write lock for a second: readers still answer at once
  # (WAL), and a second writer waits for it (busy timeout) instead of failing
  (sqlite3 r.db "BEGIN IMMEDIATE; UPDATE report SET errors = errors; SELECT 1 FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5000000) SELECT count(*) FROM c); COMMIT;" > /dev/null) &
  local pid=$!
  sleep 0.2
  run ls --db r.db || return 1
  expect_status 0
  expect_stdout "共 10 个单位"
  kill -0 $pid 2>/dev/null || fail "ls waited for the other program's write lock (a reader needs none)"
  run check --db r.db -q || return 1
  [ "$STATUS" -le 1 ] || fail "check --db while another program writes exited $STATUS"
  cp reg/files/r00001.txt changed.txt && echo "附：更正" >> changed.txt
  run add -q --db r.db changed.txt || return 1
  [ "$STATUS" -le 1 ] || fail "a second writer failed instead of waiting"
  ! grep -q 'locked' stderr.txt || fail "a second writer was refused"
  wait $pid
}
