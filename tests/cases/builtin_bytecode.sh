# The built-in plugin and lib files are embedded with their bytecode at build
# time (tools/embed_lua.c, host/lua/lua_builtin.c): a file of the data
# directory byte for byte as built is loaded precompiled, one that was edited
# is compiled from its text ("a script edit is all it takes"), and messages
# name the file where it lies now and its line either way.
# NIANBAO_LOAD_TRACE makes nianbao say on standard error how it loaded each file.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# data/: a copy of the data directory, somewhere else than at build time
test_unchanged_builtin_files_load_precompiled() {
  copy_data
  NIANBAO_DATA_DIR=$PWD/data NIANBAO_LOAD_TRACE=1 run check "$EX" || return 1
  expect_status 0 || return 1
  for f in plugins/formats/gov-2021.lua plugins/importers/text.lua lib/narrative.lua; do
    expect_stderr "$PWD/data/$f 载入预编译的字节码" || return 1
  done
  ! grep -q '从源码编译' stderr.txt || fail "a built-in file was compiled from its text"
}

# a built-in lib module that several plugin files use (both formats use
# narrative) is undumped once, each file running its chunk
# with an environment of its own (api/lua_lib.c); an edited one is
# compiled from its text for each file, as any other
test_builtin_module_of_several_files_is_undumped_once() {
  copy_data
  NIANBAO_DATA_DIR=$PWD/data NIANBAO_LOAD_TRACE=1 run check --json "$EX" || return 1
  expect_status 0 || return 1
  cp stdout.txt once.json
  [ "$(grep -c "data/lib/narrative.lua 载入预编译的字节码" stderr.txt)" = 1 ] || fail "narrative.lua undumped more than once"
  echo '-- edited' >> data/lib/narrative.lua
  NIANBAO_DATA_DIR=$PWD/data NIANBAO_LOAD_TRACE=1 run check --json "$EX" || return 1
  [ "$(grep -c "data/lib/narrative.lua 从源码编译" stderr.txt)" = 2 ] || fail "the edited narrative.lua not compiled for each file"
  cmp -s once.json stdout.txt || fail "findings differ with the module loaded for each file"
}

test_edited_builtin_file_is_compiled_from_its_text() {
  copy_data
  local f=data/plugins/formats/gov-2021.lua n
  echo 'error("这一行是刚加的")' >> "$f"
  n=$(wc -l < "$f")
  NIANBAO_DATA_DIR=$PWD/data NIANBAO_LOAD_TRACE=1 run check "$EX" || return 1
  # gov-2019, unedited, keeps the sketch the build made (host/plugin/plugin_late.c)
  expect_status 2 && expect_stderr "$PWD/$f 从源码编译" &&
    expect_stderr "$PWD/data/plugins/formats/gov-2019.lua 的格式草图在构建时做好" &&
    expect_stderr "$PWD/$f:$n: 这一行是刚加的"
}

test_edited_lib_module_is_compiled_from_its_text() {
  copy_data
  sed -i 's/return tonumber(year), agency/return tonumber(year) and 1999, agency/' data/lib/title.lua
  NIANBAO_DATA_DIR=$PWD/data NIANBAO_LOAD_TRACE=1 run check --json "$EX" || return 1
  expect_stderr "$PWD/data/lib/title.lua 从源码编译" || return 1
  grep -q '"year":[[:space:]]*1999' stdout.txt || fail "the edit of lib/title.lua did not take effect"
}

# an error inside a built-in lib module, raised for a plugin of --plugin-dir
bad_plugin() {
  plugin bad.lua <<'LUA'
local host = ...
host.lib("title").parse({})
LUA
}

test_message_from_precompiled_file_names_its_path_and_line() {
  copy_data
  bad_plugin
  NIANBAO_DATA_DIR=$PWD/data NIANBAO_LOAD_TRACE=1 run check --plugin-dir plugins "$EX" || return 1
  expect_status 2 && expect_stderr "$PWD/data/lib/title.lua 载入预编译的字节码" || return 1
  # the year's first find raises, in year_of, called from parse
  local line at; line=$(grep -n 'local at = find(text, century, 1, true)' data/lib/title.lua | cut -d: -f1)
  at=$(grep -n 'local year = year_of(text, "20"' data/lib/title.lua | cut -d: -f1)
  [ -n "$line" ] && [ -n "$at" ] || { fail "title.lua changed: update the lines this case looks for"; return 1; }
  expect_stderr "$PWD/data/lib/title.lua:$line: bad argument #1 to 'find'" &&
    expect_stderr "	$PWD/data/lib/title.lua:$line: in upvalue 'year_of'" &&
    expect_stderr "	$PWD/data/lib/title.lua:$at: in field 'parse'" || return 1
  # the same message and traceback as when the file is compiled from its text
  grep -v '载入预编译的字节码\|从源码编译' stderr.txt > precompiled.txt
  echo '-- a comment at the end: the same code, compiled from its text' >> data/lib/title.lua
  NIANBAO_DATA_DIR=$PWD/data NIANBAO_LOAD_TRACE=1 run check --plugin-dir plugins "$EX" || return 1
  expect_stderr "$PWD/data/lib/title.lua 从源码编译" || return 1
  grep -v '载入预编译的字节码\|从源码编译' stderr.txt > compiled.txt
  cmp -s precompiled.txt compiled.txt || { diff precompiled.txt compiled.txt; fail "messages differ"; }
}
