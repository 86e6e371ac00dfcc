# Signed numbers and marks in run-together table digits (issue 8, item 7).
# tests/fixtures/signed-2020-flattened.txt is a made-up 2020 report (2019
# format) as a portal crawler saves it, with the rows of the crawled 2020
# report of the issue: "行政事业性收费35-15" is 35 | -15 (本年增/减), and
# "行政处罚2648-18538" keeps its minus; "/" and "—" are cells as written.
FX="$NB_ROOT/tests/fixtures/signed-2020-flattened.txt"

# "row column value" of table 二 in `render --to json` output
t2_cells() {
  awk '/^\t\t"t2":/ { in2 = 1; next } /^\t\t"t[0-9]+":/ { in2 = 0 }
       in2 && /^\t\t\t"[a-z_]+":\t\{/ { row = $0; gsub(/^\t+"|":.*$/, "", row) }
       in2 && /^\t\t\t\t"/ { c = $0; gsub(/^\t+"|":.*$/, "", c); v = $0; sub(/^[^:]*:\t/, "", v); gsub(/[",]/, "", v)
                             print row, c, v }' stdout.txt | sort
}

test_a_signed_change_is_read_with_its_sign() {
  run render "$FX" --to json || return 1
  t2_cells > got.txt
  grep -qx 'fees change -15' got.txt || fail "本年增/减 of 行政事业性收费 should be -15: $(grep fees got.txt)"
  grep -qx 'fees prev_items 35' got.txt || fail "上一年项目数量 of 行政事业性收费 should be 35"
}

test_marks_are_cells_kept_as_written() {
  run render "$FX" --to json || return 1
  t2_cells > got.txt
  for want in 'other_services prev_items /' 'other_services change /' 'other_services decisions 0' \
      'enforcement prev_items 5' 'enforcement change —' 'enforcement decisions 0'; do
    grep -qx "$want" got.txt || fail "expected the cell: $want"
  done
}

test_a_run_with_a_minus_that_rules_cannot_decide_is_blank_with_its_candidates() {
  run check --json "$FX" || return 1
  expect_status 1 &&
    expect_stdout '原文“2648-18538”有5种拆法' && expect_stdout '2648|-|18538' && expect_stdout '2648|-18|538' &&
    expect_stdout '"actual":	"2648-18538"' || return 1
  run render "$FX" --to json || return 1
  t2_cells > got.txt
  grep -qx 'punishment change null' got.txt || fail "the undecided 本年增/减 of 行政处罚 must stay blank"
  grep -qx 'punishment prev_items 2648' got.txt || fail "上一年项目数量 of 行政处罚 is certain: 2648"
}

test_a_run_not_wholly_understood_is_never_cut() {
  sed 's/行政事业性收费35-15/行政事业性收费35+15/' "$FX" > plus.txt
  run check --json plus.txt || return 1
  expect_status 1 && expect_stdout '原文“35+15”中有无法识别的符号' && expect_finding_field IMPORT-UNSOLVED row fees || return 1
  run render plus.txt --to json || return 1
  t2_cells > got.txt
  grep -qx 'fees prev_items null' got.txt && grep -qx 'fees change null' got.txt || fail "35+15 must leave the row blank"
}

test_a_minus_is_no_sign_in_a_count_column() {
  # 规章 has no signed column: "-300" is the mark "-" and 30 | 0, never -300
  sed 's/规章000/规章-300/' "$FX" > minus.txt
  run render minus.txt --to json || return 1
  t2_cells > got.txt
  grep -q '^regulations .* -3' got.txt && fail "a count column holds no negative number"
  grep -qx 'regulations produced -' got.txt || fail "the leading - is a mark: $(grep regulations got.txt)"
}

test_table_three_of_the_signed_report_is_still_solved() {
  run check --json "$FX" || return 1
  expect_stdout '23行中23行唯一确定' && expect_no_stdout 'IMPORT-UNSOLVED'
}

# issue 8, item 8: a cell that an IMPORT-* finding already explains gets no
# CELL-BLANK besides (the importer's doubt is the one thing to act on)
test_a_cell_left_blank_by_an_import_doubt_gets_no_cell_blank() {
  run check "$FX" || return 1
  expect_status 1 && expect_stdout '[IMPORT-AMBIGUOUS] 表二（主动公开政府信息情况）“行政处罚”' &&
    expect_no_stdout '[CELL-BLANK] 表二（主动公开政府信息情况）“行政处罚”'
}
