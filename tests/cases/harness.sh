# The test harness itself (tests/tap-case, tests/lib.sh): a failed expectation
# fails its test wherever it stands in the case, a test that exits 77 is
# skipped, and every case file is registered with meson.  Each test writes a
# small case file with a deliberately broken case and runs tap-case on it.

# tap_of BODY: TAP of a case file holding `test_probe() { BODY }`
tap_of() {
  printf 'test_probe() {\n%s\n}\n' "$1" > probe.sh
  NB_FAILED= "$NB_ROOT/tests/tap-case" "$PWD/probe.sh" > tap.txt 2>&1 || true
}

# expect_tap_fails BODY: the probe must be reported "not ok"
expect_tap_fails() {
  tap_of "$1"
  grep -q '^not ok 1 - test_probe$' tap.txt || { cat tap.txt; fail "the broken case passed: $1"; }
}

test_fail_in_the_middle_fails_the_test() {
  expect_tap_fails '  fail "deliberate"
  true'
}

test_expectation_before_a_passing_one_fails_the_test() {
  expect_tap_fails '  echo a > stdout.txt
  expect_stdout "b"
  expect_stdout "a"'
}

test_failed_expectation_inside_a_condition_fails_the_test() {
  # errexit is off inside `if` and `||`; the mark of `fail` still counts
  expect_tap_fails '  echo a > stdout.txt
  if expect_stdout "b"; then :; fi
  expect_stdout "b" || true
  return 0'
}

test_failed_command_in_the_middle_fails_the_test() {
  expect_tap_fails '  [ 1 -eq 2 ]
  true'
  expect_tap_fails '  cmp /dev/null /etc/hostname
  true'
}

test_failed_status_expectation_of_nianbao_fails_the_test() {
  expect_tap_fails '  run --version
  expect_status 1
  expect_stdout "nianbao"'
}

test_a_failing_nianbao_inside_run_is_a_status_not_a_failure() {
  tap_of '  run check /nonexistent/report.txt
  expect_status 2
  expect_stderr "nonexistent"'
  grep -q '^ok 1 - test_probe$' tap.txt || { cat tap.txt; fail "run of a failing command stopped the test"; }
}

test_passing_case_passes_and_exit_77_skips() {
  tap_of '  echo a > stdout.txt
  expect_stdout "a"'
  grep -q '^ok 1 - test_probe$' tap.txt || { cat tap.txt; fail "a passing case was not ok"; }
  tap_of '  echo "no corpus here"; exit 77'
  grep -q '^ok 1 - test_probe # SKIP no corpus here$' tap.txt || { cat tap.txt; fail "exit 77 was not a skip"; }
  NB_CORPUS=/nonexistent tap_of '  need_corpus
  fail "need_corpus went on"'
  grep -q '^ok 1 - test_probe # SKIP' tap.txt || { cat tap.txt; fail "need_corpus did not skip"; }
}

test_every_case_file_is_registered_with_meson() {
  local f
  for f in "$NB_ROOT"/tests/cases/*.sh; do
    grep -q "'$(basename "$f" .sh)'" "$NB_ROOT/tests/meson.build" || fail "tests/meson.build does not list $(basename "$f")"
  done
}
