# check -j N: worker processes over the file list, the output (text, --json,
# -q, --accept, --baseline, --prev, summary, standard error, exit status) the
# same as checking the files one after another (-j 1), in the order the files
# were given.  Workers send each file's findings back; accepting, the
# baseline, stale entries and the tallies are done by the parent.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# a mixed set: generated reports (some broken), the example, an unreadable
# file, a missing one, a file no importer reads, and the real reports
mixed_files() {
  mkdir -p gen && "$NB_ROOT/scripts/gen-corpus" --seed 5 --broken 40 12 gen >/dev/null || return 1
  printf 'garbage\001\002\n' > bad.bin
  echo "hello" > junk.txt
  FILES="gen/r00001.txt $EX missing.txt bad.bin"
  for f in gen/r*.txt; do FILES="$FILES $f"; done
  FILES="$FILES junk.txt $EX bad.txt"
  # bad.txt: the example with 表三 一、本年新收 × 自然人 changed from 8 to 1
  local l; l=$(line_of "$EX" "	一、本年新收政府信息公开申请数量")
  replace_line "$EX" $((l + 1)) "	1" > bad.txt
  if [ -d "$NB_CORPUS" ]; then
    for f in "$NB_CORPUS"/*; do case $f in *.md) ;; *) FILES="$FILES $f" ;; esac; done
  fi
}

# runs check with the given options for -j 1, 2 and 3 and compares all three
same_for_every_j() {
  local j
  for j in 1 2 3; do
    run check -j $j "$@" || return 1
    mv stdout.txt out.$j; mv stderr.txt err.$j; echo "$STATUS" > status.$j
  done
  for j in 2 3; do
    cmp -s out.1 out.$j || { diff out.1 out.$j | head -20; fail "-j $j: stdout differs from -j 1"; return 1; }
    cmp -s err.1 err.$j || { diff err.1 err.$j | head -20; fail "-j $j: stderr differs from -j 1"; return 1; }
    cmp -s status.1 status.$j || { fail "-j $j: exit status $(cat status.$j), -j 1 gave $(cat status.1)"; return 1; }
  done
  cp out.1 stdout.txt; cp err.1 stderr.txt; STATUS=$(cat status.1)
}

test_jobs_text_output_same_as_sequential() {
  mixed_files || return 1
  # shellcheck disable=SC2086
  same_for_every_j $FILES || return 1
  # the comparison is worth something only when there is something to compare
  expect_status 2 && expect_stderr "missing.txt" && expect_stdout "无法读取" &&
    [ "$(grep -c ': 错误 error ' stdout.txt)" -gt 0 ] || fail "the mixed set gave no error findings"
}

test_jobs_json_output_same_as_sequential() {
  mixed_files || return 1
  # shellcheck disable=SC2086
  same_for_every_j --json $FILES || return 1
  expect_status 2 && expect_stdout '"unreadable":' &&
    [ "$(grep -c '"file":' stdout.txt)" -ge 14 ] || fail "fewer reports in the JSON than files read"
}

test_jobs_json_unreadable_files_same_as_sequential() {
  mixed_files || return 1
  # shellcheck disable=SC2086
  same_for_every_j --json $FILES || return 1
  python3 - <<'PY' || fail "unreadable_files do not list the files that could not be read"
import json
d = json.load(open("stdout.txt"))
names = [u["file"] for u in d["unreadable_files"]]
assert "missing.txt" in names and "bad.bin" in names, names
assert d["summary"]["unreadable"] == len(names), d["summary"]
PY
}

UNIT="示例县交通运输局"

test_jobs_accept_same_as_sequential() {
  mixed_files || return 1
  # one entry that matches bad.txt's finding, one stale for the example
  printf 'ROOT-CELL\t%s\t2024\tt3.new.natural\t原件如此\nT3-COL\t%s\t2024\tt3\t去年的错误\n' "$UNIT" "$UNIT" > ok.tsv
  # shellcheck disable=SC2086
  same_for_every_j --accept ok.tsv $FILES || return 1
  expect_stdout "〔已接受：原件如此〕" && expect_stdout "1 个已接受" &&
    expect_stderr "ok.tsv:2：警告：这条已接受的问题不再出现" || return 1
  [ "$(grep -c '不再出现' stderr.txt)" -eq 1 ] || fail "the stale entry should be told once"
  # shellcheck disable=SC2086
  same_for_every_j --json --accept ok.tsv $FILES || return 1
  tr -d '\n\t ' < stdout.txt | grep -q '"accepted":1,"baseline_known":0,"stale_accepts":\[{"file":"ok.tsv","line":2' ||
    fail "JSON summary lacks the accepted count or the stale entry"
}

test_jobs_baseline_same_as_sequential() {
  mixed_files || return 1
  # the baseline: the findings of bad.txt and of some generated reports
  set -- gen/r*.txt
  run check -j 1 --json bad.txt "${@:1:6}" || return 1
  mv stdout.txt base.json
  # shellcheck disable=SC2086
  same_for_every_j --baseline base.json $FILES || return 1
  expect_stdout "个已在基线中" || return 1
  # shellcheck disable=SC2086
  same_for_every_j --json --baseline base.json --accept /dev/null $FILES || return 1
  grep -q '"baseline_known":[[:space:]]*[1-9]' stdout.txt || fail "no finding known from the baseline"
}

test_jobs_prev_same_as_sequential() {
  mixed_files || return 1
  # last year's report is another year's: every report is refused, as with -j 1
  # shellcheck disable=SC2086
  same_for_every_j --prev "$EX" $FILES || return 1
  expect_status 2 && expect_stderr "确需比较时加 --prev-any" || return 1
  # shellcheck disable=SC2086
  same_for_every_j --json --prev "$EX" --prev-any $FILES || return 1
}

test_jobs_quiet_and_files_from_same_as_sequential() {
  mixed_files || return 1
  # shellcheck disable=SC2086
  printf '%s\n' $FILES > list.txt
  same_for_every_j -q --files-from list.txt "$EX" || return 1
  expect_stdout "个报告" && [ "$(wc -l < stdout.txt)" -eq 1 ] || fail "-q should print the summary line only"
}

test_jobs_files_from_stdin_with_dash_inside() {
  printf '%s\n-\n%s\n' "$EX" "$EX" > list.txt
  local j
  for j in 1 2; do
    run check -j $j --files-from - < list.txt || return 1
    expect_status 2 && expect_stderr "清单中不能再有 -" && expect_stdout "2 个报告" || return 1
  done
}

test_jobs_unreadable_list_told_after_the_files() {
  run check -j 2 --files-from missing-list.txt "$EX" "$EX" || return 1
  expect_status 2 && expect_stderr "--files-from missing-list.txt：无法打开" && expect_stdout "2 个报告"
}

test_jobs_bad_count_is_a_usage_error() {
  for n in 0 x 1000 ""; do
    run check -j "$n" "$EX" || return 1
    expect_status 2 && expect_stderr "进程数应为 1 到" || return 1
  done
}

test_jobs_a_worker_killed_is_told_and_the_run_goes_on() {
  command -v pgrep >/dev/null || { echo "skipped: pgrep is missing"; exit 77; }
  mkfifo stuck.txt # a worker opening it waits for a writer that never comes
  timeout 60 "$NIANBAO" check -j 2 "$EX" stuck.txt "$EX" "$EX" >stdout.txt 2>stderr.txt &
  local pid=$! i kids=""
  for i in $(seq 100); do
    # the timeout's child is nianbao; nianbao's children are the workers
    kids=$(pgrep -P "$(pgrep -P $pid | head -1)" 2>/dev/null || true)
    [ "$(echo "$kids" | grep -c .)" -ge 2 ] && break
    sleep 0.1
  done
  [ -n "$kids" ] || { fail "no worker processes seen"; return 1; }
  sleep 0.5
  kill -9 $kids
  STATUS=0; wait $pid || STATUS=$?
  [ "$STATUS" -ne 124 ] || { fail "check did not end after its workers were killed"; return 1; }
  expect_status 2 && expect_stderr "stuck.txt：检查它的进程意外退出" && expect_stdout "4 个报告"
}

# A worker sends its results in batches: files it finished but had not sent
# when it died are checked again, and only the one it had begun is told as
# lost (the index of that one stands in memory shared with the parent).
test_jobs_a_killed_workers_finished_files_are_not_blamed() {
  command -v pgrep >/dev/null || { echo "skipped: pgrep is missing"; exit 77; }
  cp "$EX" a.txt; cp "$EX" b.txt; cp "$EX" c.txt
  mkfifo stuck.txt # the worker waits here, a.txt and b.txt checked and not yet sent
  timeout 60 "$NIANBAO" check -j 1 a.txt b.txt stuck.txt c.txt >stdout.txt 2>stderr.txt &
  local pid=$! i kid=""
  for i in $(seq 200); do
    kid=$(pgrep -P "$(pgrep -P $pid | head -1)" 2>/dev/null | head -1 || true)
    [ -n "$kid" ] && [ "$(cat /proc/"$kid"/wchan 2>/dev/null)" = wait_for_partner ] && break
    sleep 0.05
  done
  [ -n "$kid" ] || { fail "no worker process seen"; return 1; }
  kill -9 "$kid"
  STATUS=0; wait $pid || STATUS=$?
  [ "$STATUS" -ne 124 ] || { fail "check did not end after its worker was killed"; return 1; }
  expect_status 2 && expect_stderr "stuck.txt：检查它的进程意外退出" && expect_stdout "4 个报告" &&
    expect_stdout "1 个无法读取" || return 1
  ! grep -q "[abc]\.txt：检查它的进程意外退出" stderr.txt || fail "a finished file was told as lost: $(cat stderr.txt)"
}

# The parent holds results well ahead of the next one to print: while one
# worker is stuck on a file (or off its core on a busy machine), the other
# keeps checking the files after it, up to 64 a worker ahead, instead of
# stopping once the few handed to the stuck one were all it waited for.
test_jobs_a_stuck_file_does_not_hold_up_the_other_worker() {
  mkfifo stuck.txt probe.txt
  local files="f0.txt stuck.txt" i pid
  cp "$EX" f0.txt
  for i in $(seq 58); do cp "$EX" "f$i.txt"; files="$files f$i.txt"; done
  files="$files probe.txt f1.txt f2.txt" # probe.txt: the 61st file, 59 after stuck.txt
  # shellcheck disable=SC2086
  timeout 120 "$NIANBAO" check -j 2 $files >stdout.txt 2>stderr.txt &
  pid=$!
  # a reader on probe.txt while stuck.txt has none: opening it for writing waits for one
  local reached=1
  timeout 30 sh -c 'cat "$1" > probe.txt' sh "$EX" || reached=0
  cat "$EX" > stuck.txt
  [ "$reached" -eq 1 ] || cat "$EX" > probe.txt
  STATUS=0; wait $pid || STATUS=$?
  [ "$reached" -eq 1 ] || { fail "the other worker stopped before probe.txt while stuck.txt was unread"; return 1; }
  expect_status 0 && expect_stdout "63 个报告" && [ ! -s stderr.txt ] || fail "stderr: $(head -3 stderr.txt)"
}
