# A legacy report (before 2019: no national table) rendered to every page
# format keeps its free-form 统计表 (report.statistics): golden files, the
# table's cells in the HTML and the DOCX, the published text and the CSV
# read back as the same statistics, the page read back from Chromium, the
# DOCX's cells as LibreOffice sees them.
source "$NB_ROOT/tests/outputs_lib.sh"

LG="$NB_ROOT/tests/fixtures/legacy-2016.txt"   # 某局2016年…, its 统计表 TAB-separated

# the one-cell-a-line layout of FILE (a .docx saved as text): each cell of a
# TAB-separated line on a tab-indented line of its own, a blank line after
cells_layout() { awk -F'\t' 'NF > 1 { for (i = 1; i <= NF; i++) print "\t" $i; print ""; next } { print }' "$1"; }

# the statistics rows of FILE's 统计表 as "kind|text" per cell (the kinds
# lib/grid.lua gives them): the header row, then label, unit, values
expected_cells() {
  awk -F'\t' 'NF > 1 { for (i = 1; i <= NF; i++) print (n == 0 ? "head" : i <= 2 ? "label" : "number") "|" $i; n++ }' "$1"
}

# the "statistics" part of a report's canonical JSON
statistics_of() { "$NIANBAO" render "$@" --to json | sed -n '/^	"statistics":/,/}],$/p'; }

test_legacy_golden_outputs() {
  local ext
  for ext in txt csv html json; do
    run render "$LG" -o "legacy.$ext" || return 1
    expect_status 0 && expect_stderr "已写入 legacy.$ext（$ext）" && expect_golden "legacy.$ext" "legacy.$ext" || return 1
  done
  run render "$LG" -o legacy.docx || return 1
  expect_status 0 || return 1
  unzip -p legacy.docx word/document.xml > legacy.document.xml && expect_golden legacy.document.xml legacy.document.xml
}

test_legacy_txt_round_trip_keeps_the_statistics() {
  cells_layout "$LG" > cells.txt
  local src
  for src in "$LG" cells.txt; do
    "$NIANBAO" render "$src" --to txt > once.txt && "$NIANBAO" render once.txt --to txt > twice.txt || fail "render txt" || return 1
    cmp -s once.txt twice.txt || fail "text → model → text changed the text ($src)" || return 1
    expect_same_report "$src" once.txt || return 1
  done
  statistics_of once.txt > stats.json
  grep -qF '"label":	"（二）申请答复数"' stats.json && grep -qF '"values":	["", "17"]' stats.json ||
    fail "the statistics did not come back: $(cat stats.json)"
}

# a 统计表 without a 计量单位 column: no unit column is invented (the text
# importer would read an empty one as a value)
test_legacy_without_units_round_trips_through_txt() {
  { sed '/^指标名称/,$d' "$LG"; printf '项目\t本年度\t历年累计\n主动公开数\t56\t730\n收到申请数\t\t19\n'; } > nounit.txt
  run render nounit.txt --to txt || return 1
  expect_status 0 || return 1
  cp stdout.txt out.txt
  [ "$(grep -c '^	' out.txt)" -eq 9 ] || fail "expected 3 rows of 3 cells" || return 1
  expect_same_report nounit.txt out.txt || return 1
  run render nounit.txt --to html || return 1
  [ "$(html_cells stdout.txt statistics | tr '\n' ' ')" = "head|项目|1|1 head|本年度|1|1 head|历年累计|1|1 label|主动公开数|1|1 number|56|1|1 number|730|1|1 label|收到申请数|1|1 number||1|1 number|19|1|1 " ] ||
    fail "the HTML table is not label, values: $(html_cells stdout.txt statistics)"
}

test_legacy_html_table_holds_the_statistics() {
  run render "$LG" -o lg.html || return 1
  expect_status 0 || return 1
  expected_cells "$LG" > want.txt
  html_cells lg.html statistics | sed 's/|1|1$//' > got.txt
  diff want.txt got.txt || fail "the HTML statistics table differs from the report's 统计表" || return 1
  # the header row repeats on each printed page; values right-aligned
  perl -0777 -ne 'exit !(/<table id="statistics"[^>]*>\s*<colgroup>.*?<\/colgroup>\s*<thead>\s*<tr><th class="head">指标名称<\/th>/s)' lg.html ||
    fail "the statistics header row is not the table's <thead>" || return 1
  grep -qF '.report td.number { text-align: right; }' lg.html || fail "values are not right-aligned"
}

test_legacy_docx_table_holds_the_statistics() {
  run render "$LG" -o lg.docx || return 1
  expect_status 0 || return 1
  # each cell of the last table: its paragraph style and text
  unzip -p lg.docx word/document.xml | perl -0777 -ne '
    my @t = /<w:tbl>.*?<\/w:tbl>/gs; my $t = $t[-1];
    while ($t =~ /<w:tc>(.*?)<\/w:tc>/gs) { my $c = $1; my ($s) = $c =~ /pStyle w:val="(\w+)"/;
      my ($x) = $c =~ /<w:t(?: [^>]*)?>([^<]*)/; print "$s|", ($x // ""), "\n" }' > got.txt
  expected_cells "$LG" | sed 's/^head|/TableText|/; s/^label|/TableLabel|/; s/^number|/TableNumber|/' > want.txt
  diff want.txt got.txt || fail "the DOCX statistics table differs from the report's 统计表" || return 1
  unzip -p lg.docx word/document.xml | grep -q '<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr><w:tc><w:tcPr><w:tcW w:w="3095"' ||
    fail "the header row does not repeat, or the label column is not 35 % wide" || return 1
  unzip -p lg.docx word/styles.xml | grep -qF '<w:style w:type="paragraph" w:styleId="TableNumber"><w:name w:val="Table Number"/><w:basedOn w:val="TableText"/><w:pPr><w:jc w:val="right"/>' ||
    fail "no right-aligned TableNumber style"
}

test_legacy_csv_reads_back_as_the_same_statistics() {
  run render "$LG" -o lg.csv || return 1
  expect_status 0 || return 1
  statistics_of "$LG" > want.json && statistics_of lg.csv > got.json || fail "render json" || return 1
  [ -s want.json ] && diff want.json got.json || fail "the CSV does not read back as the same statistics" || return 1
  "$NIANBAO" render lg.csv --to csv | cmp -s - lg.csv || fail "csv → model → csv changed the file" || return 1
  run check --json lg.csv || return 1
  # a sheet: no rule about the narrative; the legacy note says how many rows were kept
  expect_status 0 && expect_findings FMT-LEGACY && expect_stdout '统计表的8行按原样保留'
}

test_legacy_csv_typed_by_hand() {
  # metadata records, spaces around cells, a row without a unit, an empty last field
  printf '标题,某局2016年政府信息公开工作年度报告,,\n年度,2016,,\n指标名称,计量单位,本年度,历年累计\n主动公开政府信息数 , 条 ,56,730\n备注,,无,\n收到申请数,件,2,\n' > hand.csv
  run render hand.csv --to json || return 1
  expect_status 0 && tr -d '\n\t' < stdout.txt > flat.txt || return 1
  grep -qF '{"label":"主动公开政府信息数","unit":"条","values":["56", "730"]}' flat.txt &&
    grep -qF '{"label":"备注","values":["无"]}' flat.txt &&
    grep -qF '{"label":"收到申请数","unit":"件","values":["2"]}' flat.txt &&
    grep -qF '"format":"legacy"' flat.txt || fail "hand-typed statistics misread: $(cat flat.txt)"
}

test_legacy_csv_without_rows_is_refused() {
  printf '某局2016年政府信息公开工作年度报告,,\n' > empty.csv
  run render empty.csv --to json || return 1
  expect_status 2 && expect_stderr_re 'empty\.csv:1: .*没有找到统计表的行' && [ ! -s stdout.txt ] || fail "an empty legacy sheet was accepted"
}

# the official tables under a pre-2019 title: read as statistics (nothing
# lost), and FMT-VER says the sheet is in the 2021 layout
test_legacy_csv_of_the_official_tables_warns() {
  sed 's/2024年/2018年/' "$NB_ROOT/tests/fixtures/example-2024-wide.csv" > old.csv
  run check --json old.csv || return 1
  expect_status 0 && expect_findings FMT-LEGACY FMT-VER && expect_finding_field FMT-VER actual gov-2021 &&
    expect_stdout '第4行“本年制发件数”'
}

# the text Chromium holds of the page (tests/html_text.pl: table rows TAB-separated) is the same report
test_legacy_html_in_chromium_reads_back() {
  run render "$LG" -o lg.html || return 1
  chromium_run --dump-dom "file://$PWD/lg.html" > lg.dom.html || { cat chromium.err; fail "chromium could not load lg.html"; return 1; }
  perl "$NB_ROOT/tests/html_text.pl" < lg.dom.html > lg.browser.txt
  expect_same_report "$LG" lg.browser.txt
}

# LibreOffice sees every cell of the DOCX table in order (its text puts one
# cell a line; the text importer cannot tell where such a free-form row ends)
test_legacy_docx_in_libreoffice_has_every_cell() {
  run render "$LG" -o lg.docx || return 1
  soffice_convert txt:Text lg.docx || { cat soffice.err; fail "LibreOffice failed to convert to text"; return 1; }
  sed -n '/^指标名称/,$p' "$LG" | tr '\t' '\n' > want.txt
  # from the header row on, without the blank lines and the 落款 (the unit) after the table
  sed 's/\r$//' lg.txt | sed -n '/^指标名称/,$p' | sed '$ { /^某局$/d }' |
    awk '{ l[NR] = $0 } END { n = NR; while (n > 0 && l[n] == "") n--; for (i = 1; i <= n; i++) print l[i] }' > got.txt
  diff want.txt got.txt || fail "LibreOffice's text of the table differs from the 统计表"
}
