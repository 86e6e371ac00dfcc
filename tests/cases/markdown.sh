# The Markdown source: the md renderer's layout (pinned by the golden files
# of tests/cases/roundtrip.sh) imports back as the same report, so md → import → md is byte-identical, and
# an edited Markdown report is checked like any other.

EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"
SG="$NB_CORPUS/shanggao-commerce-2023.txt"
GOLDEN="$NB_ROOT/tests/golden/example-county-transport-2024.md"

round_trip() { # source: render md, import it, render md again; same bytes
  "$NIANBAO" render "$1" --to md -o a.md --force 2>/dev/null || fail "render $1" || return 1
  "$NIANBAO" render a.md --to md -o b.md --force 2>/dev/null || fail "render a.md" || return 1
  cmp a.md b.md || { diff a.md b.md | head -20; fail "md → import → md differs for $1"; }
}

same_json() { # two sources give the same report JSON
  "$NIANBAO" render "$1" --to json > 1.json && "$NIANBAO" render "$2" --to json > 2.json || fail "render" || return 1
  diff 1.json 2.json || fail "$1 and $2 differ as JSON"
}

test_md_round_trip_of_the_example_is_byte_identical() {
  round_trip "$EXAMPLE" && same_json "$EXAMPLE" a.md
}

test_md_round_trip_of_shanggao_is_byte_identical() {
  need_corpus
  round_trip "$SG" && same_json "$SG" a.md || return 1
  run check --json a.md || return 1
  expect_status 0 && expect_findings
}

test_md_text_that_looks_like_markup_survives() {
  cat > r.json <<'EOF'
{"nianbao_report": 1, "format": "gov-2021",
 "meta": {"title": "某局2023年政府信息公开工作年度报告", "agency": "某局; 办公室 -- 50%", "year": 2023,
          "address": "路--号\n二楼", "published": "2024-01-20"},
 "preamble": "发布日期：2024-01-20\n# 不是标题\n正文",
 "sections": [{"heading": "一、总体情况", "level": 1,
   "text": "| 不是表格 |\n**不是标签**\n> 不是注释\n<!-- 不是元数据 -->\n\\反斜杠\n  缩进的行\n## 不是标题"},
  {"heading": "（一）主动公开", "level": 2, "text": ""}],
 "tables": {"t3": {"new": {"natural": "1,000", "commercial": "／", "legal": " 3 "}}}}
EOF
  "$NIANBAO" render r.json --to md -o a.md 2>/dev/null || fail "render r.json" || return 1
  grep -q '^\\| 不是表格 |$' a.md || fail "a text line starting with | is not escaped" || return 1
  round_trip r.json && same_json r.json a.md
}

# line of the first md line starting with TEXT
md_line() { grep -n -F -- "$2" "$1" | head -1 | cut -d: -f1; }

test_an_edited_md_cell_is_checked_with_its_line() {
  cp "$GOLDEN" r.md
  local l; l=$(md_line r.md "| 一、本年新收政府信息公开申请数量 | 8 |")
  replace_line "$GOLDEN" "$l" "| 一、本年新收政府信息公开申请数量 | 9 | 2 | 0 | 0 | 1 | 0 | 11 |" > r.md
  run check --json r.md || return 1
  expect_status 1 && expect_findings ROOT-CELL && expect_stdout "\"line\":	$l"
}

test_bad_md_tables_are_refused_with_their_line() {
  local l; l=$(md_line "$GOLDEN" "| 　（一）予以公开 |")
  replace_line "$GOLDEN" "$l" "| 　（一）予以公布 | 4 | 1 | 0 | 0 | 0 | 0 | 5 |" > u.md
  run render u.md -o out.json || return 1
  expect_status 2 && expect_stderr "u.md:$l: “（一）予以公布”不是格式 gov-2021 中任何表格的行名称" || return 1
  [ ! -e out.json ] || fail "out.json was written" || return 1
  replace_line "$GOLDEN" "$l" "| 　（一）予以公开 | 4 | 1 | 0 | 0 | 0 | 5 |" > s.md
  run render s.md -o out.json || return 1
  expect_status 2 && expect_stderr "s.md:$l: “（一）予以公开”应有7个数值，这里有6个" && [ ! -e out.json ]
}

test_tables_of_a_csv_come_through_markdown() {
  round_trip "$NB_ROOT/tests/fixtures/example-2024-wide.csv" || return 1
  grep -q '^\*\*表三（收到和处理政府信息公开申请情况）\*\*$' a.md || fail "the table's label is missing" || return 1
  same_json "$NB_ROOT/tests/fixtures/example-2024-wide.csv" a.md || return 1
  run check --json a.md || return 1
  expect_status 0 && expect_findings
}

test_md_is_chosen_by_extension_and_content() {
  cp "$GOLDEN" report.draft
  run check --json report.draft || return 1
  expect_status 0 && expect_findings && run plugins && expect_stdout "[.md .markdown]"
}

test_md_round_trip_of_a_legacy_report_keeps_its_statistics() {
  source "$NB_ROOT/tests/edit_lib.sh"
  legacy_report > r.txt
  round_trip r.txt && same_json r.txt a.md || return 1
  grep -q '^| 主动公开文件数 | 条 | 120 | 3400 |$' a.md || fail "the statistics table is missing"
}

test_md_round_trip_of_shanghai_2019_keeps_its_date_blanks_and_units() {
  need_corpus
  round_trip "$NB_CORPUS/shanghai-govoffice-2019.txt" && same_json "$NB_CORPUS/shanghai-govoffice-2019.txt" a.md || return 1
  grep -q '^发布日期：2020-01-31$' a.md && grep -q '| 251000元 |' a.md || fail "the date or the amount with its unit is lost"
}

# a cell is what stands between two "|": one space each side dropped, an
# escaped "\|" kept as "|"
test_md_cells_split_at_unescaped_bars() {
  local l; l=$(md_line "$GOLDEN" "| 一、本年新收政府信息公开申请数量 | 8 |")
  replace_line "$GOLDEN" "$l" "| 一、本年新收政府信息公开申请数量 |  8 | 2\\|3 | 0 | 	 | 1 | 0 | 11 |" > c.md
  run check --json c.md || return 1
  expect_status 2 && expect_stderr "c.md:$l" && expect_stderr "“2|3”" || return 1
  replace_line "$GOLDEN" "$l" "| 一、本年新收政府信息公开申请数量 |  8 | 2 | 0 | 	 | 1 | 0 | 11 |" > d.md
  run render --to json d.md -o d.json || return 1
  expect_status 0 && grep -q '" 8"' d.json || fail "more than one space dropped before a cell" || return 1
  # a label's escaped characters ("\、") read as written, a last bar with
  # white space after it no cell
  replace_line "$GOLDEN" "$l" "| 一\\、本年新收政府信息公开申请数量 | 8 | 2 | 0 | 0 | 1 | 0 | 11 |  	" > e.md
  run check e.md || return 1
  expect_status 0
}

# host.pipe_cells (C) cuts a row as the importer's Lua did: every string of
# up to five of these pieces cut alike by both
test_host_pipe_cells_cuts_rows_as_the_lua_did() {
  plugin pipecells.lua <<'LUA'
local host = ...
local find, gsub, sub, byte = string.find, string.gsub, string.sub, string.byte
local function split_row(line) -- the md importer's own, before host.pipe_cells
  local body = gsub(line, "^%s*|", "")
  local e = #body
  while e > 0 and find(body, "^%s", e) do e = e - 1 end
  if byte(body, e) == 124 then body = sub(body, 1, e - 1) end
  if find(body, "\\|", 1, true) then body = gsub(body, "\\|", "\0") end
  local cells, from = {}, 1
  while true do
    local bar = find(body, "|", from, true)
    local cell = sub(body, from, (bar or #body + 1) - 1)
    if byte(cell, 1) == 32 then cell = sub(cell, 2) end
    if byte(cell, -1) == 32 then cell = sub(cell, 1, -2) end
    if find(cell, "^%s*$") then cell = "" end
    if find(cell, "\0", 1, true) then cell = gsub(cell, "%z", "|") end
    cells[#cells + 1] = cell
    if not bar then return cells end
    from = bar + 1
  end
end
host.importer { id = "pipecells", description = "pipe_cells", import = function()
  local pieces = { " ", "|", "\\", "a", "\t", "\0", "中", "  " }
  local bad, n = {}, 0
  local function try(s)
    n = n + 1
    local want, got = split_row(s), host.pipe_cells(s)
    local same = #want == #got
    for i = 1, #want do same = same and want[i] == got[i] end
    if not same and #bad < 5 then bad[#bad + 1] = string.format("%q", s) end
  end
  local function grow(s, k)
    try(s)
    if k == 0 then return end
    for _, p in ipairs(pieces) do grow(s .. p, k - 1) end
  end
  grow("", 5)
  for _, s in ipairs({ "| 一、本年新收 |  8 | 2\\|3 | 0 | \t | 1 |", "| x |  \t", "| a \\|", " |  | ", "no bar" }) do try(s) end
  host.input_error(0, #bad == 0 and ("all alike: " .. n) or "differ: " .. table.concat(bad, " "))
end }
LUA
  echo x > x.txt
  run check --plugin-dir plugins --via pipecells x.txt
  expect_status 2 && expect_stderr 'all alike: '
}
