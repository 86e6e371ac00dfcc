# Every message nianbao shows a person is Chinese: a representative set of
# failing commands and misbehaving plugins (a bad --plugin-dir, host.lib with
# a bad name, a format with a bad rule, host.xlsx_book and host.zip misused …)
# must each exit 2 with a standard error whose every line holds a CJK
# character.  Lua's own traceback lines ("stack traceback:", the tab-indented
# frames) are Lua's, not ours, and are left out.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# every message line of stderr.txt holds a Chinese character (and there is
# one) in its own words: after the last Lua location "FILE:LINE: " (what comes
# before it is the wrapper "插件出错：…", which would hide an English message),
# else after "nianbao: "
expect_chinese_stderr() {
  [ -s stderr.txt ] || { fail "no message on standard error"; return 1; }
  local english
  english=$(perl -CSD -ne 'next if /^stack traceback:/ || /^\t/ || /^\s*$/; my $m = $_;
    if ($m =~ /^.*:\d+: (.*)$/) { $m = $1 } else { $m =~ s/^nianbao(?: \w+)?: // }
    print unless $m =~ /\p{Han}/' stderr.txt)
  [ -z "$english" ] || fail "message lines without Chinese: $english"
}

# run `formats` with plugins/ and expect a Chinese refusal
expect_chinese_refusal() {
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_chinese_stderr
}

# a plugin file whose top level is the Lua code on standard input
load_plugin() { { echo 'local host = ...'; cat; } | plugin p.lua; }

test_bad_plugin_dir_is_told_in_chinese() {
  run formats --plugin-dir notadir || return 1
  expect_status 2 && expect_chinese_stderr && expect_stderr "--plugin-dir notadir"
}

# Lua's compiler says what is wrong in English; the host says it in Chinese around it
test_plugin_syntax_error_is_told_in_chinese() {
  echo 'local x = = 1' | plugin p.lua
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "^nianbao: 插件出错：plugins/p\.lua:1: "
}

test_host_lib_bad_name_is_told_in_chinese() {
  echo 'host.lib("Bad-Name")' | load_plugin
  expect_chinese_refusal && expect_stderr "host.lib"
}

test_host_lib_missing_module_is_told_in_chinese() {
  echo 'host.lib("no_such_module")' | load_plugin
  expect_chinese_refusal && expect_stderr "no_such_module"
}

# a one-table format with FIELD (Lua table fields) added
bad_format() {
  load_plugin <<EOF
host.format {
  id = "tiny", name = "one cell", $1
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = { { id = "t", label = "表", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数" } }, rows = { { id = "r", label = "行" } } } } } },
}
EOF
}

test_format_with_bad_rules_is_told_in_chinese() {
  local rule
  for rule in \
    '{ id = "R", severity = "fatal", source = "stated", kind = "blank", message = "m" }' \
    '{ id = "R", severity = "error", source = "rumour", kind = "blank", message = "m" }' \
    '{ id = "R", severity = "error", source = "stated", kind = "shout", message = "m" }' \
    '{ id = "R", severity = "error", source = "stated", message = "m" }' \
    '{ id = "R", severity = "error", source = "stated", message = "m", assert = "t.r.c == t.r.nope" }' \
    '{ id = "R", severity = "error", source = "stated", message = "m", assert = "t.r.c ==" }' \
    '{ id = "R", severity = "error", source = "stated", message = "m", assert = "t.r.c == x.r.c" }' \
    '{ id = "R", severity = "error", source = "stated", message = "m", assert = "t.r.c == 1", each = { v = "q.rows" } }' \
    '{ id = "R", severity = "error", source = "stated", kind = "text_length", message = "m", section = "s" }' \
    '{ id = "R", severity = "error", source = "stated", kind = "lua", message = "m" }'; do
    bad_format "rules = { $rule },"
    expect_chinese_refusal || { fail "rule $rule"; return 1; }
  done
}

test_format_with_bad_tables_is_told_in_chinese() {
  local field
  for field in 'deadlines = { { month = 13, day = 1 } },' 'deadlines = { 5 },'; do
    bad_format "$field"
    expect_chinese_refusal || { fail "field $field"; return 1; }
  done
  load_plugin <<'EOF'
host.format { id = "tiny", name = "n", sections = { { id = "s", label = "一", match = { "一" } } },
  tables = { { id = "t", label = "表", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数", type = "money" } }, rows = { { id = "r", label = "行" } } } } },
    { id = "t", label = "表", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数" } }, rows = { { id = "r", label = "行" } } } } } } }
EOF
  expect_chinese_refusal || return 1
  load_plugin <<'EOF'
host.format { id = "tiny", name = "n", sections = { { id = "s", label = "一", match = { "一" } } },
  tables = { { id = "t", label = "表", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数" } }, rows = { { id = "r", label = "行" }, { id = "r", label = "又" } } } } } } }
EOF
  expect_chinese_refusal
}

test_duplicate_ids_are_told_in_chinese() {
  echo 'host.renderer { id = "md", description = "d", extension = "md", render = function() return "" end }' |
    load_plugin
  expect_chinese_refusal
}

test_xlsx_book_misuse_is_told_in_chinese() {
  local call
  for call in 'b:text(1, 1, 1, "x")' 'local s = b:sheet("a"); b:text(s, 0, 1, "x")' \
    'local s = b:sheet("a"); b:text(s, 1, 99999, "x")' 'b:format({ align = 1 })' \
    'local s = b:sheet("a"); b:merge(s, 3, 1, 1, 1, "x")' 'b:close(); b:close()'; do
    echo "local b = host.xlsx_book(); $call" | load_plugin
    expect_chinese_refusal || { fail "call $call"; return 1; }
  done
}

test_zip_misuse_is_told_in_chinese() {
  local files
  for files in '{ 5 }' '{ { data = "x" } }' '{ { name = "../x", data = "x" } }' '{ { name = "x" } }'; do
    echo "host.zip($files)" | load_plugin
    expect_chinese_refusal || { fail "files $files"; return 1; }
  done
}

test_json_encode_misuse_is_told_in_chinese() {
  local value
  for value in '1.5' 'function() end' '{ [true] = 1 }'; do
    echo "host.json_encode($value)" | load_plugin
    expect_chinese_refusal || { fail "value $value"; return 1; }
  done
}

test_text_layout_misuse_is_told_in_chinese() {
  echo 'host.text_layout { headings = {} }' | load_plugin
  expect_chinese_refusal && expect_stderr "host.text_layout"
}

test_registration_after_loading_is_told_in_chinese() {
  echo 'host.renderer { id = "late", description = "d", extension = "x",
  render = function() host.format {} return "" end }' | load_plugin
  run render "$EX" --to late --plugin-dir plugins || return 1
  expect_status 2 && expect_chinese_stderr
}

test_missing_template_is_told_in_chinese() {
  echo 'host.renderer { id = "tpl", description = "d", extension = "x",
  render = function() return host.template("no/such.txt") end }' | load_plugin
  run render "$EX" --to tpl --plugin-dir plugins || return 1
  expect_status 2 && expect_chinese_stderr && expect_stderr "no/such.txt"
}
