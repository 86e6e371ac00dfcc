# Text not in UTF-8 (issue 8, item 5): Word's 另存为纯文本 on Chinese Windows
# writes GBK with CRLF line ends; other tools write UTF-16 with a BOM.  Every
# text importer (published text, nianbao's Markdown, OCR/PDF pipe text,
# crawled flattened text) converts it and says so in one IMPORT-ENCODING
# info line; the cells are those of the UTF-8 file.
EX="$NB_ROOT/examples/example-county-transport-2024.txt"
FLAT="$NB_ROOT/tests/fixtures/signed-2020-flattened.txt"

gbk_crlf() { iconv -f UTF-8 -t GBK "$1" | sed 's/$/\r/'; }
utf16() { printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$1"; }
tables_of() { sed -n '/^	"tables":/,$p' "$1"; }

# same_tables FILE-UTF8 FILE-CONVERTED ENCODING
same_tables() {
  "$NIANBAO" render "$1" --to json > want.json 2>/dev/null
  run render "$2" --to json || return 1
  tables_of want.json > want.txt; tables_of stdout.txt > got.txt
  [ -s want.txt ] && cmp want.txt got.txt || { fail "$2: the cells differ from the UTF-8 file's"; return 1; }
  run check --json "$2" || return 1
  expect_stdout '"rule":	"IMPORT-ENCODING"' && expect_stdout "已按 $3 编码读取" || return 1
  [ "$(grep -c '"rule":	"IMPORT-ENCODING"' stdout.txt)" -eq 1 ] || fail "one IMPORT-ENCODING line, not $(grep -c IMPORT-ENCODING stdout.txt)"
}

test_word_plain_text_in_gbk_reads_as_utf8() {
  gbk_crlf "$EX" > gbk.txt
  same_tables "$EX" gbk.txt GB18030
}

test_text_in_utf16_reads_as_utf8() {
  utf16 "$EX" > u16.txt
  same_tables "$EX" u16.txt UTF-16LE
}

test_nianbao_markdown_in_gbk_and_utf16() {
  "$NIANBAO" render "$EX" --to md > own.md
  iconv -f UTF-8 -t GB18030 own.md > gbk.md
  same_tables own.md gbk.md GB18030 || return 1
  utf16 own.md > u16.md
  same_tables own.md u16.md UTF-16LE && expect_no_stdout IMPORT-PIPE
}

test_pdf_markdown_text_in_utf16() {
  "$NIANBAO" render "$EX" --to md | awk -f "$NB_ROOT/tests/fixtures/pdf2md.awk" > pdf.md
  utf16 pdf.md > u16.txt
  same_tables pdf.md u16.txt UTF-16LE && expect_stdout IMPORT-PIPE
}

test_crawled_text_in_gbk() {
  iconv -f UTF-8 -t GB18030 "$FLAT" > gbk.txt
  same_tables "$FLAT" gbk.txt GB18030 && expect_stdout IMPORT-SPLIT
}

test_bytes_that_are_no_text_are_refused() {
  head -c 3000 /dev/urandom > bad.txt
  printf '\000\001\002' >> bad.txt
  run check bad.txt || return 1
  expect_status 2
}
