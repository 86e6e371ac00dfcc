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

# start `add` of the first $2 files of reg/files (in order), then of a FIFO
# no one writes to, then of the rest: add blocks there, so the kill always
# lands before the end however fast add is.  kill -9 it once at least $1
# reports are committed (a batch may still be open); sets SEEN to the
# committed count seen just before the kill.  A batch commits every 500
# reports or 0.2 s, so 500 new reports before the FIFO make the commit certain
add_and_kill() {
  local files; mapfile -t files < <(find reg/files -type f | sort)
  rm -f hold.txt && mkfifo hold.txt
  "$NIANBAO" add -q --db r.db "${files[@]:0:$2}" hold.txt "${files[@]:$2}" > /dev/null 2>&1 &
  local pid=$! i n=0
  for i in $(seq 3000); do
    n=$(sqlite3 -cmd '.timeout 5000' r.db 'SELECT count(*) FROM report' 2>/dev/null || echo 0)
    [ "$n" -lt "$1" ] || break
    sleep 0.02
  done
  SEEN=$n
  kill -9 $pid 2>/dev/null || true
  wait $pid 2>/dev/null || true
  rm -f hold.txt
}

# the store after a kill -9: whole, nothing committed lost, checks clean
after_kill() {
  [ "$(sqlite3 r.db 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after kill -9"
  # no report half written: each has the sections and cells it has in ref.db
  local parts='SELECT sha256, (SELECT count(*) FROM section s WHERE s.report = r.id), (SELECT count(*) FROM cell c WHERE c.report = r.id) FROM report r'
  sqlite3 r.db "$parts" | sort | comm -23 - ref.parts > partial.txt
  [ ! -s partial.txt ] || { head partial.txt; fail "a report was stored in part"; }
  HAD=$(sqlite3 r.db 'SELECT count(*) FROM report')
  [ "$HAD" -ge "$SEEN" ] || fail "kill -9 lost committed reports ($SEEN seen, $HAD left)"
  run check --db r.db -q || return 1
  [ "$STATUS" -le 1 ] || fail "check --db after kill -9 exited $STATUS"
  expect_stdout "$HAD 个报告"
}

test_kill_during_add_leaves_a_store_that_opens_and_checks() {
  # 1,500 files: two adds each held after 500 new reports and killed
  region 500 3
  local good; good=$(readable | wc -l)
  # each report's sections and cells, written without interruption
  "$NIANBAO" add -q --db ref.db reg/files > /dev/null || true
  sqlite3 ref.db 'SELECT sha256, (SELECT count(*) FROM section s WHERE s.report = r.id), (SELECT count(*) FROM cell c WHERE c.report = r.id) FROM report r' | sort > ref.parts
  [ "$(wc -l < ref.parts)" -eq "$good" ] || fail "the reference store lacks reports"
  add_and_kill 10 600
  after_kill || return 1
  [ "$HAD" -ge 10 ] && [ "$HAD" -lt "$good" ] || fail "add was not killed half-way ($HAD of $good stored)"
  local first=$HAD
  # killed again while adding the rest, then finished
  add_and_kill $((first + 1)) 1300
  after_kill || return 1
  [ "$HAD" -gt "$first" ] && [ "$HAD" -lt "$good" ] || fail "the second add was not killed half-way ($HAD of $good stored)"
  run add --db r.db reg/files || return 1
  expect_stdout "新增 $((good - HAD)) 份，未变 $HAD 份"
  [ "$(sqlite3 r.db 'SELECT count(*) FROM report')" -eq "$good" ] || fail "not every report stored after the last add"
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

# roster.csv for reg/: each unit under its county (the name's first three
# characters), each county under 宜春市; the last unit left off the roster
# and in each county one unit that never reports put on it
make_roster() {
  python3 - <<'PY'
rows = [l.rstrip('\n').split('\t') for l in open('reg/manifest.tsv')]
units = sorted({r[3] for r in rows})
with open('roster.csv', 'w') as f:
    f.write('单位,上级,层级\n')
    for u in units[:-1]:
        f.write(f'{u},{u[:3]},部门\n')
    for c in sorted({u[:3] for u in units}):
        f.write(f'{c},宜春市,县政府\n')
        f.write(f'{c}从未报送局,{c},部门\n')
PY
}

test_missing_lists_units_without_report_off_the_roster_and_twice() {
  region 24
  make_roster
  # a second report of one unit for 2022 from another file
  local f a
  IFS=$'\t' read -r f a _ < <(readable | awk -F'\t' '$3 == 2022' | head -1)
  sed 's/本机关无其他需要报告的事项。/本机关无其他需要报告的事项（更正稿）。/' "$f" > second.txt
  run add --db r.db reg/files second.txt || return 1
  run roster import --db r.db roster.csv || return 1
  expect_status 0 && expect_stdout "名册已导入：$(($(wc -l < roster.csv) - 1)) 个单位"
  run missing --db r.db --year 2022 || return 1
  expect_status 1
  # independent: the roster's units against the manifest's readable reports of 2022
  python3 - "$a" > want.txt <<'PY'
import sys
roster = [l.split(',')[0] for l in open('roster.csv').read().splitlines()[1:]]
rows = [l.rstrip('\n').split('\t') for l in open('reg/manifest.tsv')]
have = {r[3] for r in rows if r[4] == '2022' and r[2] != '!import'}
for u in sorted(set(roster) - have): print('缺报\t' + u)
for u in sorted(have - set(roster)): print('名册外\t' + u)
print('重复\t' + sys.argv[1] + '\t2 份')
PY
  grep -v '年度：' stdout.txt > got.txt
  sort want.txt > a.txt; sort got.txt > b.txt
  cmp -s a.txt b.txt || { diff a.txt b.txt; fail "missing differs from the roster and manifest"; }
  grep -q '^名册外' want.txt && grep -q "从未报送局" want.txt || fail "the region lacks an off-roster or a missing unit"
}

test_sum_adds_each_additive_cell_over_the_regions_units() {
  region 24
  make_roster
  # one unit writes "/" for 行政许可 in 2022
  local f county
  IFS=$'\t' read -r f county _ < <(readable | awk -F'\t' '$3 == 2022' | head -1)
  county=${county:0:3}
  awk 'prev == "\t行政许可" { print "\t/"; prev = ""; next } { print; prev = $0 }' "$f" > t && mv t "$f"
  run add --db r.db reg/files || return 1
  run roster import --db r.db roster.csv || return 1
  run sum --db r.db --region "$county" --year 2022 --to json || return 1
  expect_status 0
  cp stdout.txt sum.json; cp stderr.txt notes.txt
  # independent: render each unit's own file and add up the cells
  readable | awk -F'\t' -v c="$county" '$3 == 2022 && substr($2, 1, length(c)) == c { print $1 }' > files.txt
  [ "$(wc -l < files.txt)" -ge 2 ] || fail "too few units in $county"
  while read -r f; do "$NIANBAO" render "$f" --to json > "$(basename "$f").json"; done < files.txt
  python3 - > check.txt <<'PY'
import json, glob
from decimal import Decimal
tot, na, blank_cells = {}, {}, 0
files = sorted(glob.glob('r*.txt.json'))
for p in files:
    for t, rows in json.load(open(p))['tables'].items():
        for r, cols in rows.items():
            for c, v in cols.items():
                k = (t, r, c)
                if c in ('in_force',): continue
                if v in (None, ''): continue
                if v == '/': na[k] = na.get(k, 0) + 1; continue
                tot[k] = tot.get(k, Decimal(0)) + Decimal(v)
got = json.load(open('sum.json'))['tables']
bad = 0
for t, rows in got.items():
    for r, cols in rows.items():
        for c, v in cols.items():
            k = (t, r, c)
            want = str(tot[k]) if k in tot else ('/' if k in na else None)
            if c == 'in_force': want = None
            if (v if v not in ('',) else None) != want and not (v and want and Decimal(v) == Decimal(want)):
                print('cell', k, 'got', v, 'want', want); bad += 1
print('checked', len(tot), 'cells over', len(files), 'units;', bad, 'wrong')
print('na', sum(na.values()))
PY
  grep -q ' 0 wrong' check.txt || { cat check.txt | head; fail "sum differs from the units' cells added up"; }
  grep -q '^na 1$' check.txt || fail "the / was not seen: $(tail -1 check.txt)"
  grep -q '\[SUM-NA\].*行政许可.*1 个单位此格填“/”' notes.txt || fail "no note for the / kept apart"
  grep -q "\[SUM-MISSING\] ${county}从未报送局 未报" notes.txt || fail "the unit without a report is not in the notes"
  grep -q '\[SUM-STOCK\].*现行有效件数' notes.txt || fail "the stock column is not noted"
  expect_stderr "汇总了 $(($(wc -l < files.txt) + 1)) 个单位中 $(wc -l < files.txt) 个单位的报告"
}

test_sum_compares_the_regions_own_published_summary_cell_by_cell() {
  region 24
  make_roster
  run add --db r.db reg/files || return 1
  run roster import --db r.db roster.csv || return 1
  local county
  IFS=$'\t' read -r _ county _ < <(readable | awk -F'\t' '$3 == 2022' | head -1)
  county=${county:0:3}
  # the region publishes its 汇总 as summed: no AGG-SUM error
  run sum --db r.db --region "$county" --year 2022 --to txt -o pub.txt || return 1
  expect_status 0
  run add --db r.db pub.txt || return 1
  expect_status 0 && expect_stdout "新增 1 份"
  run sum --db r.db --region "$county" --year 2022 --to json || return 1
  expect_status 0
  expect_stderr "[AGG-SUM] 与库中${county} 2022 年度本级公布的汇总（$PWD/pub.txt）逐格比对：0 格不符"
  # it publishes one cell wrong (行政许可 + 5): one AGG-SUM error, with both values
  local was; was=$(awk 'prev == "\t行政许可" { print $1; exit } { prev = $0 }' pub.txt)
  [ -n "$was" ] && [ "$was" -gt 0 ] || fail "no 行政许可 figure in the published 汇总"
  awk -v n=$((was + 5)) 'prev == "\t行政许可" { print "\t" n; prev = ""; next } { print; prev = $0 }' pub.txt > t && mv t pub.txt
  run add --db r.db pub.txt || return 1
  expect_stdout "新版本 1 份"
  run sum --db r.db --region "$county" --year 2022 --to json || return 1
  expect_status 1
  [ "$(grep -c '错误 error \[AGG-SUM\]' stderr.txt)" -eq 1 ] || fail "one AGG-SUM error expected: $(grep AGG stderr.txt)"
  expect_stderr "此格为 $((was + 5))，名册上下属各单位报告相加为 $was"
  expect_stderr "逐格比对：1 格不符"
  # check --db gives the same AGG-SUM error on the region's own report, and only there
  run check --db r.db --year 2022 || return 1
  expect_status 1
  [ "$(grep -c '\[AGG-SUM\]' stdout.txt)" -eq 1 ] || fail "check --db: one AGG-SUM expected: $(grep AGG stdout.txt)"
  grep '\[AGG-SUM\]' stdout.txt | grep -q "^$PWD/pub.txt:.*此格为 $((was + 5))，名册上下属各单位报告相加为 $was" ||
    fail "check --db: AGG-SUM not on pub.txt: $(grep AGG stdout.txt)"
  # a region without its own report: no comparison at all
  local other; other=$(awk -F, -v c="$county" 'NR > 1 && $3 == "县政府" && $1 != c { print $1; exit }' roster.csv)
  run sum --db r.db --region "$other" --year 2022 || return 1
  expect_status 0
  grep -q 'AGG-SUM' stderr.txt && fail "AGG-SUM for $other, which published no 汇总"
  return 0
}

test_check_db_gives_date_dl_for_a_report_published_after_its_levels_deadline() {
  region 12
  make_roster
  # every readable 2022 report gets a 发布日期: every other one after 1月31日 (the 部门 deadline), the rest before
  local f a y i=0
  readable | awk -F'\t' '$3 == 2022' > y2022.tsv
  : > late.txt
  while IFS=$'\t' read -r f a y; do
    local date=2023年1月20日
    if [ $((i % 2)) -eq 0 ]; then date=2023年2月5日; echo "$a" >> late.txt; fi
    awk -v d="$date" '!done && $0 == "" { print "发布日期：" d; done = 1 } { print }' "$f" > t && mv t "$f"
    i=$((i + 1))
  done < y2022.tsv
  # one county publishes its own report on 2月10日: on time for a 县政府 (2月20日)
  local county
  IFS=$'\t' read -r f county y < y2022.tsv
  county=${county:0:3}
  { echo "${county}2022年政府信息公开工作年度报告"; echo "发布日期：2023年2月10日"; awk 'go { print } $0 == "" && !go { go = 1; print }' "$f"; } > county.txt
  run add --db r.db reg/files county.txt || return 1
  run roster import --db r.db roster.csv || return 1
  run check --db r.db --year 2022 || return 1
  # independent: the late reports of units on the roster (as 部门)
  awk -F, 'NR == FNR { late[$1] = 1; next } FNR > 1 && $3 == "部门" && ($1 in late) { print $1 }' late.txt roster.csv | sort > want.txt
  [ "$(wc -l < want.txt)" -ge 2 ] || fail "too few late reports in the region"
  grep '\[DATE-DL\]' stdout.txt > dl.txt || true
  [ "$(sqlite3 r.db "SELECT count(*) FROM report WHERE year = 2022 AND published != ''")" -eq $((i + 1)) ] ||
    fail "not every 2022 report has its 发布日期 in the store"
  grep -c '发布日期 2023年2月5日 晚于部门的截止日期 2023年1月31日（2022 年度报告）' dl.txt > n.txt || true
  [ "$(cat n.txt)" -eq "$(wc -l < want.txt)" ] && [ "$(wc -l < dl.txt)" -eq "$(wc -l < want.txt)" ] ||
    { cat dl.txt; fail "DATE-DL: $(wc -l < dl.txt) findings, expected $(wc -l < want.txt)"; }
  # each on the right report
  while read -r a; do
    f=$(awk -F'\t' -v a="$a" '$2 == a { print $1 }' y2022.tsv)
    grep -q "^$f:" dl.txt || fail "no DATE-DL on $f ($a)"
  done < want.txt
  [ "$(sqlite3 r.db "SELECT count(*) FROM report WHERE unit = '$county' AND published = '2023年2月10日'")" -eq 1 ] ||
    fail "the county's own report is not stored as its: $(sqlite3 r.db "SELECT unit, published FROM report WHERE source LIKE '%county.txt'")"
  grep -q "county.txt" dl.txt && fail "the county's report (2月10日, deadline 2月20日) is not late"
  # ls marks the same reports late
  run ls --db r.db --json || return 1
  python3 -c 'import json
for r in json.load(open("stdout.txt"))["reports"]:
    if r["late"]: print(r["unit"])' | sort > got_late.txt
  cmp -s want.txt got_late.txt || { diff want.txt got_late.txt; fail "ls --json: late reports differ"; }
  run ls --db r.db --year 2022 || return 1
  [ "$(grep -c '逾期' stdout.txt)" -eq "$(($(wc -l < want.txt) + 1))" ] || fail "ls: 逾期 not on each late report"
  return 0
}

test_check_db_in_worker_processes_prints_what_one_process_prints() {
  region 24
  make_roster
  # one report published late (DATE-DL), the county's own 汇总 one cell wrong (AGG-SUM)
  local f county
  IFS=$'\t' read -r f county _ < <(readable | awk -F'\t' '$3 == 2022' | head -1)
  county=${county:0:3}
  awk '!done && $0 == "" { print "发布日期：2023年2月5日"; done = 1 } { print }' "$f" > t && mv t "$f"
  run add --db r.db reg/files || return 1
  run roster import --db r.db roster.csv || return 1
  run sum --db r.db --region "$county" --year 2022 --to txt -o pub.txt || return 1
  awk 'prev == "\t行政许可" { print "\t" $1 + 5; prev = ""; next } { print; prev = $0 }' pub.txt > t && mv t pub.txt
  run add --db r.db pub.txt || return 1
  local args n=0
  for args in "" "--json" "--year 2022" "--unit ${county}财政局 --json" "-q"; do
    # shellcheck disable=SC2086
    run check --db r.db $args -j 1 || return 1
    mv stdout.txt one.txt
    local s1=$STATUS
    # shellcheck disable=SC2086
    run check --db r.db $args -j 3 || return 1
    [ "$STATUS" -eq "$s1" ] || fail "check --db $args: exit $STATUS with -j 3, $s1 with -j 1"
    cmp -s one.txt stdout.txt || { diff one.txt stdout.txt | head; fail "check --db $args: -j 3 prints otherwise than -j 1"; }
    n=$((n + $(grep -c -e 'AGG-SUM' -e 'DATE-DL' -e 'XY-CARRY' one.txt || true)))
  done
  [ "$n" -gt 3 ] || fail "no AGG-SUM, DATE-DL or XY-CARRY finding to compare"
  grep -q 'AGG-SUM' one.txt && fail "-q printed findings"
  run check --db r.db --year 2022 -j 2 || return 1
  grep -q '\[AGG-SUM\]' stdout.txt && grep -q '\[DATE-DL\]' stdout.txt || fail "-j 2: AGG-SUM or DATE-DL missing"
  # a damaged report: one line, exit 2, the findings before it, as in one process
  sqlite3 r.db "UPDATE report SET cells = '[[1,\"t1\"' WHERE source = '$PWD/pub.txt'"
  run check --db r.db -j 1 || return 1
  mv stdout.txt one.txt
  run check --db r.db -j 2 || return 1
  expect_status 2 && expect_stderr "单元格数据已损坏"
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "one line expected"
  [ -s one.txt ] && cmp -s one.txt stdout.txt || { diff one.txt stdout.txt | head -3; fail "-j 2 printed otherwise before the damaged report"; }
  run check --db r.db -j 0 || return 1
  expect_status 2 && expect_stderr "-j 0：进程数应为 1 到"
}

# every table of store $1 but the time each report was added
store_dump() {
  local t
  for t in section note stat mark roster; do sqlite3 "$1" "SELECT * FROM $t ORDER BY 1, 2"; done
  sqlite3 "$1" "SELECT id, unit, year, version, current, source, sha256, importer, format, title, published, address,
    phone, postcode, preamble, title_year, period_year, tables_only, tables_given, nsections, nnotes, nstats, nmarks,
    errors, warnings, infos, cells FROM report ORDER BY id"
}

test_add_in_worker_processes_stores_what_one_process_stores() {
  region 24
  local f; f=$(readable | head -1 | cut -f1)
  # every file, one twice, and one that is not there
  run add --db one.db -j 1 reg/files "$f" nothere.txt || return 1
  local s1=$STATUS; mv stdout.txt one.txt
  run add --db three.db -j 3 reg/files "$f" nothere.txt || return 1
  [ "$STATUS" -eq "$s1" ] && [ "$STATUS" -eq 2 ] || fail "add -j 3: exit $STATUS, -j 1: $s1"
  cmp -s one.txt stdout.txt || { diff one.txt stdout.txt | head; fail "add -j 3 says otherwise than -j 1"; }
  expect_stdout "新增 $(readable | wc -l) 份，未变 1 份，新版本 0 份"
  expect_stdout "nothere.txt："
  store_dump one.db > one.dump; store_dump three.db > three.dump
  [ -s one.dump ] || fail "empty store"
  cmp -s one.dump three.dump || { diff one.dump three.dump | head -5; fail "add -j 3 stored otherwise than -j 1"; }
  # again: every file a no-op; a changed file a new version, with its findings counted against last year
  run add --db three.db -j 3 reg/files || return 1
  expect_stdout "新增 0 份，未变 $(readable | wc -l) 份"
  f=$(readable | awk -F'\t' '$3 == 2022' | head -1 | cut -f1)
  echo "补充说明。" >> "$f"
  run add --db one.db -j 1 reg/files || return 1
  mv stdout.txt one.txt
  run add --db three.db -j 3 reg/files || return 1
  cmp -s one.txt stdout.txt && expect_stdout "新版本 1 份" || fail "a changed file with -j 3: $(head -1 stdout.txt)"
  store_dump one.db > one.dump; store_dump three.db > three.dump
  cmp -s one.dump three.dump || { diff one.dump three.dump | head -5; fail "the new version stored otherwise with -j 3"; }
  run add --db three.db -j x reg/files || return 1
  expect_status 2 && expect_stderr "nianbao add: -j x：进程数应为 1 到"
}

test_add_in_worker_processes_goes_on_when_a_worker_is_ended() {
  # backtracking inside string.find (C): the time limit ends the worker
  # importing a.slow; add says so and stores the other files
  plugin t.lua <<'EOF2'
local host = ...
host.importer { id = "t", description = "t", extensions = { "slow" },
  import = function(src) return string.find(string.rep("a", 5000), "(.-)(.-)(.-)(.-)(.-)b") end }
EOF2
  echo x > a.slow
  cp "$NB_ROOT/examples/example-county-transport-2024.txt" b.txt
  NIANBAO_LUA_SECONDS=1 NIANBAO_LUA_INSTRUCTIONS=500 NIANBAO_LUA_MEMORY_MB=256 \
    run add --db r.db -j 2 --plugin-dir plugins a.slow b.txt || return 1
  expect_status 2 && expect_stdout "新增 1 份，未变 0 份，新版本 0 份，失败 1 份" &&
    expect_stdout "a.slow：读入它的进程意外退出，未能导入"
  [ "$(sqlite3 r.db "SELECT count(*) FROM report WHERE source = '$PWD/b.txt'")" -eq 1 ] || fail "b.txt not stored"
}

# the cell table of schema 2 (migration 2), rebuilt from the view of a store of today
downgrade_to_schema_2() {
  sqlite3 "$1" "CREATE TABLE cell_t (report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL, tab TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL, value TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind = 'value' OR kind = 'na' OR kind = 'blank'), micro INTEGER,
    flags INTEGER NOT NULL DEFAULT 0, line INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (report, seq)) WITHOUT ROWID;
    INSERT INTO cell_t SELECT * FROM cell; DROP VIEW cell; ALTER TABLE cell_t RENAME TO cell;
    ALTER TABLE report DROP COLUMN cells; PRAGMA user_version = 2"
}

test_a_store_of_schema_2_keeps_its_cells_when_migrated() {
  region 12
  run add --db r.db reg/files || return 1
  local cells='SELECT report, seq, tab, row, col, value, kind, micro, flags, line FROM cell ORDER BY report, seq'
  sqlite3 r.db "$cells" > want_cells.txt
  [ "$(wc -l < want_cells.txt)" -gt 1000 ] || fail "too few cells stored"
  "$NIANBAO" check --db r.db --json > want_check.json || true
  local a y; IFS=$'\t' read -r _ a y < <(readable | head -1)
  "$NIANBAO" show --db r.db "$a" "$y" --to json > want_show.json
  downgrade_to_schema_2 r.db
  [ "$(sqlite3 r.db "SELECT type FROM sqlite_master WHERE name = 'cell'")" = table ] || fail "the test did not rebuild schema 2"
  run check --db r.db --json || return 1
  expect_status 1
  cmp -s want_check.json stdout.txt || { diff want_check.json stdout.txt | head -5; fail "check --db differs after the migration"; }
  [ "$(sqlite3 r.db 'PRAGMA user_version')" -eq 3 ] || fail "schema not migrated to 3"
  sqlite3 r.db "$cells" | cmp -s want_cells.txt - || fail "the cells differ after the migration"
  run show --db r.db "$a" "$y" --to json || return 1
  cmp -s want_show.json stdout.txt || fail "show differs after the migration"
}

test_stored_cells_text_read_with_escapes_or_refused_when_damaged() {
  run add --db r.db "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 0
  # a cell the format does not declare, written with JSON escapes: a STORE-CELL warning naming it
  sqlite3 r.db "UPDATE report SET cells = substr(cells, 1, length(cells) - 1) ||
    ',[9999,\"t9\",\"x\\\"y\",\"z\\\\w\",\"\\u4e00\\ud83d\\ude00\\n\",\"value\",1000000,0,0]]'"
  run check --db r.db --json || return 1
  python3 - <<'PY' || fail "STORE-CELL finding not as expected"
import json
fs = [f for r in json.load(open('stdout.txt'))['reports'] for f in r['findings'] if f['rule'] == 'STORE-CELL']
assert len(fs) == 1, fs
assert 't9.x"y.z\\w' in fs[0]['message'], fs[0]['message']
assert fs[0].get('actual') == '一😀\n', fs[0]
PY
  # a damaged text: one line, exit 2
  sqlite3 r.db "UPDATE report SET cells = '[[1,\"t1\"'"
  run check --db r.db || return 1
  expect_status 2 && expect_stderr "单元格数据已损坏"
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "one line expected"
}

test_sum_past_what_a_cell_holds_is_refused_in_one_line() {
  region 24
  make_roster
  run add --db r.db reg/files || return 1
  run roster import --db r.db roster.csv || return 1
  # a county with two units reporting for 2022
  local county; county=$(readable | awk -F'\t' '$3 == 2022 { print $2 }' | python3 -c '
import sys, collections
n = collections.Counter(l.strip()[:3] for l in sys.stdin)
print(next((c for c, k in n.most_common() if k >= 2), ""))')
  [ -n "$county" ] || fail "no county with two reports for 2022"
  # every 2022 report's t3.new.total at 5·10^12 (its millionths fit 64 bits; two of them do not)
  python3 - <<'PY'
import json, sqlite3
db = sqlite3.connect('r.db')
for rid, cells in db.execute('SELECT id, cells FROM report WHERE year = 2022').fetchall():
    cs = json.loads(cells)
    for c in cs:
        if c[1:4] == ['t3', 'new', 'total']:
            c[4], c[5], c[6], c[7] = '5000000000000', 'value', 5 * 10**18, 0
    db.execute('UPDATE report SET cells = ? WHERE id = ?', (json.dumps(cs, ensure_ascii=False), rid))
db.commit()
PY
  run sum --db r.db --region "$county" --year 2022 || return 1
  expect_status 2 && expect_stderr "单元格 t3.new.total 的合计超出可表示的范围"
  [ "$(wc -l < stderr.txt)" -eq 1 ] || fail "one line expected"
}

test_add_lists_each_failed_file_once_with_its_reason() {
  # the reason of an importer or of reading names the file itself ("F: …",
  # "F:LINE: …"): the list names it once, its line as 第N行
  printf 'not a zip' > bad.docx
  printf '随便写点东西\n' > notitle.txt
  local j
  for j in 1 2; do
    run add --db r.db -j $j bad.docx notitle.txt nothere.txt || return 1
    expect_status 2 && expect_stdout "失败 3 份" || return 1
    expect_stdout "  bad.docx：不是完整的 .docx 文件" && expect_stdout "  notitle.txt：第1行：没有找到报告标题" &&
      expect_stdout "  nothere.txt：无法打开文件" || return 1
    [ "$(grep -c -e 'bad\.docx.*bad\.docx' -e 'notitle\.txt.*notitle\.txt' -e 'nothere\.txt.*nothere\.txt' stdout.txt)" -eq 0 ] ||
      fail "-j $j: a failure names its file twice"
  done
}

test_stored_cells_read_the_same_however_the_text_is_laid_out() {
  # cells as encode writes them are read by a fast reader; white space
  # before the text or between cells (SQLite's own json output, a hand
  # edit) sends the whole text to the general reader: the same report
  region 6
  run add --db r.db reg/files || return 1
  run check --db r.db --json || return 1
  mv stdout.txt want.json
  [ "$(grep -c '"table":' want.json)" -ge 3 ] || fail "the region should have findings on cells"
  sqlite3 r.db "UPDATE report SET cells = ' ' || cells WHERE id % 2 = 0; UPDATE report SET cells = replace(cells, '],[', '], [') WHERE id % 2 = 1"
  [ "$(sqlite3 r.db "SELECT count(*) FROM report WHERE cells LIKE '%], [%' OR cells LIKE ' %'")" -gt 2 ] || fail "texts not rewritten"
  run check --db r.db --json || return 1
  cmp -s want.json stdout.txt || { diff want.json stdout.txt | head -5; fail "cells read otherwise from a text laid out otherwise"; }
}
