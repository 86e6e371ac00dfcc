# host.text_rows and host.trim (host/text/text_scan.c) give exactly what the text
# importer's former Lua tokenizer and trim gave, on real reports and on
# thousands of random variations (tests/plugins/text-scan).

DIFF_PLUGINS="$NB_ROOT/tests/plugins/text-scan"

diff_check() { # file: exit 1 (empty report's findings) means every comparison agreed
  run check -q --via text-scan-diff --plugin-dir "$DIFF_PLUGINS" "$1" || return 1
  [ "$STATUS" -eq 1 ] || fail "text-scan-diff did not agree (status $STATUS)"
}

test_text_rows_matches_lua_tokenizer_on_shanggao() { need_corpus; diff_check "$NB_CORPUS/shanggao-commerce-2023.txt"; }
test_text_rows_matches_lua_tokenizer_on_example() { diff_check "$NB_ROOT/examples/example-county-transport-2024.txt"; }
test_text_rows_matches_lua_tokenizer_on_pingtan() { need_corpus; diff_check "$NB_CORPUS/pingtan-2021-flattened.txt"; }

test_text_rows_matches_lua_tokenizer_on_random_text() {
  for seed in 1 2 3; do
    printf 'SEED %s\n\ta\tb\n\t一\n二\n' "$seed" > seed.txt
    diff_check seed.txt || return 1
  done
}

test_text_rows_difference_is_reported() {
  # the comparison itself must be able to fail: a plugin that swaps in a
  # wrong text_rows is caught
  mkdir wrong
  sed 's/host.text_rows(text, LAYOUT)/(function(t, l) local r = host.text_rows(t, l); r[#r + 1] = { kind = "text", text = "x", line = 0 }; return r end)(text, LAYOUT)/' \
    "$DIFF_PLUGINS/text_scan_diff.lua" > wrong/diff.lua
  grep -q 'r\[#r + 1\]' wrong/diff.lua || fail "could not alter the plugin"
  run check -q --via text-scan-diff --plugin-dir wrong "$NB_ROOT/examples/example-county-transport-2024.txt" || return 1
  expect_status 2 && expect_stderr "text_rows differs from the Lua tokenizer"
}
