# check leaves the rules of the built-in formats uncompiled until a report
# of the format is read (host/lua/lua_format_late.c), and keeps no copy of
# their declarations: the findings are those of a host that built every
# format at its start (any --plugin-dir makes one), and a format file that
# was edited, like a plugin of the user's, is built whole at once, so its
# author sees an error of its rules whatever report is checked.
# NIANBAO_LOAD_TRACE makes nianbao say which format's rules it compiled late.
source "$NB_ROOT/tests/edit_lib.sh"

built_late() { grep -o '格式 [^ ]* 在首次查找时完整建立' lazy.err | cut -d' ' -f2 | tr '\n' ' '; }
late_rules() { grep -o '格式 [^ ]* 的规则在首次使用时编译' lazy.err | cut -d' ' -f2 | tr '\n' ' '; }

# check REPORT lazily and with every format built: the same output
same_as_eager() {
  mkdir -p empty
  NIANBAO_LOAD_TRACE=1 run check --json "$@" || return 1
  cp stdout.txt lazy.json; cp stderr.txt lazy.err
  local status=$STATUS
  run check --json --plugin-dir empty "$@" || return 1
  [ "$STATUS" -eq "$status" ] || fail "exit status $status lazily, $STATUS with every format built"
  cmp -s lazy.json stdout.txt || fail "check --json differs from a host with every format built"
}

test_check_compiles_the_rules_of_the_format_used_only() {
  same_as_eager "$EX" || return 1
  [ "$(late_rules)" = "gov-2021 " ] || fail "rules compiled late: '$(late_rules)', expected gov-2021 only"
}

# the other formats stay sketches (lua/lua_format_sketch.c): their marks,
# years, sections and row labels choose the format and place the rows alike
test_check_builds_the_format_used_only() {
  same_as_eager "$EX" || return 1
  [ "$(built_late)" = "gov-2021 " ] || fail "formats built in full: '$(built_late)', expected gov-2021 only"
}

# the format files themselves run when their format is first looked up, their
# sketches made at build time (tools/embed_lua.c, host/plugin/plugin_late.c)
loaded() { grep -o "formats/[^ ]*\.lua 载入预编译的字节码" lazy.err | cut -d' ' -f1 | tr '\n' ' '; }
sketched() { grep -o "formats/[^ ]*\.lua 的格式草图在构建时做好" lazy.err | cut -d' ' -f1 | tr '\n' ' '; }

test_check_of_a_2024_report_runs_gov2021s_file_only() {
  same_as_eager "$EX" || return 1
  [ "$(sketched)" = "formats/gov-2019.lua formats/gov-2021.lua formats/legacy.lua " ] ||
    fail "sketches of the build: '$(sketched)'"
  [ "$(loaded)" = "formats/gov-2021.lua " ] || fail "format files run: '$(loaded)', expected gov-2021 only"
}

test_check_of_a_2019_report_runs_gov2019s_file_only() {
  need_corpus
  same_as_eager "$SH" || return 1
  [ "$(loaded)" = "formats/gov-2019.lua " ] || fail "format files run: '$(loaded)', expected gov-2019 only"
}

# a lib module a format file used at build time, edited: the build's sketch
# may no longer be the file's, so it runs at start; legacy uses none
test_an_edited_lib_module_runs_the_format_files_that_use_it_at_start() {
  copy_data
  echo '-- edited' >> data/lib/narrative.lua
  NIANBAO_DATA_DIR=$PWD/data same_as_eager "$EX" || return 1
  [ "$(sketched)" = "formats/legacy.lua " ] || fail "sketches of the build: '$(sketched)', expected legacy's only"
  [ "$(loaded)" = "formats/gov-2019.lua formats/gov-2021.lua " ] || fail "format files run: '$(loaded)'"
}

test_check_of_a_2019_report_builds_gov2019_only() {
  need_corpus
  same_as_eager "$SH" || return 1
  [ "$(built_late)" = "gov-2019 " ] || fail "formats built in full: '$(built_late)', expected gov-2019 only"
}

# a 2022 report in the 2019 layout: chosen by gov-2019's marks (a sketch's),
# FMT-VER naming gov-2021 (the year's format): both built, the same findings
test_check_of_a_report_in_another_years_layout_builds_both() {
  need_corpus
  clean_2019 | with_year /dev/stdin 2019 2022 | sed "s/^发布日期：2020-01-31/发布日期：2023-01-31/" > r.txt
  same_as_eager r.txt || return 1
  grep -q '"FMT-VER"' lazy.json || fail "no FMT-VER finding"
  [ "$(built_late)" = "gov-2021 gov-2019 " ] || fail "formats built in full: '$(built_late)'"
}

# a 2024 report with a row of the 2019 format: its label, a sketch's, is
# named in FMT-VER as a host with every format built names it
test_check_of_a_2019_row_in_a_2024_report_is_as_eager() {
  with_year "$EX" 2024 2022 | sed 's/^\t本年制发件数$/\t本年新制作数量/' > r.txt
  same_as_eager r.txt || return 1
  grep -q '本年新制作数量' lazy.json || fail "FMT-VER does not name the 2019 label"
}

test_render_of_a_report_is_as_eager() {
  mkdir -p empty
  NIANBAO_LOAD_TRACE=1 run render --to md "$EX" || return 1
  cp stdout.txt lazy.md; cp stderr.txt lazy.err
  run render --to md --plugin-dir empty "$EX" || return 1
  cmp -s lazy.md stdout.txt || fail "render differs from a host with every format built"
  [ "$(built_late)" = "gov-2021 " ] || fail "formats built in full: '$(built_late)', expected gov-2021 only"
}

test_check_of_a_2019_report_compiles_the_2019_rules_only() {
  need_corpus
  same_as_eager "$SH" || return 1
  expect_status 1 && grep -q '"T3-BAL"' lazy.json || fail "no T3-BAL finding: the 2019 rules did not run"
  [ "$(late_rules)" = "gov-2019 " ] || fail "rules compiled late: '$(late_rules)', expected gov-2019 only"
}

test_check_with_prev_compiles_the_rules_of_both_formats() {
  need_corpus
  same_as_eager --prev-any --prev "$SH" "$EX" || return 1
  [ "$(late_rules)" = "gov-2019 gov-2021 " ] || fail "rules compiled late: '$(late_rules)'"
}

test_an_edited_format_file_reports_a_rule_error_at_once() {
  copy_data
  sed -i 's/^  rules = {$/  rules = {\n    { id = "BAD-RULE", kind = "nonsense" },/' data/plugins/formats/gov-2019.lua
  # a 2024 report: gov-2021's, yet the broken gov-2019 stops the check
  local at; at=$(grep -n '^host.format {$' data/plugins/formats/gov-2019.lua | cut -d: -f1)
  NIANBAO_DATA_DIR=$PWD/data run check "$EX" || return 1
  expect_status 2 &&
    expect_stderr "插件出错：$PWD/data/plugins/formats/gov-2019.lua:$at: 格式 'gov-2019' 的 rules[1]：缺少必需的键 'severity'"
}

# check --db: its reports come from the store, not through an importer (the
# one place the rules are compiled late): its host builds every format whole
test_check_db_builds_every_format_at_start() {
  run add --db r.db "$EX" || return 1
  expect_status 0 || return 1
  same_as_eager --db r.db || return 1
  [ -z "$(late_rules)" ] || fail "check --db compiled rules late: '$(late_rules)'"
}

# A lib module edited so that the rules of the unchanged gov-2019 are
# wrong: under check they are compiled when the 2019 report is read, and
# the message, its traceback included, is the one registration gives
# (which a host that fails to open prefixes with "nianbao: ").
test_a_late_rule_error_reads_as_at_registration() {
  need_corpus
  mkdir -p empty
  copy_data
  sed -i 's/^return M$/M.rule = function() return "no function" end\nreturn M/' data/lib/narrative.lua
  NIANBAO_DATA_DIR=$PWD/data run check "$SH" || return 1
  expect_status 2 && expect_stderr "stack traceback:" || return 1
  cp stderr.txt late.err
  NIANBAO_DATA_DIR=$PWD/data run check --plugin-dir empty "$SH" || return 1
  expect_status 2 || return 1
  sed -i '1s/^nianbao: //' stderr.txt
  diff late.err stderr.txt > /dev/null || fail "the late message differs from registration's: $(diff late.err stderr.txt)"
}
