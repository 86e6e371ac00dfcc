# Nothing lost on write: output to a full disk is exit 2 with a message; -o
# keeps the target's mode, never replaces a symlink, directory, device or
# hard-linked file, and never leaves its temporary file behind; a render
# killed mid-write leaves the previous file intact.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

full_stdout() {
  STATUS=0
  "$NIANBAO" "$@" > /dev/full 2> stderr.txt || STATUS=$?
}

test_check_to_a_full_disk_is_an_error() {
  full_stdout check "$EX"
  expect_status 2 && expect_stderr "无法写入标准输出"
}

test_check_json_to_a_full_disk_is_an_error() {
  full_stdout check --json "$EX"
  expect_status 2 && expect_stderr "无法写入标准输出"
}

test_listings_to_a_full_disk_are_errors() {
  local c
  for c in rules formats plugins; do
    full_stdout "$c"
    expect_status 2 && expect_stderr "无法写入标准输出" || return 1
  done
}

test_render_to_a_full_disk_is_an_error() {
  full_stdout render "$EX" --to md
  expect_status 2 && expect_stderr "无法写入标准输出"
}

test_output_keeps_the_mode_of_the_file_it_replaces() {
  echo old > out.md
  chmod 600 out.md
  run render "$EX" --force -o out.md || return 1
  expect_status 0
  [ "$(stat -c %a out.md)" = 600 ] || fail "mode became $(stat -c %a out.md)"
  grep -q "示例县交通运输局" out.md || fail "out.md not written"
}

test_new_output_gets_the_usual_mode() {
  (umask 022; "$NIANBAO" render "$EX" --force -o out.md 2> /dev/null) || fail "render failed"
  [ "$(stat -c %a out.md)" = 644 ] || fail "mode $(stat -c %a out.md)"
}

test_symlink_target_is_not_replaced() {
  echo precious > real.md
  ln -s real.md link.md
  run render "$EX" --force -o link.md || return 1
  expect_status 2 && expect_stderr "link.md: 是符号链接"
  [ -L link.md ] && [ "$(cat real.md)" = precious ] || fail "the link or its file changed"
}

test_directory_target_is_refused() {
  mkdir out.md
  run render "$EX" --force -o out.md || return 1
  expect_status 2 && expect_stderr "out.md: 是目录"
  [ -d out.md ] || fail "directory gone"
}

# a FIFO of our own, not a device: a build without this check run as root
# would otherwise replace /dev/full itself with a regular file
test_fifo_target_is_refused() {
  mkfifo out.md
  run render "$EX" --to md --force -o out.md || return 1
  expect_status 2 && expect_stderr "out.md: 不是普通文件"
  [ -p out.md ] || fail "the FIFO was replaced"
}

test_hard_linked_target_is_refused() {
  echo precious > a.md
  ln a.md b.md
  run render "$EX" --force -o b.md || return 1
  expect_status 2 && expect_stderr "b.md: 有多个硬链接"
  [ "$(cat a.md)" = precious ] || fail "a.md changed"
}

test_no_temporary_file_is_left_on_error() {
  mkdir out.md
  run render "$EX" --force -o out.md || return 1
  ln -s x link.md
  run render "$EX" --force -o link.md || return 1
  [ -z "$(ls | grep tmp)" ] || fail "temporary files left: $(ls)"
}

# a renderer returning MB megabytes, to have time to kill it in the middle
big_renderer() {
  plugin big.lua <<'EOF'
local host = ...
host.renderer { id = "big", description = "big", extension = "big",
  render = function() return string.rep("0123456789abcdef", 4 * 65536) end }
EOF
}

test_kill_9_mid_write_leaves_the_previous_file_intact() {
  big_renderer
  echo previous > out.big
  local i pid size
  for i in 1 2 3 4 5 6 7 8; do
    "$NIANBAO" render "$EX" --plugin-dir plugins --force -o out.big 2> /dev/null & pid=$!
    sleep "0.0$i"
    kill -9 "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    size=$(stat -c %s out.big)
    [ "$(cat out.big | head -c 8)" = previous ] || [ "$size" -eq $((16 * 4 * 65536)) ] ||
      { fail "out.big is half written ($size bytes) after kill -9"; return 1; }
    rm -f out.big.tmp*  # a kill -9 cannot clean up; the next run must not mind
  done
}

test_sigterm_mid_write_removes_the_temporary_file() {
  big_renderer
  echo previous > out.big
  local i pid
  for i in 1 2 3 4 5 6 7 8; do
    "$NIANBAO" render "$EX" --plugin-dir plugins --force -o out.big 2> /dev/null & pid=$!
    sleep "0.0$i"
    kill -TERM "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    [ -z "$(ls | grep 'out.big.tmp')" ] || { fail "temporary file left after SIGTERM: $(ls)"; return 1; }
    [ "$(head -c 8 out.big)" = previous ] || [ "$(stat -c %s out.big)" -eq $((16 * 4 * 65536)) ] ||
      { fail "out.big half written"; return 1; }
  done
}

# the same, at the one instant that matters: SIGTERM arrives the moment the
# temporary file exists (tests/preload/term_after_mkstemp.c, preloaded),
# before the writer has even learnt its name
test_sigterm_as_the_temporary_file_is_created_removes_it() {
  echo previous > out.html
  local status=0
  ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
    LD_PRELOAD="$NB_BUILD/tests/term_after_mkstemp.so" \
    "$NIANBAO" render "$EX" --force -o out.html 2> stderr.txt || status=$?
  [ "$status" -eq 143 ] || { fail "expected death by SIGTERM (143), got $status: $(head -3 stderr.txt)"; return 1; }
  [ -z "$(ls | grep 'out.html.tmp')" ] || { fail "temporary file left after SIGTERM: $(ls)"; return 1; }
  [ "$(cat out.html)" = previous ] || { fail "out.html changed"; return 1; }
}

# a device node given as -o: refused, and the device stays.  /dev/full
# itself only when not root (root could replace it if the check broke); as
# root a node of our own made with mknod (the same device as /dev/null).
test_device_target_is_refused() {
  if [ "$(id -u)" -ne 0 ]; then
    run render "$EX" --to md --force -o /dev/full || return 1
    expect_status 2 && expect_stderr "/dev/full: 不是普通文件" || return 1
    [ -c /dev/full ] || fail "/dev/full is no longer a device"
    return
  fi
  mknod dev.md c 1 3 || { fail "mknod failed"; return 1; }
  run render "$EX" --to md --force -o dev.md || return 1
  expect_status 2 && expect_stderr "dev.md: 不是普通文件" || return 1
  [ -c dev.md ] || fail "the device node was replaced"
  [ -z "$(ls | grep tmp)" ] || fail "temporary files left: $(ls)"
}

test_every_listing_and_check_to_a_full_disk_names_the_failure() {
  # standard output on a full disk, with the JSON and human forms of check
  # and a batch render to stdout-less outputs: exit 2 and the message, never 0
  local args
  for args in "check $EX" "check --json $EX" "check -q $EX" "rules" "rules --markdown" "formats" "plugins" "render $EX --to json" "render $EX --to html"; do
    full_stdout $args
    expect_status 2 && expect_stderr "无法写入标准输出" || { fail "$args"; return 1; }
  done
}

test_after_kill_9_only_the_temporary_file_may_remain() {
  # what README.md documents: OUT is whole (old or new), and at most one
  # OUT.tmpXXXXXX is left, which the next render ignores
  big_renderer
  echo previous > out.big
  local pid
  "$NIANBAO" render "$EX" --plugin-dir plugins --force -o out.big 2> /dev/null & pid=$!
  sleep 0.05
  kill -9 "$pid" 2> /dev/null || true
  wait "$pid" 2> /dev/null || true
  [ "$(ls | grep -v -e '^out\.big$' -e '^out\.big\.tmp......$' -e '^plugins$' -e '\.txt$' | wc -l)" -eq 0 ] ||
    { fail "unexpected files after kill -9: $(ls)"; return 1; }
  [ "$(ls | grep -c '^out\.big\.tmp')" -le 1 ] || { fail "more than one temporary file: $(ls)"; return 1; }
  run render "$EX" --plugin-dir plugins --force -o out.big || return 1
  expect_status 0 && [ "$(stat -c %s out.big)" -eq $((16 * 4 * 65536)) ] || fail "the render after the kill failed"
}
