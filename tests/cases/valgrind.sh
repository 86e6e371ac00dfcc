# Memory errors and leaks under valgrind's memcheck, on the normal build:
# a clean check, checks ending in findings, in an input error and in plugin
# failures, and renders.  On the sanitizer build (which valgrind cannot run)
# the same commands run under AddressSanitizer and LeakSanitizer instead.

SG="$NB_CORPUS/shanggao-commerce-2023.txt"

# memcheck ARGS...: nianbao ARGS under memcheck; fails on any report from it
memcheck() {
  if ldd "$NIANBAO" | grep -q libasan; then
    run "$@"
    return
  fi
  command -v valgrind > /dev/null || { echo "valgrind is missing: scripts/setup --test installs it"; return 1; }
  STATUS=0
  valgrind -q --error-exitcode=99 --leak-check=full --log-file=valgrind.txt "$NIANBAO" "$@" > stdout.txt 2> stderr.txt || STATUS=$?
  if [ "$STATUS" -eq 99 ] || [ -s valgrind.txt ]; then
    echo "valgrind report from: nianbao $*"; head -c 6000 valgrind.txt; return 1
  fi
}

test_memcheck_clean_check() {
  need_corpus
  memcheck check "$SG" || return 1
  expect_status 0 && expect_stdout "1 个报告：0 个错误"
}

test_memcheck_check_with_findings_and_prev() {
  need_corpus
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  replace_line "$SG" $((l + 1)) "	1.5" | replace_line /dev/stdin $((l + 2)) "	" > r.txt
  memcheck check --json --prev-any --prev "$SG" r.txt || return 1
  expect_status 1 && expect_findings CELL-INT CELL-BLANK T3-BAL T3-COL TXT-DUP
}

test_memcheck_check_with_input_errors() {
  need_corpus
  local l; l=$(line_of "$SG" "	一、本年新收政府信息公开申请数量")
  replace_line "$SG" $((l + 1)) "	a" > r.txt
  head -n 200 "$SG" > cut.txt
  memcheck check r.txt cut.txt missing.txt "$SG" || return 1
  expect_status 2 && expect_stderr "不是数字" && expect_stderr "不完整" && expect_stderr "无法打开文件"
}

test_memcheck_render_markdown() {
  need_corpus
  memcheck render "$SG" --to md -o out.md || return 1
  expect_status 0 && [ -s out.md ] || fail "out.md not written"
}

test_memcheck_render_json_of_json() {
  need_corpus
  "$NIANBAO" render "$SG" -o a.json 2> /dev/null || { fail "render failed"; return 1; }
  memcheck render a.json --to json || return 1
  expect_status 0 && cmp a.json stdout.txt || fail "JSON changed"
}

test_memcheck_broken_plugins() {
  export NIANBAO_LUA_INSTRUCTIONS=5 NIANBAO_LUA_MEMORY_MB=16
  plugin loop.lua <<'EOF'
while true do end
EOF
  memcheck formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "指令预算" || return 1
  rm plugins/loop.lua
  plugin hog.lua <<'EOF'
local t = {}
while true do t[#t + 1] = string.rep("x", 1000) .. #t end
EOF
  memcheck formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "内存上限" || return 1
  rm plugins/hog.lua
  plugin bad.lua <<'EOF'
local host = ...
host.format { id = "x", name = "x", sections = {}, tables = { { id = "t", label = "t", section = "nope", blocks = {} } } }
EOF
  memcheck formats --plugin-dir plugins || return 1
  expect_status 2 && expect_stderr "plugins/bad.lua:2:"
}

# check -j 2: the workers (forked after the plugins are loaded) and the parent
test_memcheck_check_jobs_with_accept_and_json() {
  need_corpus
  printf 'T3-COL\t*\t*\tt3\t旧条目\n' > ok.tsv
  memcheck check -j 2 --json --accept ok.tsv "$SG" "$SG" missing.txt "$SG" || return 1
  expect_status 2 && expect_stdout '"unreadable_files"' && expect_stderr "missing.txt"
}

# Every plugin of the hostile suite (hostile.sh) under memcheck, where C
# recursion over Lua tables and the host's walks over a plugin's results
# are seen (AddressSanitizer does not instrument liblua).  Each must be
# refused (exit 2, the file named) with no report from valgrind; which
# limit stops it is hostile.sh's concern (valgrind's slowness can make the
# time limit come first).
test_memcheck_hostile_plugins() {
  local t tests
  tests=$(grep -o '^test_hostile_[a-z_]*' "$NB_ROOT/tests/cases/hostile.sh")
  [ "$(echo "$tests" | wc -l)" -ge 25 ] || { fail "hostile.sh has fewer than 25 plugins"; return 1; }
  (
    . "$NB_ROOT/tests/cases/hostile.sh"
    export NIANBAO_LUA_INSTRUCTIONS=1 NIANBAO_LUA_SECONDS=20
    expect_refused() {
      echo "x" > a.hostile
      memcheck check a.hostile --plugin-dir plugins || return 1
      expect_status 2 && expect_stderr "a.hostile"
    }
    for t in $tests; do
      rm -rf plugins
      "$t" || { echo "in $t"; exit 1; }
    done
  )
}
