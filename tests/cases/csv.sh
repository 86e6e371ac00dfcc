# The CSV importer: wide and long layouts, the encodings Excel and WPS save,
# cells as real sheets write them, and bad files refused with file, line and
# column (exit 2, nothing written).

FIX="$NB_ROOT/tests/fixtures"
EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"
SG="$NB_CORPUS/shanggao-commerce-2023.txt"

# the "tables" part of a report rendered as JSON (up to its closing brace)
tables_of() { "$NIANBAO" render "$@" --to json | sed -n '/^	"tables":/,/^	}/p' | sed '$s/},$/}/'; }

same_tables() { # csv-file text-file [options]
  local csv=$1 txt=$2; shift 2
  tables_of "$txt" > want.json && tables_of "$csv" "$@" > got.json || fail "render failed" || return 1
  [ -s want.json ] && diff want.json got.json > diff.txt || { cat diff.txt; fail "tables differ: $csv"; }
}

test_gbk_wide_csv_of_shanggao_has_its_tables() {
  need_corpus
  iconv -f UTF-8 -t GBK "$FIX/shanggao-2023-wide.csv" > sg.csv || return 1
  ! iconv -f UTF-8 -t UTF-8 sg.csv >/dev/null 2>&1 || fail "the test file should not be UTF-8" || return 1
  same_tables sg.csv "$SG" || return 1
  run check --json sg.csv || return 1
  expect_status 0 && expect_findings && expect_stdout '"agency":	"上高县商务局"' && expect_stdout '"year":	2023'
}

test_tables_only_survives_json() {
  # a sheet holds tables, no narrative: saved as JSON it still is not
  # checked for missing sections
  "$NIANBAO" render "$FIX/example-2024-wide.csv" --to json > sheet.json 2>/dev/null || fail "render failed" || return 1
  grep -q '"tables_only":	true' sheet.json || fail "tables_only not written" || return 1
  run check --json sheet.json || return 1
  expect_status 0 && expect_findings
}

test_template_and_canonical_layouts_read_the_same_cells() {
  same_tables "$FIX/example-2024-template.csv" "$EXAMPLE" &&
    same_tables "$FIX/example-2024-wide.csv" "$EXAMPLE"
}

test_utf8_bom_and_tab_separated_files() {
  { printf '\xef\xbb\xbf'; cat "$FIX/example-2024-wide.csv"; } > bom.csv
  same_tables bom.csv "$EXAMPLE" || return 1
  tr ',' '\t' < "$FIX/example-2024-wide.csv" > tabs.tsv
  same_tables tabs.tsv "$EXAMPLE"
}

# line of the record starting with $2 in file $1
rec_line() { grep -n "^$2" "$1" | head -1 | cut -d: -f1; }

test_cells_as_sheets_write_them() {
  local f="$FIX/example-2024-wide.csv" l
  l=$(rec_line "$f" "（一）予以公开")
  # full-width digits, a thousands separator, a dash, a blank
  replace_line "$f" "$l" "（一）予以公开,４,1,0,—,,0,5,,,,,,,," > c.csv
  run render c.csv --to json || return 1
  expect_status 0 && expect_stdout '"natural":	"４"' && expect_stdout '"social":	"—"' &&
    expect_stdout '"legal":	null' || return 1
  run check --json c.csv || return 1
  expect_status 0 && expect_findings CELL-BLANK && expect_finding_field CELL-BLANK column legal
}

test_unit_in_a_cell_is_converted_and_noted() {
  local f="$FIX/example-2024-wide.csv" l
  l=$(rec_line "$f" "行政事业性收费")
  replace_line "$f" "$l" "行政事业性收费,\"3,500元\",,,,,,,,,,,,,," > u.csv
  run check --json u.csv || return 1
  expect_status 0 && expect_findings IMPORT-UNIT && expect_finding_field IMPORT-UNIT expected 0.35 &&
    expect_finding_field IMPORT-UNIT actual "3,500元" && expect_finding_field IMPORT-UNIT severity info
}

test_a_wrong_cell_gives_exactly_its_findings() {
  local f="$FIX/example-2024-wide.csv" l
  l=$(rec_line "$f" "一、本年新收")
  replace_line "$f" "$l" "一、本年新收政府信息公开申请数量,9,2,0,0,1,0,11,,,,,,,," > m.csv
  run check --json m.csv || return 1
  # T3-BAL and T3-COL break; one cell explains both
  expect_status 1 && expect_findings ROOT-CELL && expect_finding_field ROOT-CELL row new &&
    expect_finding_field ROOT-CELL column natural && expect_finding_field ROOT-CELL expected 8
}

# bad input: exit 2, the message names file:line and column, nothing written
expect_refused() { # file message-fragment
  run render "$1" -o out.md || return 1
  expect_status 2 && expect_stderr "$2" || return 1
  [ ! -e out.md ] || fail "out.md was written"
}

test_unterminated_quote_is_refused() {
  local f="$FIX/example-2024-wide.csv" l
  l=$(rec_line "$f" "（一）予以公开")
  replace_line "$f" "$l" "\"（一）予以公开,4,1,0,0,0,0,5,,,,,,,," > q.csv
  expect_refused q.csv "q.csv:$l: 第1列：引号没有闭合"
}

test_ragged_row_is_refused() {
  local f="$FIX/example-2024-wide.csv" l
  l=$(rec_line "$f" "（一）予以公开")
  replace_line "$f" "$l" "（一）予以公开,4,1,0,0,0,0,5,,,,,,," > r.csv
  expect_refused r.csv "r.csv:$l: 第15列：这一行有 15 列，而第 1 行有 16 列"
}

test_wrong_encoding_is_refused() {
  printf '\xb1\xed\xc8\xfd,\xa4\x40\xa1\x42\xa5\xbb\xa6\x7e\xb7\x73\xa6\xac\n' > big5.csv # 表三,一、本年新收 in Big5
  expect_refused big5.csv "big5.csv:1: 无法确定文件编码" || return 1
  { cat "$FIX/example-2024-wide.csv"; printf 'Caf\xe9,,,,,,,,,,,,,,,\n'; } > latin.csv
  expect_refused latin.csv "latin.csv:52: 文件是 UTF-8 编码，但这一行含有不是 UTF-8 的字节"
}

test_unknown_row_label_is_refused() {
  local f="$FIX/example-2024-wide.csv" l
  l=$(rec_line "$f" "（一）予以公开")
  replace_line "$f" "$l" "（一）予以公布,4,1,0,0,0,0,5,,,,,,,," > u.csv
  expect_refused u.csv "u.csv:$l: 第1列：“（一）予以公布”不是格式 gov-2021 中任何表格的行名称"
}

test_values_beyond_the_row_and_header_mismatch_are_refused() {
  local f="$FIX/example-2024-wide.csv" l
  l=$(rec_line "$f" "（一）予以公开")
  replace_line "$f" "$l" "（一）予以公开,4,1,0,0,0,0,5,3,,,,,,," > x.csv
  expect_refused x.csv "x.csv:$l: 第9列：“（一）予以公开”只有7个数值" || return 1
  l=$(rec_line "$f" "（本列数据")
  replace_line "$f" "$l" ",商业企业,自然人,科研机构,社会公益组织,法律服务机构,其他,总计,,,,,,,," > h.csv
  expect_refused h.csv "h.csv:$l: 第2列：表头“商业企业”与这里应有的列“自然人”不符"
}

test_long_layout_with_ids_and_labels() {
  printf 'table,row,column,value\nmeta,year,,2023\nmeta,agency,,测试局\nt3,new,natural,3\n表三,一、本年新收政府信息公开申请数量,总计,3\nt4,cases,行政诉讼／复议后起诉／总计,2\n' > long.csv
  run render long.csv --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"测试局"' && expect_stdout '"after_total":	"2"' &&
    expect_stdout '"total":	"3"' && expect_stdout '"natural":	"3"' && expect_stdout '"commercial":	null' || return 1
  printf 'table,row,column,value\nmeta,year,,2023\nt4,cases,总计,1\n' > amb.csv
  expect_refused amb.csv "amb.csv:3: 第3列：列名“总计”在表四" || return 1
  printf 'table,row,column,value\nmeta,year,,2023\nt3,new,natural,1\nt3,new,自然人,2\n' > dup.csv
  expect_refused dup.csv "dup.csv:4: 第4列：单元格 t3.new.natural 出现了两次（第一次在第3行）"
}

test_year_comes_from_the_title_or_year_option() {
  grep -v '年度报告' "$FIX/example-2024-wide.csv" > notitle.csv
  expect_refused notitle.csv "或用 --year 2023" || return 1
  same_tables notitle.csv "$EXAMPLE" --year 2024 || return 1
  run check --year 20x4 notitle.csv || return 1
  expect_status 2 && expect_stderr "--year 20x4：年度应为四位数的年份" || return 1
  run check --help || return 1
  expect_stdout "--year YEAR" && run render --help && expect_stdout "--year YEAR"
}

test_plugins_lists_the_csv_importer() {
  run plugins || return 1
  expect_status 0 && expect_stdout "csv " && expect_stdout "[.csv .tsv]"
}

test_csv_renderer_output_reads_back_to_the_same_cells() {
  need_corpus
  for src in "$EXAMPLE" "$SG" "$NB_CORPUS/shanghai-govoffice-2019.txt"; do
    "$NIANBAO" render "$src" --to csv -o r.csv --force 2>/dev/null || fail "render --to csv" || return 1
    same_tables r.csv "$src" || return 1
    iconv -f UTF-8 -t GB18030 r.csv > gbk.csv && same_tables gbk.csv "$src" || return 1
  done
  "$NIANBAO" render "$EXAMPLE" --to csv -o r.csv --force 2>/dev/null
  run check --json r.csv || return 1
  expect_status 0 && expect_findings
}

test_title_variants_name_the_same_agency_in_csv_and_text() {
  # a leading ideographic space, 年度 after the year, the shorter 年度报告 wording:
  # lib/title.lua reads every importer's title the same way
  { printf '\xe3\x80\x80示例县交通运输局2024年度政府信息公开年度报告,,,,,,,,,,,,,,,\n'
    tail -n +2 "$FIX/example-2024-wide.csv"; } > variant.csv
  run render variant.csv --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局"' && expect_stdout '"title_year":	2024' || return 1
  sed '1s/.*/　示例县交通运输局2024年度政府信息公开年度报告/; 2d' "$EXAMPLE" > variant.txt
  run render variant.txt --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局"' && expect_stdout '"title_year":	2024'
}

# A file its head holds whole is parsed once: the records detect read are the
# import's.  The same report whether detect read it or not (--via skips
# detect), in each encoding; and files checked one after another in one
# process each give their own findings.
test_records_detect_read_are_those_of_the_file() {
  local f="$FIX/example-2024-wide.csv"
  { printf '\xef\xbb\xbf'; cat "$f"; } > bom.csv
  iconv -f UTF-8 -t GB18030 "$f" > gbk.csv || return 1
  { printf '\xff\xfe'; tr ',' '\t' < "$f" | iconv -f UTF-8 -t UTF-16LE; } > u16.csv || return 1
  # a head of empty records (skipped) longer than detect is given
  { for i in $(seq 300); do echo ',,,,,,,,,,,,,,,'; done; cat "$f"; } > long.csv
  perl -pe 'chomp if eof' "$f" > open.csv # no line end after the last record
  for c in "$f" bom.csv gbk.csv u16.csv long.csv open.csv; do
    "$NIANBAO" render "$c" --to json > a.json 2>/dev/null || fail "render $c" || return 1
    "$NIANBAO" render --via csv "$c" --to json > b.json 2>/dev/null || fail "render --via csv $c" || return 1
    cmp -s a.json b.json || { diff a.json b.json | head; fail "$c read otherwise after detect"; } || return 1
  done
  sed 's/^（七）总计,8,/（七）总计,9,/' "$f" > other.csv
  cmp -s "$f" other.csv && fail "other.csv should differ" && return 1
  for c in "$f" other.csv gbk.csv; do "$NIANBAO" check "$c" | { grep "^$c" || true; } >> one.txt; done
  [ -s one.txt ] || fail "other.csv gives no finding" || return 1
  "$NIANBAO" check -j 1 "$f" other.csv gbk.csv | { grep -e "^$f" -e "^other.csv" -e "^gbk.csv" || true; } > batch.txt
  cmp -s one.txt batch.txt || { diff one.txt batch.txt | head; fail "a file of the batch read another's records"; }
}

# A header record tells which table follows when no title does: 表四's
# values stand in a row without a label, placed by its header records alone
# (scored against every table's header words in one pass over the cells).
test_header_records_alone_choose_the_table() {
  "$NIANBAO" render "$EXAMPLE" --to csv -o r.csv 2>/dev/null || fail "render --to csv" || return 1
  grep -v '^表四' r.csv > untitled.csv
  [ "$(wc -l < untitled.csv)" -lt "$(wc -l < r.csv)" ] || fail "no 表四 title line to take out" || return 1
  same_tables untitled.csv "$EXAMPLE" || return 1
  # header records as many words of 表二 as of 表四: no table is chosen, and
  # the values row, under 表三 still, is told to have no label
  awk '/^表四/ { next } /^(行政复议|结果维持|,,,,,结果维持)/ { print "本年制发件数,结果维持,,,,,,,,,,,,,"; next } { print }' \
    r.csv > tie.csv
  run check tie.csv || return 1
  expect_status 2 && expect_stderr "这一行有数值，但没有行名称"
}

test_a_sheet_of_one_table_leaves_the_others_absent() {
  # tables only, table 2 alone: tables 3 and 4 were not in the file, so
  # nothing is said of their blank cells — from CSV and from Markdown alike
  # (the rows placed in a cell bundle, host.bundle_row, mark their tables given)
  sed '/^表三/,$d' "$FIX/example-2024-wide.csv" > t2.csv
  grep -q '^规章' t2.csv && ! grep -q '表三' t2.csv || fail "table 2 alone expected" || return 1
  run check --json t2.csv || return 1
  expect_status 0 && expect_findings || return 1
  "$NIANBAO" render t2.csv --to md -o t2.md 2>/dev/null || fail "render md" || return 1
  sed -i '/^\*\*表三/,$d' t2.md
  run check --json t2.md || return 1
  expect_status 0 && expect_findings
}

test_csv_place_places_only_records_it_is_sure_of() {
  # host.csv_place (host/api/csv_place.c) fills a cell bundle when every
  # record's meaning is certain, and gives nil — the importer then reads the
  # file in Lua — for a record it must leave to the importer
  plugin place.lua <<'EOF2'
local host = ...
local spec = { format = "gov-2021", meta = { ["年度"] = "year", ["填报人"] = nil }, title_word = "年度报告",
  titles = { ["表二"] = 1 }, blocks = {}, header = { ["本年制发件数"] = { 1 }, ["信息内容"] = { 1 } },
  rows = { ["规章"] = { { 1, 1, "regulations", true } }, ["其他"] = { { 1, 1, "normative", true }, { 2, 1, "x", true } } },
  tables = { { id = "t2", blocks = { { { ["本年制发件数"] = true }, {}, {} } } }, { id = "t3", blocks = { {} } } } }
local function rec(line, ...) return { line = line, ... } end
local CASES = {
  ok = { rec(1, "年度", "2022", "", ""), rec(2, "表二", "", "", ""), rec(3, "信息内容", "本年制发件数", "", ""),
    rec(4, "规章", "1", "2", "3") },
  extra = { rec(1, "规章", "1", "2", "3", "4") },             -- a value past the row's columns
  header = { rec(1, "表二", "", "", ""), rec(2, "信息内容", "本年废止件数", "", ""), rec(3, "规章", "1", "2", "3") }, -- another column's header
  pair = { rec(1, "填报人", "张三", "", ""), rec(2, "表二", "", "", ""), rec(3, "规章", "1", "2", "3") }, -- a key nianbao does not know
  meta_below = { rec(1, "规章", "1", "2", "3"), rec(2, "年度", "2022", "", "") }, -- metadata after the tables began
  twice = { rec(1, "规章", "1", "2", "3"), rec(2, "规章", "1", "2", "3") },
  no_label = { rec(1, "表二", "", "", ""), rec(2, "1", "2", "3", "") }, -- values without a label, table without unlabelled rows
  ambiguous = { rec(1, "其他", "1", "2", "3") },              -- a label of two tables, no table yet
  none = { rec(1, "表二", "", "", ""), rec(2, "信息内容", "本年制发件数", "", "") }, -- no row
}
host.importer { id = "place", description = "d", extensions = { "place" },
  import = function(src)
    local name = src.text:match("^(%S+)")
    local rows = CASES[name]
    local cells = host.csv_place(spec, rows, name == "ok" and 2 or 1)
    if not cells then host.input_error(1, "declined " .. name) end
    rows = nil
    local junk = {}
    for i = 1, 100000 do junk[i % 50 + 1] = string.format("x%d", i) end
    return { format = "gov-2021", meta = { year = 2022 }, cells = cells, tables_only = true }
  end }
EOF2
  echo ok > ok.place
  run render ok.place --plugin-dir plugins --to json || return 1
  expect_status 0 && expect_stdout '"issued":	"1"' && expect_stdout '"in_force":	"3"' || return 1
  for c in extra header pair meta_below twice no_label ambiguous none; do
    echo "$c" > "$c.place"
    run check "$c.place" --plugin-dir plugins || return 1
    expect_status 2 && expect_stderr "declined $c" || return 1
  done
}
