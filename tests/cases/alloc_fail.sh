# Allocation failure (issue 14, item 4): NIANBAO_FAIL_ALLOC=N makes the Nth
# allocation fail (the C core's, the Lua state's, SQLite's and those of
# libxml2, cJSON and libcsv all count, in base/xalloc.c), N+ that one and
# every later one.  Over check, render and
# the store (add) on the example, N spread over all of a run's allocations:
# every run ends 0 or 1 (the failure survived, or N past the end) or 2 with
# a message; never a signal or a sanitizer report (run() in lib.sh says so;
# this case runs in the asan suite too).  NB_ALLOC_SAMPLES (default 16) is
# how many N each command tries in each mode.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# allocations a whole run makes: N past the end says how many there were
allocations() {
  NIANBAO_FAIL_ALLOC=999999999 run "$@" || return 1
  [ "$STATUS" -le 1 ] || { fail "the run without failure ends $STATUS"; return 1; }
  sed -n 's/.*分配只有 \([0-9]*\) 次.*/\1/p' stderr.txt
}

# every N of 1..8 and SAMPLES more spread evenly over the run (a prime
# stride so that runs of the same kind of allocation are not all missed)
points() { # total samples
  seq 1 8
  awk -v t="$1" -v k="$2" 'BEGIN { for (i = 1; i <= k; i++) print 8 + int((t - 8) * i / (k + 1)) + (i * 7919) % 13 }'
}

# sweep SETUP -- ARGS...: runs nianbao ARGS with each N in both modes after
# running SETUP (which removes what the last run wrote)
sweep() {
  local setup=$1; shift 2
  $setup
  local total; total=$(allocations "$@") || return 1
  [ -n "$total" ] && [ "$total" -gt 1000 ] || { fail "no count of allocations (got '$total')"; return 1; }
  local n mode failed=0
  for n in $(points "$total" "${NB_ALLOC_SAMPLES:-16}"); do
    for mode in "" "+"; do
      $setup
      NIANBAO_FAIL_ALLOC="$n$mode" run "$@" || { fail "NIANBAO_FAIL_ALLOC=$n$mode"; return 1; }
      case $STATUS in
        0|1) ;;
        2) [ -s stderr.txt ] || { fail "NIANBAO_FAIL_ALLOC=$n$mode: exit 2 without a message"; return 1; }
           failed=$((failed + 1));;
        *) fail "NIANBAO_FAIL_ALLOC=$n$mode: exit $STATUS"; return 1;;
      esac
    done
  done
  # the hook did fail runs: the first allocation is the C core's, which stops
  [ "$failed" -gt 0 ] || { fail "no run was stopped by a failing allocation"; return 1; }
  $setup
  NIANBAO_FAIL_ALLOC=1 run "$@" || return 1
  expect_status 2 && expect_stderr "内存不足"
}

nothing() { :; }
no_output() { rm -f out.md; }
no_db() { rm -f r.db r.db-wal r.db-shm; }

test_check_survives_every_failing_allocation() {
  sweep nothing -- check "$EX"
}

test_render_survives_every_failing_allocation_and_writes_all_or_nothing() {
  sweep no_output -- render --to md -o out.md "$EX" || return 1
  # a render stopped by a failing allocation leaves no file behind
  local n
  for n in 2000 6000 10000; do
    no_output
    NIANBAO_FAIL_ALLOC="$n+" run render --to md -o out.md "$EX" || return 1
    if [ "$STATUS" -eq 2 ] && [ -e out.md ]; then fail "NIANBAO_FAIL_ALLOC=$n+: out.md written by a failed render"; return 1; fi
    ! ls .out.md* 2>/dev/null | grep -q . || { fail "temporary file left behind"; return 1; }
  done
}

test_store_add_survives_every_failing_allocation() {
  sweep no_db -- add --db r.db "$EX"
}

test_persistent_failure_after_the_plugins_load_is_exit_2_not_a_lua_panic() {
  # an allocation of the host's own Lua calls outside any protected call
  # (a message pushed after a detect) once ended in abort()
  local total k; total=$(allocations check "$EX") || return 1
  for k in 70 75 80 85 90 95; do
    NIANBAO_FAIL_ALLOC="$((total * k / 100))+" run check "$EX" || return 1
    expect_status 2 && expect_stderr "内存不足" || return 1
  done
}

# The parsing libraries allocate through the hook too (host/io/lib_alloc.c):
# libxml2 for .docx and .html, libcsv for .csv, cJSON for .json.  Inside a
# plugin call a refused allocation is that call's memory error, never a
# report read without a part; outside one, exit 2 as in the C core.
as_file() { # EXT: the example written as EXT by its renderer
  "$NIANBAO" render --to "$1" -o "ex.$1" "$EX" >/dev/null 2>&1 || { fail "render --to $1 failed"; return 1; }
}

test_check_of_a_docx_survives_every_failing_allocation_of_libxml2() {
  as_file docx && sweep nothing -- check ex.docx || return 1
  # a processing instruction before </w:body>, which libxml2 reads past
  mkdir d && (cd d && unzip -q ../ex.docx) && perl -0777 -i -pe 's{</w:body>}{<?x y?></w:body>}' d/word/document.xml &&
    (cd d && zip -q -X -r ../pi.docx '[Content_Types].xml' _rels docProps word) || { fail "pi.docx not made"; return 1; }
  sweep nothing -- check pi.docx || return 1
  # libxml2 says so when it is refused: its allocations were among those failed
  # (libxml2's allocations are a few hundred of thousands: 100 points, the
  # sweep over once two of them have been libxml2's)
  local total n hits=0; total=$(allocations check pi.docx) || return 1
  for n in $(points "$total" 100); do
    NIANBAO_FAIL_ALLOC="$n" run check pi.docx || return 1
    grep -q "Memory allocation failed" stderr.txt || continue
    hits=$((hits + 1))
    expect_status 2 && expect_stderr "插件超出了内存上限" || return 1
    [ "$hits" -lt 2 ] || break
  done
  [ "$hits" -gt 0 ] || fail "no failing allocation was libxml2's"
}

test_check_of_an_html_page_survives_every_failing_allocation() { as_file html && sweep nothing -- check ex.html; }
test_check_of_a_csv_survives_every_failing_allocation() { as_file csv && sweep nothing -- check ex.csv; }
test_check_of_a_markdown_survives_every_failing_allocation() { as_file md && sweep nothing -- check ex.md; }
test_check_of_a_json_survives_every_failing_allocation() { as_file json && sweep nothing -- check ex.json; }
test_check_json_output_survives_every_failing_allocation_of_cjson() { sweep nothing -- check --json "$EX"; }
