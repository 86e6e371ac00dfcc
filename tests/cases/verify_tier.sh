# The 核实 tier (severity "verify"): outliers against last year's report that
# need an explanation — ×5 or ÷5 with ≥ 10 cases, zero after many, a
# carry-over building up (rule kinds jump and backlog, run in C:
# host/rules/outlier_rules.c; quantities and thresholds declared by the format).
# Below warning: never sets the exit status; the summary counts it.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# with_lines FILE N1 V1 [N2 V2 …]: FILE with line N replaced by a tab and V
with_lines() {
  local f=$1; shift
  local prog='' 
  while [ $# -gt 0 ]; do prog="$prog NR == $1 { print \"\\t$2\"; next }"; shift 2; done
  awk "$prog { print }" "$f"
}
new_total() { echo $(($(line_of "$EX" "	一、本年新收政府信息公开申请数量") + 7)); }
review_upheld() { line_of "$EX" "	1" "$(line_of "$EX" "四、政府信息公开行政复议、行政诉讼情况")"; }

test_verify_tier_for_a_fall_to_a_fifth() {
  with_lines "$EX" "$(new_total)" 60 > prev.txt   # last year 60 new applications, this year 11
  run check --prev-any --prev prev.txt "$EX" || return 1
  expect_status 0 && expect_stdout ": 核实 verify [XY-JUMP] 表三（收到和处理政府信息公开申请情况）“一、本年新收政府信息公开申请数量”×“总计”：本年新收申请本年 11，上年 60" &&
    expect_stdout "0 个错误" && expect_stdout "1 个需核实" || return 1
  run check --json --prev-any --prev prev.txt "$EX" || return 1
  expect_status 0 && expect_finding_field XY-JUMP severity verify &&
    grep -q '"verify":[[:space:]]*1' stdout.txt && python3 -m json.tool stdout.txt > /dev/null || fail "JSON summary verify"
}

test_verify_tier_zero_after_many() {
  local u; u=$(review_upheld)
  with_lines "$EX" "$u" 12 $((u + 4)) 12 > prev.txt   # 行政复议 12 last year
  with_lines "$EX" "$u" 0 $((u + 4)) 0 > cur.txt      # none this year (consistent)
  run check --json --prev-any --prev prev.txt cur.txt || return 1
  expect_status 0 && expect_finding_field XY-JUMP severity verify && expect_stdout "行政复议案件本年为 0，上年为 12：" &&
    expect_finding_field XY-JUMP column review_total
}

test_verify_tier_not_below_the_thresholds() {
  with_lines "$EX" "$(new_total)" 50 > prev.txt   # 50 → 11: less than ×5
  run check --json --prev-any --prev prev.txt "$EX" || return 1
  expect_no_stdout '"XY-JUMP"' || return 1
  local u; u=$(review_upheld)
  with_lines "$EX" "$u" 9 $((u + 4)) 9 > prev.txt   # 9 → 1: fewer than 10 cases
  run check --json --prev-any --prev prev.txt "$EX" || return 1
  expect_no_stdout '"XY-JUMP"' && expect_no_stdout '"verify"'$'\t'
}

test_verify_tier_needs_prev() {
  run check --json "$EX" || return 1
  expect_status 0 && expect_no_stdout '"XY-' && grep -q '"verify":[[:space:]]*0' stdout.txt || fail "verify count 0"
}

test_verify_tier_backlog() {
  local c; c=$(($(line_of "$EX" "	四、结转下年度继续办理") + 1))
  with_lines "$EX" "$c" 10 $((c + 6)) 10 > cur.txt   # 10 of 12 carried over; last year 1
  run check --json --prev "$EX" --prev-any cur.txt || return 1
  expect_finding_field XY-BACKLOG severity verify && expect_finding_field XY-BACKLOG row carried_out || return 1
  run check --prev "$EX" --prev-any cur.txt || return 1
  expect_stdout "cur.txt:$((c + 6)): 核实 verify [XY-BACKLOG] 表三（收到和处理政府信息公开申请情况）“四、结转下年度继续办理”×“总计”：结转下年度 10 件，占本年应办理的 12 件的 83%，上年结转下年度 1 件：积压在增加，请在报告中说明原因（应为 少于 50%，实际 10）"
}

test_verify_tier_growth_message() {
  with_lines "$EX" "$(new_total)" 1 > prev.txt   # 1 → 11
  run check --prev prev.txt --prev-any "$EX" || return 1
  expect_status 0 && expect_stdout "$EX:$(new_total): 核实 verify [XY-JUMP] 表三（收到和处理政府信息公开申请情况）“一、本年新收政府信息公开申请数量”×“总计”：本年新收申请本年 11，上年 1，增长到 11 倍以上：请在报告中说明原因，或核对表格（应为 与上年 1 相近，实际 11）"
}

# the thresholds and quantities are the format's: a plugin that says ×4
# finds 50 → 11, which ×5 does not; one that names no such cell is refused
test_verify_tier_thresholds_are_declared() {
  copy_data
  sed -i 's/factor = 5, min_cases = 10,/factor = 4, min_cases = 10,/' data/plugins/formats/gov-2021.lua
  with_lines "$EX" "$(new_total)" 50 > prev.txt
  NIANBAO_DATA_DIR=$PWD/data run check --prev prev.txt --prev-any "$EX" || return 1
  expect_status 0 && expect_stdout "本年新收申请本年 11，上年 50，减少到 4 分之一以下" || return 1
  sed -i 's/"t4.cases.review_total" } },/"t4.cases.nope" } },/' data/plugins/formats/gov-2021.lua
  NIANBAO_DATA_DIR=$PWD/data run check "$EX" || return 1
  expect_status 2 && expect_stderr "quantities[2]：本格式没有单元格 't4.cases.nope'" || return 1
  sed -i 's/factor = 4, min_cases = 10,/min_cases = 10,/' data/plugins/formats/gov-2021.lua
  NIANBAO_DATA_DIR=$PWD/data run check "$EX" || return 1
  expect_status 2 && expect_stderr "jump 规则需要不小于 2 的整数 'factor'"
}
