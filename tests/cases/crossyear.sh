# Cross-year rules (nianbao check --prev LAST_YEAR FILE): for each, a pair
# of reports that passes and one that fails — within gov-2021, within
# gov-2019, and from a 2020 report in gov-2019 to a 2021 report in gov-2021.
source "$NB_ROOT/tests/edit_lib.sh"

# last year's report for the example (2024): the same body in 2023, with
# its own 五 and 现行有效件数 so that the pair is consistent
prev_2023() {
  with_year "$EX" 2024 2023 |
    sed -e 's/^一是部分农村公路项目信息更新不够及时.*/一是政务新媒体发布内容与门户网站衔接不够；二是依申请公开答复文书格式不统一。/' \
        -e 's/^一是建立项目信息按月更新台账.*/一是建立新媒体与网站同步发布机制；二是制定答复文书范本并组织培训。/' > p0.txt
  cell_set p0.txt "行政规范性文件" 3 10
}

test_pair_2023_2024_passes() {
  prev_2023 > prev.txt
  run check --json --prev prev.txt "$EX" || return 1
  expect_status 0 && expect_findings
}

test_cross_year_rules_run_only_with_prev() {
  prev_2023 | cell_set /dev/stdin "四、结转下年度继续办理" $NATURAL 5 > prev.txt
  run check --json --prev prev.txt "$EX" || return 1
  expect_status 1 && expect_findings XY-CARRY || return 1
  run check --json "$EX" || return 1
  expect_status 0 && expect_findings
}

test_xy_carry_fails_when_carried_in_differs_from_last_years_carried_out() {
  prev_2023 > p.txt
  cell_set p.txt "四、结转下年度继续办理" $NATURAL 2 | cell_set /dev/stdin "四、结转下年度继续办理" $TOTAL 2 > prev.txt
  run check --json --prev prev.txt "$EX" || return 1
  expect_status 1 && expect_findings XY-CARRY XY-CARRY &&
    expect_finding_field XY-CARRY row carried_in &&
    expect_finding_field XY-CARRY column natural &&
    expect_finding_field XY-CARRY expected 2 &&
    expect_finding_field XY-CARRY actual 1
}

test_t2_valid_fails_when_in_force_does_not_roll_forward() {
  prev_2023 | cell_set /dev/stdin "行政规范性文件" 3 12 > prev.txt
  run check --json --prev prev.txt "$EX" || return 1
  # 12 last year + 3 issued − 1 repealed = 14, not 12
  expect_status 0 && expect_findings T2-VALID &&
    expect_finding_field T2-VALID row normative &&
    expect_finding_field T2-VALID expected 14 &&
    expect_finding_field T2-VALID actual 12
}

test_txt_dup_fires_on_an_identical_section_with_score_and_threshold() {
  with_year "$EX" 2024 2023 | cell_set /dev/stdin "行政规范性文件" 3 10 > prev.txt
  run check --json --prev prev.txt "$EX" || return 1
  expect_status 0 && expect_findings TXT-DUP &&
    expect_finding_field TXT-DUP actual "100%" &&
    expect_finding_field TXT-DUP expected "<80%" &&
    expect_stdout '相似度100%（阈值80%）'
}

test_txt_dup_fires_on_a_near_identical_section() {
  # one word changed: still 年年雷同
  with_year "$EX" 2024 2023 | cell_set /dev/stdin "行政规范性文件" 3 10 |
    sed 's/明确责任股室和时限/明确责任股室和完成时限/' > prev.txt
  run check --json --prev prev.txt "$EX" || return 1
  expect_status 0 && expect_findings TXT-DUP || return 1
  local score; score=$(grep -o '相似度[0-9]*%' stdout.txt | grep -o '[0-9]*')
  [ "$score" -ge 80 ] && [ "$score" -lt 100 ] || fail "near-identical score $score"
}

# ---- 2019 format: 2019 → 2020 ----

# the clean Shanghai report moved to 2020, consistent with its 2019 one:
# 上年结转 = last year's 结转下年度 (72), 对外公开总数量 rolled forward, its own 五
shanghai_2020() {
  clean_2019 | with_year /dev/stdin 2019 2020 |
    tsv_set /dev/stdin "一、本年新收政府信息公开申请数量" 1 767 | tsv_set /dev/stdin "一、本年新收政府信息公开申请数量" 7 805 |
    tsv_set /dev/stdin "二、上年结转政府信息公开申请数量" 1 72 | tsv_set /dev/stdin "二、上年结转政府信息公开申请数量" 7 72 |
    tsv_set /dev/stdin "规章" 3 537 | tsv_set /dev/stdin "规范性文件" 3 428 |
    sed -e 's/^发布日期：2020-01-31/发布日期：2021-01-29/' -e 's/受理政府信息公开申请859件/受理政府信息公开申请805件/' -e 's/上年度结转申请18件/上年度结转申请72件/' \
        -e '82s/.*/一是依申请公开答复质量仍需提高；二是政策解读的针对性有待增强。/' \
        -e '84s/.*/一是开展依申请公开答复文书评查；二是围绕重点政策开展多形式解读。/'
}

test_pair_2019_2020_passes() {
  need_corpus
  clean_2019 > prev.txt
  shanghai_2020 > r.txt
  run check --json --prev prev.txt r.txt || return 1
  expect_status 0 && expect_findings
}

test_xy_2019_cum_fails_when_totals_do_not_roll_forward() {
  need_corpus
  clean_2019 > prev.txt
  shanghai_2020 | tsv_set /dev/stdin "规章" 3 524 | tsv_set /dev/stdin "规范性文件" 3 368 > r.txt
  run check --json --prev prev.txt r.txt || return 1
  expect_status 0 && expect_findings XY-2019-CUM XY-2019-CUM &&
    expect_finding_field XY-2019-CUM column public_total &&
    expect_finding_field XY-2019-CUM expected 537
}

test_xy_2019_cum_fails_when_item_counts_ignore_last_years_change() {
  need_corpus
  # last year 行政许可 grew by 5 items: this year's 上一年项目数量 should be 5
  clean_2019 | tsv_set /dev/stdin "行政许可" 2 5 > prev.txt
  shanghai_2020 > r.txt
  run check --json --prev prev.txt r.txt || return 1
  expect_status 0 && expect_findings XY-2019-CUM &&
    expect_finding_field XY-2019-CUM row licensing &&
    expect_finding_field XY-2019-CUM column prev_items &&
    expect_finding_field XY-2019-CUM expected 5
}

test_xy_carry_in_gov2019() {
  need_corpus
  clean_2019 > prev.txt
  shanghai_2020 | tsv_set /dev/stdin "二、上年结转政府信息公开申请数量" 7 70 > r.txt
  run check --json --prev prev.txt r.txt || return 1
  # the changed 总计 also breaks the year's own sums: one cause, one finding
  # naming the cell and the value that satisfies all three
  # (the narrative's 上年度结转申请72件 now disagrees with the table too: TXT-NUM)
  expect_status 1 && expect_findings ROOT-CELL TXT-NUM &&
    expect_finding_field ROOT-CELL column total && expect_finding_field ROOT-CELL expected 72 &&
    expect_finding_field ROOT-CELL actual 70 && expect_stdout 'T3-BAL 1处、T3-COL 1处、XY-CARRY 1处'
}

# ---- across formats: 2020 (gov-2019) → 2021 (gov-2021) ----

# the example as a 2021 report, and a 2020 gov-2019 report ending with its
# carried-over applications (1 自然人)
prev_2020_for_2021() {
  clean_2019 | with_year /dev/stdin 2019 2020 |
    tsv_set /dev/stdin "四、结转下年度继续办理" 1 1 | tsv_set /dev/stdin "四、结转下年度继续办理" 7 1
}

test_pair_across_formats_checks_what_maps_and_says_what_does_not() {
  need_corpus
  prev_2020_for_2021 > prev.txt
  with_year "$EX" 2024 2021 > r.txt
  run check --json --prev-any --prev prev.txt r.txt || return 1
  # XY-CARRY and TXT-DUP map and hold; T2-VALID's 现行有效件数 has no 2019 cell
  expect_status 0 && expect_findings T2-VALID XY-JUMP && # 859 → 11 new applications: 核实
    expect_finding_field T2-VALID severity info &&
    expect_stdout '去年的报告按 gov-2019 格式填写，没有“规章”×“现行有效件数”（t2.regulations.in_force）' &&
    expect_stdout '本规则有2处无法跨格式对应，未检查'
}

test_xy_carry_fails_across_formats() {
  need_corpus
  prev_2020_for_2021 | tsv_set /dev/stdin "四、结转下年度继续办理" 1 3 | tsv_set /dev/stdin "四、结转下年度继续办理" 7 3 > prev.txt
  with_year "$EX" 2024 2021 > r.txt
  run check --json --prev-any --prev prev.txt r.txt || return 1
  expect_status 1 && expect_findings XY-CARRY XY-CARRY T2-VALID XY-JUMP &&
    expect_finding_field XY-CARRY expected 3 && expect_finding_field XY-CARRY actual 1
}

test_txt_dup_across_formats() {
  need_corpus
  # last year's 五 (gov-2019) copied into this year's (gov-2021) report
  prev_2020_for_2021 > prev.txt
  with_year "$EX" 2024 2021 > y.txt
  local from to
  from=$(line_of y.txt "五、存在的主要问题及改进情况") && to=$(line_of y.txt "六、其他需要报告的事项") || return 1
  { head -n "$from" y.txt; sed -n '81,84p' prev.txt; tail -n +"$to" y.txt; } > r.txt
  run check --json --prev-any --prev prev.txt r.txt || return 1
  expect_status 0 && expect_findings TXT-DUP T2-VALID XY-JUMP && expect_finding_field TXT-DUP actual "100%"
}

test_pair_from_a_legacy_report_says_what_cannot_be_compared() {
  need_corpus
  legacy_report > prev.txt
  clean_2019 > r.txt
  run check --json --prev-any --prev prev.txt r.txt || return 1
  # 2018 had no national table: nothing maps but the 五 section
  expect_status 0 && expect_findings XY-CARRY XY-2019-CUM &&
    expect_finding_field XY-CARRY severity info &&
    expect_finding_field XY-2019-CUM severity info &&
    expect_stdout '去年的报告按 legacy 格式填写，没有“四、结转下年度继续办理”×“自然人”（t3.carried_out.natural）'
}

test_unreadable_prev_is_exit_2() {
  printf 'not a report\n' > prev.txt
  run check --prev prev.txt "$EX" || return 1
  expect_status 2 && expect_stderr "prev.txt"
}
