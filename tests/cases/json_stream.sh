# check --json streams: each report is written as soon as it is checked, and
# the files that could not be read are listed with their reasons.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

test_json_lists_unreadable_files_with_reasons() {
  printf '不是报告\n' > junk.json
  run check --json "$EX" missing.txt "$EX" || return 1
  expect_status 2 && python3 -m json.tool stdout.txt > pretty.txt || fail "invalid JSON"
  python3 - > got.txt <<'PY' || fail "JSON shape"
import json
d = json.load(open("stdout.txt"))
assert [r["file"] for r in d["reports"]] == [d["reports"][0]["file"]] * 2
u = d["unreadable_files"]
assert len(u) == 1 and u[0]["file"] == "missing.txt" and sorted(u[0]) == ["file", "reason"], u
assert "无法打开" in u[0]["reason"] and not u[0]["reason"].endswith("\n")
assert d["summary"]["files"] == 3 and d["summary"]["unreadable"] == 1
print("ok")
PY
  grep -qx ok got.txt || fail "unreadable_files wrong"
}

test_json_with_nothing_unreadable_has_an_empty_list() {
  run check --json "$EX" || return 1
  expect_status 0 && tr -d '\n\t ' < stdout.txt | grep -qF '"unreadable_files":[],"summary":{' || fail "no empty unreadable_files"
}

test_json_report_is_written_before_the_next_is_read() {
  # the second file is a FIFO nobody writes to until the first report is out
  mkfifo second.txt
  ( "$NIANBAO" check --json "$EX" second.txt > stdout.txt 2> stderr.txt & echo $! > pid )
  local i=0
  while ! grep -q '"findings"' stdout.txt 2>/dev/null; do
    i=$((i + 1)); [ $i -lt 100 ] || { kill "$(cat pid)" 2>/dev/null; cat "$EX" > second.txt; fail "first report not written before the second file was read"; return 1; }
    sleep 0.1
  done
  cat "$EX" > second.txt
  i=0
  while kill -0 "$(cat pid)" 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
  python3 -m json.tool stdout.txt > /dev/null || fail "invalid JSON"
}
