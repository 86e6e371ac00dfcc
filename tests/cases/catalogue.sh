# The rule catalogue: nianbao rules [--format ID] [--markdown], and
# docs/rules.md, which must be exactly what --markdown writes.

test_docs_rules_md_is_the_generated_catalogue() {
  run rules --markdown || return 1
  expect_status 0 || return 1
  diff -u "$NB_ROOT/docs/rules.md" stdout.txt > diff.txt ||
    fail "docs/rules.md differs from 'nianbao rules --markdown' (regenerate it): $(head -c 2000 diff.txt)"
}

test_every_format_and_rule_is_in_the_catalogue() {
  run rules --markdown || return 1
  local id
  for id in gov-2019 gov-2021 legacy; do expect_stdout "| $id |" || return 1; done
  for id in T3-BAL T3-RES T3-COL T4-SUM CELL-INT CELL-BLANK FMT-SEC FMT-VER FMT-LEGACY YEAR TXT-LEN TXT-FEE \
            TXT-DUP XY-CARRY T2-VALID XY-2019-CUM; do
    expect_stdout "| $id |" || return 1
  done
  # one line per variant: FMT-VER is an error in gov-2019/2021 and a warning for legacy
  expect_stdout '| FMT-VER | error | gov-2019, gov-2021 |' &&
    expect_stdout '| FMT-VER | warning | legacy |' &&
    expect_stdout '| XY-CARRY | error | gov-2019, gov-2021 | inferred | assert, --prev | `t3.carried_in.$c == prev.t3.carried_out.$c` for c in t3.columns |'
}

test_rules_format_lists_that_formats_rules_only() {
  run rules --format gov-2019 || return 1
  expect_status 0 && expect_stdout XY-2019-CUM && expect_no_stdout TXT-FEE && expect_no_stdout T2-VALID &&
    expect_no_stdout gov-2021 || return 1
  # the rules, then (after a blank line) the format's 填报说明
  [ "$(sed '/^$/,$d' stdout.txt | wc -l)" -eq 16 ] || fail "gov-2019 has 16 rules"
  run rules --format gov-2021 || return 1
  expect_stdout TXT-FEE && expect_stdout T2-VALID && expect_no_stdout XY-2019-CUM || return 1
  [ "$(sed '/^$/,$d' stdout.txt | wc -l)" -eq 18 ] || fail "gov-2021 has 18 rules"
}

test_rules_bad_usage_is_exit_2() {
  run rules --format nope || return 1
  expect_status 2 && expect_stderr "没有格式 'nope'" || return 1
  run rules extra || return 1
  expect_status 2 && expect_stderr "用法：nianbao rules"
}
