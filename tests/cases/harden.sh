# Results that must never be silently wrong, and walks that must never crash:
# sums past 64 bits, deeply nested tables a plugin hands to C, finalizers
# that never end.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# r.json: the example report as JSON; set_cell ROW COL VALUE edits its table 三
example_json() { "$NIANBAO" render "$EX" --to json -o r.json || fail "render of the example failed"; }
set_cell() {
  awk -v row="\"$1\":" -v col="\"$2\":" -v val="$3" '
    $1 == "\"t3\":" { t3 = 1 }
    t3 && $1 == row { inrow = 1 }
    inrow && $1 == col { sub(/"[^"]*",?$/, "\"" val "\"" ($NF ~ /,$/ ? "," : "")); inrow = 0 }
    { print }' r.json > r2.json && mv r2.json r.json
}

test_overflowing_sum_is_still_checked() {
  example_json
  set_cell carried_in natural 5000000000000
  set_cell carried_in commercial 5000000000000
  grep -q '"natural":	"5000000000000"' r.json || fail "the edit did not apply"
  run check --json r.json || return 1
  expect_status 1
  finding_rules | grep -qx T3-COL || fail "T3-COL disappeared with a sum past 64 bits"
  expect_finding_field T3-COL actual 1
  expect_finding_field T3-COL expected 10000000000000
}

test_table3_full_of_huge_values_gives_every_error() {
  example_json
  # every cell of 表三 2e12: each total is then wrong (6 × 2e12 ≠ 2e12)
  awk '$1 == "\"t3\":" { t3 = 1 } $1 == "\"t4\":" { t3 = 0 }
       t3 && /"[0-9]+",?$/ { sub(/"[0-9]+"/, "\"2000000000000\"") } { print }' r.json > r2.json
  run check --json r2.json || return 1
  expect_status 1
  [ "$(finding_rules | grep -c '^T3-COL$')" -ge 20 ] || fail "T3-COL findings missing: $(finding_rules | uniq -c)"
}
