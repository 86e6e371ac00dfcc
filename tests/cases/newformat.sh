# A new format by a script edit alone: a made-up gov-2026 written into a
# plugin directory (gov-2021 with one row added to table 三, one column
# renamed, one rule added and one removed) imports, checks and renders a
# report in its layout — with the same binary, no C change, no rebuild.
# And the C core names no row of any format.
source "$NB_ROOT/tests/edit_lib.sh"

# the plugin docs/formats.md walks through
write_gov2026() {
  mkdir -p plugins
  cat > plugins/gov-2026.lua <<'EOF'
-- A made-up 2026 format: gov-2021 with one row added to table 三, one column
-- renamed, one rule added and one removed.
local host = ...

local function copy(v) -- the declaration is shared: change a copy of it
  if type(v) ~= "table" then return v end
  local t = {}
  for k, x in pairs(v) do t[k] = copy(x) end
  return t
end

local function find(list, id) -- an entry with this id, searched depth first
  for _, x in ipairs(list) do
    if x.id == id then return x end
    local inner = x.children and find(x.children, id)
    if inner then return inner end
  end
end

local f = copy(host.format_decl("gov-2021"))
f.id = "gov-2026"
f.name = "示例：2026年度起的年度报告格式"
f.notice = "国办公开办函〔2026〕1号（示例）"
f.year_from = 2026

-- table 三: （六）其他处理 gains a fourth case, summed by T3-RES's sum(t3.r_*.$c)
local t3 = find(f.tables, "t3")
table.insert(find(t3.blocks[1].rows, "other_handling").children,
  { id = "r_other_withdrawn", label = "4.申请人撤回申请" })

-- table 二: the column of 第二十条第（五）项 is renamed, and becomes a mark
local art20_5 = find(find(f.tables, "t2").blocks, "art20_5")
art20_5.columns[1].label = "本年行政许可决定数量"
table.insert(f.marks, "本年行政许可决定数量")

-- rules: TXT-FEE goes, T2-FEE-UNIT comes
for i, rule in ipairs(f.rules) do
  if rule.id == "TXT-FEE" then table.remove(f.rules, i) break end
end
table.insert(f.rules, { id = "T2-FEE-UNIT", severity = "warning", source = "inferred",
  assert = "t2.fees.fee_amount <= 100000",
  message = "本年收费金额超过10亿元：请确认单位是万元而不是元" })

host.format(f)
EOF
}

# the example report as a 2026 report in that layout
report_2026() {
  with_year "$EX" 2024 2026 |
    awk '!done && $0 == "\t本年处理决定数量" { print "\t本年行政许可决定数量"; done = 1; next } { print }' > y.txt
  local l; l=$(line_of y.txt "	3.其他") || return 1
  head -n $((l + 8)) y.txt
  printf '\t\n\t\n\t4.申请人撤回申请\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\t0\n\n'
  tail -n +$((l + 9)) y.txt
}

test_gov2026_imports_checks_and_renders() {
  write_gov2026
  report_2026 > r.txt
  local before; before=$(cksum < "$NIANBAO")
  run formats --plugin-dir plugins || return 1
  expect_status 0 && expect_stdout "gov-2026   2026–" || return 1
  run check --json --plugin-dir plugins r.txt || return 1
  expect_status 0 && expect_findings && expect_stdout '"format":	"gov-2026"' || return 1
  run render --plugin-dir plugins r.txt --to md || return 1
  expect_status 0 &&
    expect_stdout '| 信息内容 | 本年行政许可决定数量 |' &&
    expect_stdout '| 　　4.申请人撤回申请 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |' || return 1
  run render --plugin-dir plugins r.txt --to json || return 1
  expect_stdout '"r_other_withdrawn":	{' || return 1
  [ "$(cksum < "$NIANBAO")" = "$before" ] || fail "the binary changed"
}

test_gov2026_new_rule_fires_on_a_broken_cell() {
  write_gov2026
  report_2026 | sed 's/^\t0\.35$/\t350000/' > r.txt
  run check --json --plugin-dir plugins r.txt || return 1
  expect_status 0 && expect_findings T2-FEE-UNIT &&
    expect_finding_field T2-FEE-UNIT row fees &&
    expect_finding_field T2-FEE-UNIT expected "≤100000" &&
    expect_finding_field T2-FEE-UNIT actual 350000
}

test_gov2026_new_row_is_summed_by_the_old_rules() {
  write_gov2026
  report_2026 | cell_set /dev/stdin "4.申请人撤回申请" $NATURAL 1 > r.txt
  run check --json --plugin-dir plugins r.txt || return 1
  # T3-RES (自然人) and T3-COL (the new row) break: the new row's cell is named
  expect_status 1 && expect_findings ROOT-CELL &&
    expect_finding_field ROOT-CELL column natural &&
    expect_finding_field ROOT-CELL row r_other_withdrawn && expect_stdout 'T3-RES 1处、T3-COL 1处'
}

test_gov2026_removed_rule_is_gone() {
  write_gov2026
  report_2026 | sed 's/本机关未收取信息处理费。/本机关无此事项。/' > r.txt
  run check --json --plugin-dir plugins r.txt || return 1
  expect_status 0 && expect_findings || return 1
  # the same text a year earlier, in gov-2021, misses TXT-FEE
  with_year "$EX" 2024 2025 | sed 's/本机关未收取信息处理费。/本机关无此事项。/' > r2025.txt
  run check --json --plugin-dir plugins r2025.txt || return 1
  expect_findings TXT-FEE || return 1
  run rules --plugin-dir plugins --format gov-2026 || return 1
  expect_stdout T2-FEE-UNIT && expect_no_stdout TXT-FEE
}

test_gov2021_itself_is_untouched_by_gov2026() {
  write_gov2026
  run check --json --plugin-dir plugins --format gov-2021 "$EX" || return 1
  expect_status 0 && expect_findings || return 1
  run rules --plugin-dir plugins --format gov-2021 || return 1
  expect_stdout TXT-FEE && expect_no_stdout T2-FEE-UNIT
}

# a renderer that writes the ids of a report's format: its tables, rows and
# columns, exactly as declared (including ids built by Lua code)
write_ids_renderer() {
  mkdir -p ids
  cat > ids/ids.lua <<'EOF'
local host = ...
local function walk(list, out)
  for _, x in ipairs(list) do
    if x.id then out[#out + 1] = x.id end
    walk(x.children or {}, out)
  end
end
host.renderer { id = "ids", description = "format ids", extension = "ids",
  render = function(_, fmt)
    local out = {}
    for _, t in ipairs(fmt.tables) do
      out[#out + 1] = t.id
      for _, b in ipairs(t.blocks) do walk(b.rows, out); walk(b.columns, out) end
    end
    return table.concat(out, "\n") .. "\n"
  end }
EOF
}

test_host_names_no_row_or_column_of_any_format() {
  need_corpus
  write_ids_renderer
  printf '某局2018年政府信息公开工作年度报告\n一、概述\n无。\n' > legacy.txt
  local f
  for f in "$SH" "$SG" legacy.txt; do
    run render --plugin-dir ids "$f" --to ids || return 1
    expect_status 0 || return 1
    cat stdout.txt >> all.txt
  done
  sed "/^$/d" all.txt | sort -u > ids.txt
  [ "$(wc -l < ids.txt)" -gt 70 ] || fail "only $(wc -l < ids.txt) ids: the listing is broken" || return 1
  grep -qx r_other ids.txt && grep -qx after_pending ids.txt && grep -qx in_force ids.txt || fail "ids missing" || return 1
  local id hits=""
  while read -r id; do
    # as a C string, or (for the distinctive ids) as a word anywhere in host/;
    # main.c is only the command table, where "new" names the command
    (cd "$NB_ROOT" && git grep -qF "\"$id\"" -- host/ ':!host/cli/main.c') && hits="$hits $id"
    case $id in *_*) (cd "$NB_ROOT" && git grep -qw -- "$id" host/) && hits="$hits $id" ;; esac
  done < ids.txt
  [ -z "$hits" ] || fail "host/ names format ids:$hits"
}
