# Strict registration: a format, importer or renderer declaration with an
# unknown key, a missing key, a value of the wrong type or an id already
# taken stops nianbao (exit 2) naming the plugin file, line and field; and
# registering is possible only while a plugin file loads.

export NIANBAO_LUA_INSTRUCTIONS=5 NIANBAO_LUA_MEMORY_MB=16
SG="$NB_CORPUS/shanggao-commerce-2023.txt"

expect_plugin_refused() {
  run formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr_re "$1"
}

# a small valid format declaration with FIELD (a Lua table field) added
tiny_format() {
  plugin fmt.lua <<EOF
local host = ...
host.format {
  id = "tiny", name = "one cell", $1
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = { { id = "t", label = "表", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数" } }, rows = { { id = "r", label = "行" } } } } } },
}
EOF
}

test_valid_plugins_register_and_are_listed() {
  tiny_format 'year_from = 1990, year_to = 1990,'
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "mine", description = "my importer", extensions = { "mine", "mn" }, import = function() end }
host.renderer { id = "mine", description = "my renderer", extension = "mine", render = function() return "" end }
EOF
  run formats --plugin-dir plugins || return 1
  expect_status 0 && expect_stdout "tiny" && expect_stdout "1990–1990" && expect_stdout "plugins/fmt.lua" || return 1
  run plugins --plugin-dir plugins || return 1
  expect_status 0 && expect_stdout "plugins/imp.lua" && expect_stdout "mine         my importer  [.mine .mn]" &&
    expect_stdout "mine         my renderer  [.mine]"
}

test_importer_unknown_key() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "x", description = "d", import = function() end,
  extension = { "x" } }
EOF
  expect_plugin_refused "plugins/imp\.lua:2: importer：未知的键 'extension'"
}

test_importer_missing_key() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "x", import = function() end }
EOF
  expect_plugin_refused "plugins/imp\.lua:2: importer：缺少必需的键 'description'"
}

test_importer_wrong_type() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "x", description = "d", import = "not a function" }
EOF
  expect_plugin_refused "plugins/imp\.lua:2: importer：'import' 应为 function，而不是 string"
}

test_importer_extensions_must_be_strings() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "x", description = "d", extensions = { "x", 7 }, import = function() end }
EOF
  expect_plugin_refused "plugins/imp\.lua:2: importer：'extensions'\[2\] 应为字符串"
}

test_importer_duplicate_id() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "text", description = "d", import = function() end }
EOF
  expect_plugin_refused "plugins/imp\.lua:2: 导入插件 id 'text' 已由 .*plugins/importers/text\.lua 注册"
}

test_renderer_unknown_key() {
  plugin rnd.lua <<'EOF'
local host = ...
host.renderer { id = "x", description = "d", extension = "x", render = function() end, colour = "red" }
EOF
  expect_plugin_refused "plugins/rnd\.lua:2: renderer：未知的键 'colour'"
}

test_renderer_missing_key() {
  plugin rnd.lua <<'EOF'
local host = ...
host.renderer { id = "x", description = "d", render = function() end }
EOF
  expect_plugin_refused "plugins/rnd\.lua:2: renderer：缺少必需的键 'extension'"
}

test_renderer_wrong_type() {
  plugin rnd.lua <<'EOF'
local host = ...
host.renderer { id = "x", description = "d", extension = 3, render = function() end }
EOF
  expect_plugin_refused "plugins/rnd\.lua:2: renderer：'extension' 应为 string，而不是 number"
}

test_renderer_duplicate_id() {
  plugin rnd.lua <<'EOF'
local host = ...
host.renderer { id = "md", description = "d", extension = "md", render = function() end }
EOF
  expect_plugin_refused "plugins/rnd\.lua:2: 输出插件 id 'md' 已由 .*plugins/renderers/markdown\.lua 注册"
}

test_declaration_that_is_no_table() {
  plugin rnd.lua <<'EOF'
local host = ...
host.renderer("md")
EOF
  expect_plugin_refused "plugins/rnd\.lua:2: renderer：应为表（table），而不是 string"
}

test_format_unknown_key() {
  tiny_format 'colour = "red",'
  expect_plugin_refused "plugins/fmt\.lua:2: format：未知的键 'colour'"
}

test_format_missing_key() {
  plugin fmt.lua <<'EOF'
local host = ...
host.format { id = "tiny", name = "no tables", sections = {} }
EOF
  expect_plugin_refused "plugins/fmt\.lua:2: format：缺少必需的键 'tables'"
}

test_format_wrong_type() {
  tiny_format 'year_from = "1990",'
  expect_plugin_refused "plugins/fmt\.lua:2: format：'year_from' 应为 number，而不是 string"
}

test_format_fractional_year() {
  tiny_format 'year_from = 1990.5,'
  expect_plugin_refused "plugins/fmt\.lua:2: format：'year_from' 应为整数"
}

test_format_nested_unknown_key_names_its_path() {
  plugin fmt.lua <<'EOF'
local host = ...
host.format {
  id = "tiny", name = "one cell",
  sections = { { id = "s", label = "一、总体情况", match = { "总体情况" } } },
  tables = { { id = "t", label = "表", section = "s", blocks = {
    { id = "b", columns = { { id = "c", label = "数", width = 3 } }, rows = { { id = "r", label = "行" } } } } } },
}
EOF
  expect_plugin_refused "plugins/fmt\.lua:2: 格式 'tiny' 的 tables\[1\]\.blocks\[1\]\.columns\[1\]：未知的键 'width'"
}

test_format_bad_rule_names_its_index() {
  tiny_format 'rules = { { id = "R", severity = "fatal", source = "stated", kind = "blank", message = "m" } },'
  expect_plugin_refused "plugins/fmt\.lua:2: 格式 'tiny' 的 rules\[1\]：severity 应为 error、warning、verify 或 info"
}

test_format_rule_with_unknown_cell() {
  tiny_format 'rules = { { id = "R", severity = "error", source = "stated", message = "m", assert = "t.r.c == t.r.nope" } },'
  expect_plugin_refused "plugins/fmt\.lua:2: 格式 'tiny' 的 rules\[1\]：.*nope"
}

test_format_duplicate_id() {
  plugin fmt.lua <<'EOF'
local host = ...
host.format { id = "gov-2021", name = "again", sections = {}, tables = {} }
EOF
  expect_plugin_refused "plugins/fmt\.lua:2: 格式 id 'gov-2021' 已由 .*plugins/formats/gov-2021\.lua 注册"
}

test_duplicate_id_between_two_user_plugins() {
  tiny_format 'year_from = 1990,'
  cp plugins/fmt.lua plugins/fmt2.lua
  expect_plugin_refused "plugins/fmt2\.lua:2: 格式 id 'tiny' 已由 plugins/fmt\.lua 注册"
}

test_format_registered_from_an_importer_is_refused() {
  need_corpus
  plugin late.lua <<'EOF'
local host = ...
host.importer { id = "late", description = "registers too late", extensions = { "late" },
  import = function(src)
    host.format { id = "x", name = "x", sections = {}, tables = {} }
  end }
EOF
  cp "$SG" r.late
  run check r.late --plugin-dir plugins || return 1
  expect_status 2 &&
    expect_stderr_re "^导入插件 'late'（plugins/late\.lua）读 r\.late 时出错：plugins/late\.lua:4: host\.format 只能在插件文件加载时调用"
}

test_renderer_registered_from_a_renderer_is_refused() {
  need_corpus
  plugin late.lua <<'EOF'
local host = ...
host.renderer { id = "late", description = "registers too late", extension = "late",
  render = function()
    host.renderer { id = "y", description = "y", extension = "y", render = function() return "" end }
  end }
EOF
  run render "$SG" --to late --plugin-dir plugins || return 1
  expect_status 2 &&
    expect_stderr_re "^输出插件 'late'（plugins/late\.lua）出错：plugins/late\.lua:4: host\.renderer 只能在插件文件加载时调用"
}

test_importer_registered_from_a_rule_is_refused() {
  tiny_format 'year_from = 1990, year_to = 1990, rules = { { id = "LATE", severity = "info", source = "inferred", kind = "lua", message = "m",
    fn = function() host.importer { id = "y", description = "y", import = function() end } end } },'
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "tiny", description = "d", extensions = { "tiny" },
  import = function() return { format = "tiny", meta = { year = 1990 } } end }
EOF
  echo x > r.tiny
  run check --json r.tiny --plugin-dir plugins || return 1
  expect_status 1 && expect_findings LATE && expect_stdout "host.importer 只能在插件文件加载时调用"
}

test_importer_returning_nothing() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "nothing", description = "returns nil", extensions = { "nothing" }, import = function() end }
EOF
  echo x > r.nothing
  run check r.nothing --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "导入插件 'nothing'（plugins/imp.lua）返回的是 nil，而应是报告表"
}

test_importer_returning_an_unknown_row() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "odd", description = "d", extensions = { "odd" },
  import = function() return { format = "gov-2021", meta = { year = 2023 }, tables = { t3 = { nope = {} } } } end }
EOF
  echo x > r.odd
  run check r.odd --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "导入插件给表 t3 的行 'nope' 不存在"
}

test_importer_returning_a_number_cell() {
  plugin imp.lua <<'EOF'
local host = ...
host.importer { id = "odd", description = "d", extensions = { "odd" },
  import = function() return { format = "gov-2021", meta = { year = 2023 }, tables = { t3 = { new = { natural = 3 } } } } end }
EOF
  echo x > r.odd
  run check r.odd --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "导入插件给 t3.new.natural 的是 number；格应是原样的字符串"
}

test_renderer_returning_no_string() {
  need_corpus
  plugin rnd.lua <<'EOF'
local host = ...
host.renderer { id = "num", description = "d", extension = "num", render = function() return 5 end }
EOF
  run render "$SG" --to num -o out.num --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "输出插件 'num'（plugins/rnd.lua）返回的是 number，而应是字符串" || return 1
  [ ! -e out.num ] || fail "out.num was written"
}

test_plugin_dir_that_is_no_directory() {
  touch notadir
  run formats --plugin-dir notadir || return 1
  expect_status 2 && expect_stderr "--plugin-dir notadir：不是目录"
}

test_broken_user_plugin_in_xdg_data_home() {
  export XDG_DATA_HOME="$PWD/xdg" # this test's own user directory
  mkdir -p xdg/nianbao/plugins
  echo 'local x = = 1' > xdg/nianbao/plugins/broken.lua
  run formats || return 1
  expect_status 2 && expect_stderr_re "xdg/nianbao/plugins/broken\.lua:1: unexpected symbol"
}

# an entry of the report's lists is named by its index in the message
test_importer_returning_a_bad_entry_names_its_index() {
  plugin imp.lua <<'EOF2'
local host = ...
host.importer { id = "odd", description = "d", extensions = { "odd" },
  import = function()
    local sections = {}
    for i = 1, 11 do sections[i] = { heading = "h" .. i, level = 1 } end
    sections[12] = { heading = "h12", level = 1, colour = "red" }
    return { format = "gov-2021", meta = { year = 2023 }, sections = sections,
             notes = { { rule = "X", severity = "info", message = "m" }, { rule = "X", severity = "info" } } }
  end }
EOF2
  echo x > r.odd
  run check r.odd --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "report.sections[12]：未知的键 'colour'" || return 1
  sed -i 's/, colour = "red"//' plugins/imp.lua
  run check r.odd --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "report.notes[2]：缺少必需的键 'message'"
}

# a report's sections are checked as they are read (nb_schema_read): a
# missing required key, a number that is no integer, a value of another type
test_importer_returning_a_bad_section_is_told() {
  plugin imp.lua <<'EOF2'
local host = ...
host.importer { id = "odd", description = "d", extensions = { "odd" },
  import = function()
    return { format = "gov-2021", meta = { year = 2023 },
             sections = { { heading = "一、总体情况", level = 1, text = "t", line = 3 }, { heading = "h2", text = "t" } } }
  end }
EOF2
  echo x > r.odd
  run check r.odd --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "report.sections[2]：缺少必需的键 'level'" || return 1
  sed -i 's/{ heading = "h2", text = "t" }/{ heading = "h2", level = 1.5 }/' plugins/imp.lua
  run check r.odd --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "report.sections[2]：'level' 应为整数" || return 1
  sed -i 's/level = 1.5/level = 2, text = 7/' plugins/imp.lua
  run check r.odd --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "report.sections[2]：'text' 应为 string，而不是 number" || return 1
}
