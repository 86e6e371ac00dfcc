# libxml2, libzip and libxlsxwriter are opened when first used
# (host/base/lazy_lib.h), so that a command that reads no .docx, .xlsx or
# web page does not load them (nor ICU and libcrypto behind them), nor
# libsqlite3 unless it uses a store or an SQLite register; a library
# that cannot be found, or lacks a function, is one Chinese line, exit 2.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# the shared objects the dynamic loader opened for a command (LD_DEBUG)
loaded_libs() {
  LD_DEBUG=files "$NIANBAO" "$@" 2>&1 >/dev/null | sed -n 's/.*file=\([^ ]*\) .*generating link map.*/\1/p; s/.*file=\([^ ]*\) .*\[0\];  dynamically loaded by.*/\1/p' | sort -u
}

test_text_check_loads_no_document_library() {
  loaded_libs check "$EX" > libs.txt
  grep -q 'libc\.so' libs.txt || { cat libs.txt; fail "LD_DEBUG shows no library at all"; return 1; }
  for l in libxml2 libzip libxlsxwriter libicuuc libcrypto libsqlite3; do # (libcrypto: SHA-256, for add)
    grep -q "$l" libs.txt && fail "check of a text report loaded $l"
  done
  return 0
}

test_documents_load_their_library_when_read() {
  run render --force "$EX" -o r.docx || return 1
  run render --force "$EX" -o r.html || return 1
  run new --agency 示例县交通运输局 --year 2024 -o r.xlsx || return 1
  loaded_libs check r.docx > docx.txt
  grep -q libzip docx.txt || fail "check of a .docx did not load libzip"
  grep -q libxml2 docx.txt || fail "check of a .docx did not load libxml2"
  loaded_libs check r.html > html.txt
  grep -q libxml2 html.txt || fail "check of a web page did not load libxml2"
  grep -q libzip html.txt && fail "check of a web page loaded libzip"
  loaded_libs new --agency 甲 --year 2024 -o s.xlsx > xlsx.txt
  grep -q libxlsxwriter xlsx.txt || fail "writing a spreadsheet did not load libxlsxwriter"
  run check r.docx r.html r.xlsx || return 1
  expect_status 0 && expect_stdout "3 个报告：0 个错误"
}

test_store_loads_sqlite_when_used() {
  NIANBAO_DB=$PWD/region.db loaded_libs add "$EX" > add.txt
  grep -q libsqlite3 add.txt || fail "add did not load libsqlite3"
  NIANBAO_DB=$PWD/region.db run ls || return 1
  expect_status 0 && expect_stdout "示例县交通运输局"
}

test_missing_library_function_is_one_chinese_line() {
  command -v cc > /dev/null || { echo "skipped: no C compiler"; exit 77; }
  mkdir fake
  echo 'int nb_nothing_here;' > fake/x.c
  cc -shared -fPIC -o fake/libxml2.so.2 fake/x.c || { fail "cannot build the stand-in library"; return 1; }
  run render --force "$EX" -o r.html || return 1
  LD_LIBRARY_PATH=$PWD/fake run check r.html || return 1
  expect_status 2 && expect_stderr "系统库缺少函数" && expect_stderr "libxml2" && expect_stderr "请安装 Debian 软件包 libxml2"
}

# the processes that ran a library's initialisation (LD_DEBUG's "calling
# init" lines carry the process id), counted
inits_of() {
  LD_DEBUG=files "$NIANBAO" "${@:2}" 2>&1 >/dev/null | grep "calling init:.*$1" | awk '{print $1}' | sort -u | wc -l
}

# check -j 2 (and add -j 2) of a batch of .docx: the importer declares
# `--: libraries xml2 zip`, so the parent opens them before the workers
# fork and they share that one load, instead of each loading them again
test_workers_share_the_libraries_the_first_files_importer_declares() {
  local i
  run render --force "$EX" -o r.docx || return 1
  for i in 1 2 3 4 5 6 7 8; do cp r.docx "r$i.docx"; done
  [ "$(inits_of libxml2 check -q -j 2 r?.docx)" = 1 ] || fail "libxml2 loaded by more than one process of check -j 2"
  [ "$(inits_of libzip check -q -j 2 r?.docx)" = 1 ] || fail "libzip loaded by more than one process of check -j 2"
  [ "$(NIANBAO_DB=$PWD/region.db inits_of libxml2 add -q -j 2 r?.docx)" = 1 ] ||
    fail "libxml2 loaded by more than one process of add -j 2"
  run check -q -j 2 "$EX" "$EX" || return 1
  [ "$(inits_of libxml2 check -q -j 2 "$EX" "$EX")" = 0 ] || fail "a batch of text reports loaded libxml2"
  run check -j 2 r?.docx || return 1
  expect_status 0 && expect_stdout "8 个报告：0 个错误"
}

test_declared_library_must_be_known() {
  copy_data
  sed -i 's/^--: libraries xml2 zip$/--: libraries xml2 libfoo/' data/plugins/importers/docx.lua
  NIANBAO_DATA_DIR=$PWD/data run check "$EX" || return 1
  expect_status 2 && expect_stderr "docx.lua:5: 无法理解这一行声明" && expect_stderr "libraries"
}
