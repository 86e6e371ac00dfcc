# The text importer's layout is data in its plugin (plugins/importers/text.lua,
# host.text_layout): a copy of the plugin that accepts "第一部分" headings reads
# a report written with them, on the fast path (host.text_place) and on the
# importer's own loop alike, and the stock importer does not; a bad layout
# is refused naming its field.  The preamble's contact line (地址, 电话,
# 邮编) is read with colons wide or narrow, as a match over the text with
# its wide marks narrowed reads it.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# the example with its level-1 headings written "第一部分　…"
part_headings() {
  sed -e 's/^一、/第一部分　/' -e 's/^二、/第二部分　/' -e 's/^三、/第三部分　/' \
      -e 's/^四、/第四部分　/' -e 's/^五、/第五部分　/' -e 's/^六、/第六部分　/' "$EX"
}

# the text importer as importer "text-part", with one more level-1 heading form
part_plugin() {
  mkdir -p plugins
  sed -e 's/id = "text",/id = "text-part",/' \
      -e 's/^    { level = 1, ordinals = ORDINALS, after = "、", max_bytes = 120 },$/&\n    { level = 1, before = "第", ordinals = ORDINALS, after = "部分", max_bytes = 120 },/' \
      "$NB_ROOT/plugins/importers/text.lua" > plugins/text-part.lua
  grep -q 'after = "部分"' plugins/text-part.lua && grep -q 'id = "text-part"' plugins/text-part.lua ||
    fail "could not make the edited plugin"
}

test_stock_importer_does_not_read_part_headings() {
  part_headings > r.txt
  run check --json r.txt
  [ "$STATUS" -ne 0 ] || fail "the stock importer read 第一部分 headings (the test below would prove nothing)"
}

test_edited_plugin_reads_part_headings_on_the_fast_path() {
  part_headings > r.txt
  part_plugin
  run check --json --via text-part --plugin-dir plugins r.txt
  expect_status 0 && expect_findings
  run render --to json --via text-part --plugin-dir plugins r.txt
  expect_status 0
  grep -q '"heading":	"第三部分　收到和处理政府信息公开申请情况"' stdout.txt || fail "the section heading was not read"
  cp stdout.txt fast.json
  # the importer's own loop (no text_place) reads it the same
  NIANBAO_TEXT_PLACE=0 run render --to json --via text-part --plugin-dir plugins r.txt
  cmp -s fast.json stdout.txt || fail "fast path and the importer's loop differ: $(diff fast.json stdout.txt | head -5)"
}

test_edited_plugin_reads_the_stock_report_too() {
  part_plugin
  run render --to json --via text-part --plugin-dir plugins "$EX"
  cp stdout.txt part.json
  run render --to json "$EX"
  cmp -s part.json stdout.txt || fail "the edited importer reads the example differently"
}

test_bad_layout_is_refused_with_its_field() {
  plugin bad.lua <<'LUA'
local host = ...
host.text_layout { headings = { { level = 3, ordinals = "一", after = "、", max_bytes = 10 } }, published = {},
  bookmark = { open = "[", close = "]" }, continuation_chars = 10, mark_cell_bytes = 160, mark_line_bytes = 64 }
LUA
  run formats --plugin-dir plugins
  expect_status 2 && expect_stderr "plugins/bad.lua:2:" && expect_stderr "host.text_layout：'level' 应为 1 到 2 的整数"
}

# The 落款 closing the last section (the unit's name, a date, blank lines) is
# no section text; a date or other line before it stays.
test_text_closing_signature_is_not_section_text() {
  { cat "$EX"; printf '\n2024年3月1日\n附：说明\n\n示例县交通运输局\n2025年1月20日\n\n'; } > signed.txt
  run render signed.txt --to json || return 1
  expect_status 0 || return 1
  local last
  last=$(python3 -c 'import json,sys; print(json.load(open("stdout.txt"))["sections"][-1]["text"])') || return 1
  case $last in
    *"2024年3月1日
附：说明") ;;
    *) fail "the last section does not end with the lines before the 落款: $(printf '%s' "$last" | tail -3)"; return 1 ;;
  esac
  ! printf '%s' "$last" | grep -q "2025年1月20日\|^示例县交通运输局$" || fail "the 落款 stayed in the section text"
}

# the example with its contact line (line 4's （地址：…）) given as $1, lines
# joined by \n; the address, phone and postcode render --to json reads
contact_of() {
  awk -v L="$1" 'NR == 4 { n = split(L, p, "\\\\n"); for (i = 1; i <= n; i++) print p[i]; next } { print }' "$EX" > c.txt
  run render c.txt --to json || return 1
  expect_status 0 || return 1
  python3 -c 'import json; m = json.load(open("stdout.txt"))["meta"]; print("%r|%r|%r" % (m.get("address"), m.get("phone"), m.get("postcode")))'
}
expect_contact() { # line expected
  local got
  got=$(contact_of "$1") || return 1
  [ "$got" = "$2" ] || fail "contact line $1: read $got, expected $2"
}

test_contact_line_is_read_with_wide_or_narrow_marks() {
  expect_contact '请联系（地址：锦江路132号，电话：0795-2515274，邮编：333843）。' \
    "'锦江路132号'|'0795-2515274'|'333843'" || return 1
  expect_contact '请联系(地址:人民路1号,电话:0791-1234567,邮编:330000)。' "'人民路1号'|'0791-1234567'|'330000'" || return 1
  # the first of each word whose value reads: an empty address, a phone
  # without digits and a five-digit postcode passed over
  expect_contact '地址：，电话：无。另设地址：二号路5号；电话：0791-7654321-；邮编：33000 邮编： 330001。' \
    "'二号路5号'|'0791-7654321'|'330001'" || return 1
  # white space alone before a comma is the address; a tab before the phone
  expect_contact '地址： ，电话：	0791-1；邮编：3300001' "' '|'0791-1'|'330000'" || return 1
  # 。 and ： narrowed inside the address, which 、 ends; a phone in （） is none
  expect_contact '联系地址：甲路。乙楼：3层、电话：（0791）8888888，电话:0791-2' "'甲路.乙楼:3层'|'0791-2'|None" || return 1
  # an address without its end runs over lines to the next comma
  expect_contact '通讯地址：府前路 8 号\n附近楼\n电话：-，电话：8' "'府前路 8 号\\n附近楼\\n电话:-'|None|None"
}
