# What a Lua-function rule is given and lent for speed (issue 13): the report
# view whose tables are filled when first read (host/lua/lua_report_view.c),
# host.clauses (host/text/text_clauses.c), and TXT-NUM on them finding every
# mismatch it found before.
source "$NB_ROOT/tests/edit_lib.sh"

# a format with one lua rule that prints what host.clauses keeps of TEXT,
# one finding per clause: "clause|sentence|line"
clauses_plugin() { # spec (Lua table constructor)
  plugin clauses.lua <<EOF
local host = ...
local TEXT = "一行没有数字。\n第2行：收到申请5件，其中予以公开3件；同比增长10%。\n（请填写）9件\n  甲4件 , 乙 ;丙6件\r\n"
host.format {
  id = "cl", name = "clauses", year_from = 1990, year_to = 1990,
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = {},
  rules = {
    { id = "CL", severity = "info", source = "inferred", kind = "lua", message = "clauses",
      fn = function()
        local out = {}
        for _, c in ipairs(host.clauses($1)(TEXT)) do
          out[#out + 1] = { message = c.text .. "|" .. c.sentence .. "|" .. c.line }
        end
        return out
      end },
  },
}
host.importer { id = "cl", description = "d", extensions = { "cl" },
  import = function() return { format = "cl", meta = { year = 1990 } } end }
EOF
  echo x > r.cl
}

clause_messages() { grep -o '"message":[[:space:]]*"[^"]*"' stdout.txt | sed 's/^"message":[[:space:]]*"//; s/"$//'; }

test_clauses_cuts_lines_sentences_and_clauses_keeping_those_with_a_digit() {
  clauses_plugin '{ sentences = { "。", "；", ";" }, clauses = { "，", "、", ",", "：" }, skip_lines = { "（请填写" }, digits = true, none = { "同比" } }'
  run check --json r.cl --plugin-dir plugins || return 1
  local want
  want=$(printf '%s\n' '第2行|第2行：收到申请5件，其中予以公开3件|2' '收到申请5件|第2行：收到申请5件，其中予以公开3件|2' \
    '其中予以公开3件|第2行：收到申请5件，其中予以公开3件|2' '甲4件|甲4件 , 乙|4' '丙6件|丙6件|4')
  [ "$(clause_messages)" = "$want" ] || fail "clauses: $(clause_messages | tr '\n' ' ')"
}

test_clauses_keeps_only_clauses_holding_a_word_of_any() {
  clauses_plugin '{ sentences = { "。", "；", ";" }, clauses = { "，", "、", ",", "：" }, digits = true, any = { "公开", "丙" }, none = { "同比" } }'
  run check --json r.cl --plugin-dir plugins || return 1
  [ "$(clause_messages)" = "$(printf '%s\n' '其中予以公开3件|第2行：收到申请5件，其中予以公开3件|2' '丙6件|丙6件|4')" ] ||
    fail "clauses: $(clause_messages | tr '\n' ' ')"
}

test_clauses_without_digits_keeps_every_clause() {
  clauses_plugin '{ sentences = { "。" }, clauses = { "，", "、", ",", "：" }, skip_lines = { "（请填写", "甲" } }'
  run check --json r.cl --plugin-dir plugins || return 1
  [ "$(clause_messages)" = "$(printf '%s\n' '一行没有数字|一行没有数字|1' '第2行|第2行：收到申请5件，其中予以公开3件；同比增长10%|2' \
    '收到申请5件|第2行：收到申请5件，其中予以公开3件；同比增长10%|2' \
    '其中予以公开3件；同比增长10%|第2行：收到申请5件，其中予以公开3件；同比增长10%|2')" ] ||
    fail "clauses: $(clause_messages | tr '\n' ' ')"
}

test_clauses_refuses_an_empty_separator_and_an_unknown_field() {
  clauses_plugin '{ sentences = { "。", "" } }'
  run check --json r.cl --plugin-dir plugins || return 1
  expect_status 1 && expect_stdout "分隔符不能为空" || return 1
  clauses_plugin '{ sentence = { "。" } }'
  run check --json r.cl --plugin-dir plugins || return 1
  expect_status 1 && expect_stdout "不认识的字段 sentence"
}

# a rule's cells seen through the view (pairs, after one read by index)
# and a renderer's (the whole table): the same "t.r.c=v" list
view_plugin() {
  plugin view.lua <<'EOF'
local host = ...
local function cells(report)
  local out = {}
  for t, rows in pairs(report.tables) do
    for r, row in pairs(rows) do
      for c, v in pairs(row) do out[#out + 1] = t .. "." .. r .. "." .. c .. "=" .. v end
    end
  end
  table.sort(out)
  return #out .. ":" .. table.concat(out, ",")
end
local decl = host.format_decl("gov-2021")
local rules = {}
for i, r in ipairs(decl.rules) do rules[i] = r end
local kept
rules[#rules + 1] = { id = "VIEW", severity = "info", source = "inferred", kind = "lua", message = "cells",
  fn = function(report)
    local one = report.tables.t3.new.total
    local meta = getmetatable(report.tables)
    local early = kept and kept.tables.nope -- last report's view: closed by now (everything read was filled)
    kept = report
    return { { message = tostring(meta) .. "|" .. tostring(report.tables.nope) .. "|" .. tostring(report.tables.t3[1]) ..
                         "|" .. one .. "|" .. cells(report) .. tostring(early) } }
  end }
decl.id, decl.rules, decl.year_from, decl.year_to = "view", rules, 2024, 2024
host.format(decl)
host.renderer { id = "cells", description = "d", extension = "txt", render = function(report) return cells(report) end }
EOF
}

test_rule_view_gives_every_cell_a_renderer_gets() {
  view_plugin
  run check --json --format view "$EX" --plugin-dir plugins || return 1
  local got; got=$(tr -d '\n' < stdout.txt | grep -o '"message":[[:space:]]*"false|nil|nil|11|[^"]*"' | sed 's/^"message":[[:space:]]*"false|nil|nil|11|//; s/"$//')
  run render --to cells --format view "$EX" --plugin-dir plugins || return 1
  [ -n "$got" ] && [ "${got%nil}" = "$(cat stdout.txt)" ] || fail "the view's cells differ from the renderer's: $got"
  case "$got" in [1-9][0-9][0-9]:*) ;; *) fail "too few cells: ${got%%:*}" ;; esac
}

test_rule_view_kept_after_its_check_cannot_be_read() {
  view_plugin
  run check --json -j 1 --format view "$EX" "$EX" --plugin-dir plugins || return 1
  expect_stdout "规则在检查结束后才读取报告的表格" && expect_finding_field VIEW severity error
}

# ---- TXT-NUM finds what it found before host.clauses ----

test_narrative_mismatch_after_a_long_number_and_skipped_lines_is_found() {
  local l; l=$(grep -n '^全年新收政府信息公开申请11件' "$EX" | cut -d: -f1)
  awk -v n="$l" 'NR == n {
      print "全年新收政府信息公开申请11件，上年结转1件，均在法定期限内答复，其中3件结转下年度办理。"
      print "本年度未发生行政复议案件。\r"
      print "（请填写）全年新收申请99件"
      print "文号12345678901234567890之外，新收申请第1234567890123456789号等12件。\r"
      next } { print }' "$EX" > n.txt
  run check --json n.txt || return 1
  expect_findings DRAFT-TODO TXT-NUM TXT-NUM &&
    expect_stdout '正文写“其中3件结转下年度办理”（结转下年度申请 3）' &&
    expect_stdout '正文写“新收申请第1234567890123456789号等12件”（本年新收申请 12）' &&
    expect_finding_number TXT-NUM line $((l + 3)) && expect_finding_number TXT-NUM line "$l"
}

# TXT-NUM is the rule kind narrative: the format declares the wording (its
# quantities, their cells and Lua patterns) and C applies it, without a Lua
# call or the Lua view of the report.
test_narrative_wording_is_the_formats_declaration() {
  copy_data
  sed -i 's/what = "予以公开"/what = "公开了"/; s/"予以公开(%d+)件"/"予以公开(%d+)件", "公开了(%d+)件"/' \
    data/plugins/formats/gov-2021.lua
  local l; l=$(grep -n '^全年新收政府信息公开申请11件' "$EX" | cut -d: -f1)
  awk -v n="$l" 'NR == n { print; print "本年度公开了99件。"; next } { print }' "$EX" > n.txt
  NIANBAO_DATA_DIR=$PWD/data run check --json n.txt || return 1
  expect_findings TXT-NUM && expect_stdout '正文写“本年度公开了99件”（公开了 99）' &&
    expect_finding_number TXT-NUM line $((l + 1)) || return 1
}

test_narrative_pattern_outside_what_c_matches_is_refused_when_declared() {
  copy_data
  sed -i 's/"予以公开(%d+)件"/"予以公开([0-9]+)件"/' data/plugins/formats/gov-2021.lua
  NIANBAO_DATA_DIR=$PWD/data run check "$EX" || return 1
  expect_status 2 && expect_stderr "模式 '予以公开([0-9]+)件'" && expect_stderr "捕获只能是一个 (%d+)"
}

# host.clauses, for a plugin's own Lua rules: cut as the narrative kind
# cuts (base/text_cut.c, shared), a line holding a skip_lines word dropped,
# with digits only the clauses holding one
test_host_clauses_cuts_a_text_for_a_lua_rule() {
  plugin cl.lua <<'EOF2'
local host = ...
local cut = host.clauses { sentences = { "。", "；" }, clauses = { "，" }, skip_lines = { "（请填写" }, digits = true }
host.format {
  id = "cl", name = "cl", year_from = 1989, year_to = 1990,
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = {},
  rules = {
    { id = "CL", severity = "info", source = "inferred", kind = "lua", message = "clauses",
      fn = function(report)
        local out = {}
        for _, c in ipairs(cut(report.sections[1].text)) do
          out[#out + 1] = { message = c.line .. ":" .. c.text .. "|" .. c.sentence }
        end
        return out
      end },
  },
}
host.importer { id = "cl", description = "d", extensions = { "cl" },
  import = function(src)
    return { format = "cl", meta = { year = 1990 }, sections = { { heading = "一、总体情况", level = 1, text = src.text } } }
  end }
EOF2
  printf '收到申请5件， 办结3件。另有文字\n（请填写）7件\n其中12345件；无\n' > r.cl
  run check --json r.cl --plugin-dir plugins || return 1
  expect_findings CL CL CL && expect_stdout '"1:收到申请5件|收到申请5件， 办结3件"' &&
    expect_stdout '"1:办结3件|收到申请5件， 办结3件"' && expect_stdout '"3:其中12345件|其中12345件"'
}

# A Lua rule declared cross_year (as XY-JUMP and XY-BACKLOG are) is not
# called without --prev: one call into Lua less a report (issue 13).
test_cross_year_lua_rule_is_called_only_with_prev() {
  plugin xy.lua <<'EOF2'
local host = ...
host.format {
  id = "xy", name = "xy", year_from = 1989, year_to = 1990,
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = {},
  rules = {
    { id = "XY-CALLED", severity = "info", source = "inferred", kind = "lua", message = "called",
      cross_year = true,
      fn = function(_, prev) return { { message = prev and "with prev" or "without prev" } } end },
  },
}
host.importer { id = "xy", description = "d", extensions = { "xy" },
  import = function(src) return { format = "xy", meta = { year = tonumber(src.text:match("%d+")) } } end }
EOF2
  echo 1990 > r.xy
  echo 1989 > p.xy
  run check --json r.xy --plugin-dir plugins || return 1
  expect_status 0 && expect_no_stdout XY-CALLED || return 1
  run check --json --prev p.xy r.xy --plugin-dir plugins || return 1
  expect_status 0 && expect_finding_field XY-CALLED message "with prev"
}
