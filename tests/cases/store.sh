# The region's store (nianbao add, ls, show, check --db): a generated region
# (scripts/gen-corpus --units --years, some reports broken on purpose, some
# unreadable), every count and pairing checked against an independent
# computation over the inputs (awk over the manifest, the sqlite3 CLI, check
# --prev on the files themselves).

# region UNITS: 3 years of UNITS units in reg/ (reg/files/*.txt and
# reg/manifest.tsv: FILE KIND EXPECTED AGENCY YEAR)
region() {
  mkdir -p reg/files
  "$NB_ROOT/scripts/gen-corpus" --seed "${2:-7}" --broken 25 --units "$1" --years 2021-2023 reg >/dev/null
  mv reg/r*.txt reg/files/
}

# readable reports of the manifest: FILE AGENCY YEAR (absolute FILE)
readable() { awk -F'\t' -v d="$PWD/reg/files" '$3 != "!import" { print d "/" $1 "\t" $4 "\t" $5 }' reg/manifest.tsv; }

test_add_stores_every_readable_report_by_unit_and_year() {
  region 24
  run add --db r.db reg/files || return 1
  expect_status 2 # some files are unreadable on purpose
  local good bad
  good=$(readable | wc -l); bad=$(grep -c '!import' reg/manifest.tsv)
  [ "$bad" -gt 0 ] && [ "$good" -gt 0 ] || fail "the region has no unreadable or no readable report"
  expect_stdout "新增 $good 份，未变 0 份，新版本 0 份，失败 $bad 份"
  [ "$(grep -c '^  .*reg/files/r[0-9]*\.txt：' stdout.txt)" -eq "$bad" ] || fail "each failure should be listed with its reason"
  # the grid of units and years in the store is the manifest's, and every report's provenance is right
  readable | awk -F'\t' '{ print $2 "\t" $3 "\t" $1 }' | sort > want.txt
  sqlite3 -separator $'\t' r.db 'SELECT unit, year, source FROM report' | sort > got.txt
  cmp -s want.txt got.txt || { diff want.txt got.txt | head; fail "stored unit/year/source differ from the manifest"; }
  readable | while IFS=$'\t' read -r f _ _; do echo "$(sha256sum < "$f" | cut -c1-64)"; done | sort > want_sha.txt
  sqlite3 r.db 'SELECT sha256 FROM report' | sort > got_sha.txt
  cmp -s want_sha.txt got_sha.txt || fail "stored sha256 differ from sha256sum of the files"
  [ "$(sqlite3 r.db "SELECT count(*) FROM report WHERE importer = 'text' AND format = 'gov-2021' AND version = 1")" -eq "$good" ] ||
    fail "importer, format or version not stored"
  # the text importer's cells: as many stored as the report has cells written
  [ "$(sqlite3 r.db "SELECT count(DISTINCT report) FROM cell WHERE tab = 't3' AND kind = 'value'")" -eq "$good" ] ||
    fail "cells missing from the store"
  run ls --db r.db || return 1
  expect_status 0
  expect_stdout "共 24 个单位，$good 份报告"
}

test_check_db_pairs_each_report_with_its_units_previous_year() {
  region 24
  run add --db r.db reg/files || return 1
  # independent: check each file with --prev its own unit's file of the year before
  readable | sort -t$'\t' -k2,2 -k3,3n > list.tsv
  : > want.txt
  local paired=0 f a y pf
  while IFS=$'\t' read -r f a y; do
    pf=$(awk -F'\t' -v a="$a" -v y=$((y - 1)) '$2 == a && $3 == y { print $1 }' list.tsv)
    if [ -n "$pf" ]; then paired=$((paired + 1)); "$NIANBAO" check --prev "$pf" "$f" >> want.txt || true
    else "$NIANBAO" check "$f" >> want.txt || true; fi
  done < list.tsv
  [ "$paired" -gt 20 ] || fail "too few pairs in the region ($paired)"
  grep -v '个报告：' want.txt | sort > want_f.txt
  run check --db r.db || return 1
  expect_status 1
  expect_stdout "其中 $paired 个报告与本单位上一年度的报告比对"
  expect_stdout "$(wc -l < list.tsv) 个报告："
  grep -v '个报告' stdout.txt | sort > got_f.txt
  grep -q 'XY-CARRY' got_f.txt || fail "no cross-year finding at all"
  cmp -s want_f.txt got_f.txt || { diff want_f.txt got_f.txt | head; fail "check --db differs from check --prev on the files"; }
  # ls shows the same error/warning counts per report as that independent check
  awk '/ 错误 error / { e[$1]++ } / 警告 warning / { w[$1]++ } END { for (f in e) print f, e[f] + 0, w[f] + 0 }' \
    FS=':' want_f.txt | sort > want_counts.txt
  run ls --db r.db --json || return 1
  python3 -c 'import json,sys
for r in json.load(open("stdout.txt"))["reports"]:
    if r["errors"]: print(r["source"], r["errors"], r["warnings"])' | sort > got_counts.txt
  cmp -s want_counts.txt got_counts.txt || { diff want_counts.txt got_counts.txt | head; fail "ls counts differ"; }
  # --year keeps the pairing with the year before
  run check --db r.db --year 2023 --json || return 1
  python3 -c 'import json; s = json.load(open("stdout.txt"))["summary"]; print(s["files"], s["paired"])' > got_y.txt
  awk -F'\t' '$3 == 2023 { n++; if (($2 SUBSEP 2022) in seen) p++ } { seen[$2, $3] = 1 } END { print n, p }' list.tsv > want_y.txt
  cmp -s want_y.txt got_y.txt || fail "check --year 2023: $(cat got_y.txt), expected $(cat want_y.txt)"
}

test_show_renders_the_stored_report_as_the_file_renders() {
  region 4
  run add --db r.db reg/files || return 1
  local f a y n=0
  while IFS=$'\t' read -r f a y; do
    for to in json md; do
      "$NIANBAO" render "$f" --to $to > want.$to 2>/dev/null
      run show --db r.db "$a" "$y" --to $to || return 1
      expect_status 0
      cmp -s want.$to stdout.txt || { diff want.$to stdout.txt | head -5; fail "show $a $y --to $to differs from render"; }
    done
    n=$((n + 1))
  done < <(readable)
  [ "$n" -gt 5 ] || fail "too few reports shown"
  run show --db r.db 无此单位 2022 || return 1
  expect_status 2 && expect_stderr "库中没有“无此单位”2022年度的报告"
}

test_same_file_again_is_a_no_op_and_a_changed_file_a_new_version() {
  region 3
  run add --db r.db reg/files || return 1
  local n; n=$(sqlite3 r.db 'SELECT count(*) FROM report')
  local before; before=$(sqlite3 r.db 'SELECT count(*) FROM cell')
  run add --db r.db reg/files || return 1
  expect_stdout "新增 0 份，未变 $n 份，新版本 0 份"
  [ "$(sqlite3 r.db 'SELECT count(*) || "/" || (SELECT count(*) FROM cell) FROM report')" = "$n/$before" ] ||
    fail "adding the same files again changed the store"
  # the same content under another name is the same report too
  local f a y; IFS=$'\t' read -r f a y < <(readable | head -1)
  cp "$f" copy.txt
  run add --db r.db copy.txt || return 1
  expect_status 0 && expect_stdout "新增 0 份，未变 1 份"
  # a changed file: a new version; the old one kept
  sed -i 's/本机关无其他需要报告的事项。/本机关无其他需要报告的事项，特此报告。/' "$f"
  run add --db r.db "$f" || return 1
  expect_status 0 && expect_stdout "新增 0 份，未变 0 份，新版本 1 份"
  [ "$(sqlite3 r.db "SELECT group_concat(version || ':' || current, ' ') FROM (SELECT * FROM report WHERE unit = '$a' AND year = $y ORDER BY version)")" = "1:0 2:1" ] ||
    fail "versions of $a $y: $(sqlite3 r.db "SELECT version, current FROM report WHERE unit = '$a' AND year = $y")"
  run show --db r.db "$a" "$y" --to md || return 1
  expect_stdout "特此报告"
  run ls --db r.db --unit "$a" --year "$y" --all --json || return 1
  [ "$(grep -c '"version"' stdout.txt)" -eq 2 ] || fail "ls --all should list both versions"
}

test_kill_during_add_leaves_a_store_that_opens_and_checks() {
  region 40 3
  "$NIANBAO" add -q --db r.db reg/files > /dev/null 2>&1 &
  local pid=$!
  # kill it once some reports are in (while it writes the next)
  local i n=0
  for i in $(seq 200); do
    n=$(sqlite3 r.db 'SELECT count(*) FROM report' 2>/dev/null || echo 0)
    [ "$n" -lt 10 ] || break
    sleep 0.05
  done
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  [ "$(sqlite3 r.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after kill -9"
  # no report half written: each has all its sections and its cells
  [ "$(sqlite3 r.db 'SELECT count(*) FROM report r WHERE nsections != (SELECT count(*) FROM section s WHERE s.report = r.id) OR NOT EXISTS (SELECT 1 FROM cell c WHERE c.report = r.id)')" -eq 0 ] ||
    fail "a report was stored in part"
  local had good; had=$(sqlite3 r.db 'SELECT count(*) FROM report'); good=$(readable | wc -l)
  [ "$had" -ge 10 ] && [ "$had" -lt "$good" ] || fail "add was not killed half-way ($had of $good stored)"
  run check --db r.db -q || return 1
  [ "$STATUS" -le 1 ] || fail "check --db after kill -9 exited $STATUS"
  expect_stdout "$had 个报告"
  run add --db r.db reg/files || return 1
  expect_stdout "新增 $((good - had)) 份，未变 $had 份"
  [ "$(sqlite3 r.db 'SELECT count(*) FROM report')" -eq "$good" ] || fail "not every report stored after the second add"
}

test_corrupt_foreign_or_newer_store_is_one_line_and_exit_2() {
  head -c 8192 /dev/urandom > bad.db
  run ls --db bad.db || return 1
  expect_status 2 && expect_stderr "已损坏或不是 SQLite 数据库"
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "one line expected"
  sqlite3 other.db 'CREATE TABLE t (x); INSERT INTO t VALUES (1)'
  run add --db other.db "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "不是 nianbao 的数据库"
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "one line expected"
  [ "$(sqlite3 other.db 'SELECT count(*) FROM sqlite_master')" -eq 1 ] || fail "the foreign database was changed"
  run add --db new.db "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 0
  sqlite3 new.db 'PRAGMA user_version = 99'
  run check --db new.db || return 1
  expect_status 2 && expect_stderr "数据库结构版本 99 比本程序支持的"
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "one line expected"
  run ls --db absent.db || return 1
  expect_status 2 && expect_stderr "数据库不存在"
  [ ! -e absent.db ] || fail "ls created a database"
}

test_db_from_environment_and_default() {
  NIANBAO_DB=env.db run add "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 0 && [ -f env.db ] || fail "\$NIANBAO_DB not used"
  run add "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 0 && [ -f nianbao.db ] || fail "./nianbao.db not the default"
  [ "$(sqlite3 nianbao.db 'PRAGMA journal_mode')" = wal ] || fail "not in WAL mode"
}
