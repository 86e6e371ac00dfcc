# The fill-in spreadsheet (render/new --to xlsx) and the xlsx importer: the
# official tables with their merged headers, formulas in every 总计 cell and
# in the 勾稽 row (evaluated here by a small evaluator of the sheet's XML, and
# by LibreOffice Calc when it is installed), data validation, the 填报说明
# as notes, and a filled workbook that imports back exactly.
source "$NB_ROOT/tests/outputs_lib.sh"

# the tables of a report as canonical JSON, without the _line bookkeeping
tables_json() {
  report_json "$1" | perl -MJSON::PP -0777 -ne '
    my $r = JSON::PP->new->decode($_); my $t = $r->{tables} || {};
    for my $tb (values %$t) { for my $row (values %$tb) { delete $row->{$_} for grep /^_/, keys %$row } }
    print JSON::PP->new->canonical->encode($t), "\n"'
}

expect_same_tables() {
  tables_json "$1" > tables-a.json || { fail "cannot import $1"; return 1; }
  tables_json "$2" > tables-b.json || { fail "cannot import $2"; return 1; }
  cmp -s tables-a.json tables-b.json || { diff <(tr ',' '\n' < tables-a.json) <(tr ',' '\n' < tables-b.json) | head -20; fail "$1 and $2 hold different tables"; }
}

# sheet1 of workbook $1 as lines "REF|value|formula" (shared strings resolved,
# XML entities decoded; a formula as libxlsxwriter writes it, <f>, or as
# LibreOffice does, <f aca="false"> with &quot;), then "MERGE|A1:C3" lines
sheet_cells() {
  unzip -p "$1" xl/sharedStrings.xml > ss.xml 2>/dev/null || : > ss.xml
  unzip -p "$1" xl/worksheets/sheet1.xml | perl -0777 -ne '
    open my $fh, "<", "ss.xml"; local $/; my $ss = <$fh>; my @s;
    while ($ss =~ /<si>(.*?)<\/si>/gs) { my $x = $1; my $t = join "", $x =~ /<t[^>]*>([^<]*)<\/t>/g; push @s, $t }
    while (/<c r="([A-Z]+\d+)"([^>]*?)(?:\/>|>(.*?)<\/c>)/gs) {
      my ($r, $a, $in) = ($1, $2, $3 // ""); my ($f) = $in =~ /<f(?:\s[^>]*)?>([^<]*)<\/f>/; my ($v) = $in =~ /<v>([^<]*)<\/v>/;
      $v = $s[$v] if defined $v && $a =~ /t="s"/;
      for ($f, $v) { next unless defined; s/&quot;/"/g; s/&apos;/\x27/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/&/g }
      print "$r|", $v // "", "|", $f // "", "\n" }
    print "MERGE|$1\n" while /<mergeCell ref="([^"]+)"/g'
}

# evaluates every formula of sheet_cells output $1 from the cells it refers
# to (SUM, COUNT, IF, + and -, ranges): lines "REF|computed|cached"
evaluate() {
  perl -ne '
    chomp; my ($r, $v, $f) = split /\|/, $_, 3; next if $r eq "MERGE";
    $V{$r} = $v; $F{$r} = $f if $f ne "";
    END {
      sub col { my $c = 0; $c = $c * 26 + ord($_) - 64 for split //, $_[0]; $c }
      sub letters { my $n = shift; my $s = ""; while ($n > 0) { my $m = ($n - 1) % 26; $s = chr(65 + $m) . $s; $n = int(($n - 1 - $m) / 26) } $s }
      sub cells { my @out; for my $a (@_) { if ($a =~ /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/) {
            for my $rr ($2 .. $4) { for my $cc (col($1) .. col($3)) { push @out, letters($cc) . $rr } } } else { push @out, $a } } @out }
      sub val { my $r = shift; return ev($r) if exists $F{$r}; $V{$r} // "" }
      sub num { my $x = shift; defined $x && $x =~ /^-?\d+(\.\d+)?$/ }
      sub S { my $t = 0; for (cells(@_)) { my $x = val($_); $t += $x if num($x) } $t }
      sub C { scalar grep { num(val($_)) } cells(@_) }
      sub I { $_[0] ? $_[1] : $_[2] }
      my %memo;
      sub ev { my $r = shift; return $memo{$r} if exists $memo{$r};
        my $e = $F{$r}; $e =~ s/([A-Z]+\d+(?::[A-Z]+\d+)?)/"$1"/g; $e =~ s/SUM\(/S(/g; $e =~ s/COUNT\(/C(/g;
        $e =~ s/IF\(/I(/g; $e =~ s/\)=0/)==0/g; my $x = eval $e; die "cannot evaluate $F{$r}: $@" if $@; $memo{$r} = $x }
      print "$_|", ev($_), "|$V{$_}\n" for sort keys %F }' "$1"
}

test_filled_workbook_imports_back_exactly() {
  run render "$EX" -o ex.xlsx || return 1
  expect_status 0 && expect_stderr "已写入 ex.xlsx（xlsx）" || return 1
  expect_same_tables "$EX" ex.xlsx || return 1
  # the title names the unit and the year, the importer reads them back
  run render ex.xlsx --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局"' && expect_stdout '"year":	2024'
}

test_corpus_report_round_trips_through_xlsx() {
  need_corpus
  run render "$SG" -o sg.xlsx || return 1
  expect_status 0 || return 1
  expect_same_tables "$SG" sg.xlsx
}

test_every_total_is_a_formula_that_sums() {
  run render "$EX" -o ex.xlsx || return 1
  sheet_cells ex.xlsx > cells.txt
  evaluate cells.txt > eval.txt || fail "the evaluator failed"
  # 表三: 25 rows' 总计 + 6 columns' （七）总计 + 7 勾稽 cells; 表四: 3 总计
  [ "$(wc -l < eval.txt)" -eq 41 ] || fail "expected 41 formulas, found $(wc -l < eval.txt)"
  # each formula's value, computed from the cells, is the value the file caches
  awk -F'|' '$2 != $3 { print; bad = 1 } END { exit bad }' eval.txt || fail "a formula evaluates to another value than cached"
  # every 总计 column cell of 表三 is a formula (the 总计 header's column)
  local col
  col=$(awk -F'|' '$2 == "总计" { sub(/[0-9]+$/, "", $1); print $1; exit }' cells.txt)
  [ -n "$col" ] || fail "no 总计 header"
  awk -F'|' -v c="$col" '$1 ~ "^" c "[0-9]+$" && $2 ~ /^[0-9]+$/ && $3 == "" { print "not a formula:", $0; bad = 1 } END { exit bad }' cells.txt ||
    fail "a 总计 cell holds a number, not a formula"
  # the 勾稽 row of the balanced example is 0 in every column
  grep -q '|勾稽：' cells.txt || fail "no 勾稽 row"
  awk -F'|' '$3 ~ /^\(SUM/ && $2 != "0" { bad = 1 } END { exit bad }' cells.txt || fail "a 勾稽 cell of a balanced report is not 0"
}

test_a_changed_input_changes_totals_and_the_check_row() {
  run render "$EX" -o ex.xlsx || return 1
  sheet_cells ex.xlsx > cells.txt
  # 一、本年新收 for 自然人: the cell right of its label
  local row natural
  row=$(awk -F'|' '$2 == "一、本年新收政府信息公开申请数量" { sub(/^[A-Z]+/, "", $1); print $1 }' cells.txt)
  natural=$(awk -F'|' -v r="$row" '$1 ~ "^[A-Z]+" r "$" && $2 ~ /^[0-9]+$/ { print $1; exit }' cells.txt)
  [ -n "$natural" ] || { fail "no value cell in row $row"; return 1; }
  awk -F'|' -v c="$natural" 'BEGIN { OFS = "|" } $1 == c { $2 = $2 + 1 } { print }' cells.txt > changed.txt
  evaluate changed.txt > eval.txt
  # the row's 总计 and the 勾稽 cell of that column move by one; nothing else
  local moved
  moved=$(awk -F'|' '$2 != $3' eval.txt | wc -l)
  [ "$moved" -eq 3 ] || { cat eval.txt | awk -F'|' '$2 != $3'; fail "expected 3 formulas to change (总计, 勾稽 of 自然人 and of 总计), got $moved"; }
  awk -F'|' '$2 != $3 && $2 - $3 != 1 && $3 - $2 != 1 { bad = 1 } END { exit bad }' eval.txt || fail "a formula moved by more than one"
}

test_merged_headers_validation_and_notes() {
  run render "$EX" -o ex.xlsx || return 1
  sheet_cells ex.xlsx > cells.txt
  # 表三's corner spans 3 rows × 3 label columns, 申请人情况 7 columns
  local corner head
  corner=$(awk -F'|' '$2 ~ /^（本列数据的勾稽关系为/ { print $1; exit }' cells.txt)
  head=$(awk -F'|' '$2 == "申请人情况" { print $1; exit }' cells.txt)
  grep -q "^MERGE|$corner:C$(( ${corner#A} + 2 ))\$" cells.txt || fail "corner $corner is not merged over 3×3"
  grep -q "^MERGE|$head:J${head#D}\$" cells.txt || fail "申请人情况 ($head) is not merged over D…J"
  # every input cell is validated: whole numbers ≥ 0 or "/"
  local inputs validated
  validated=$(unzip -p ex.xlsx xl/worksheets/sheet1.xml | grep -o '<dataValidation [^>]*type="custom"' | wc -l)
  inputs=$(unzip -p ex.xlsx xl/worksheets/sheet1.xml | grep -o '<dataValidation .*</dataValidations>' | grep -o 'INT(\([A-Z]*[0-9]*\))=\1)' | wc -l)
  [ "$validated" -gt 150 ] && [ "$inputs" -gt 150 ] || fail "too few validated cells: $validated ($inputs whole-number rules)"
  unzip -p ex.xlsx xl/worksheets/sheet1.xml | grep -q '&gt;=0' || fail "no ≥ 0 in the validation"
  # the format's 填报说明 are notes
  unzip -p ex.xlsx xl/comments1.xml > notes.xml
  grep -q '区分处理的申请只计入这一行' notes.xml && grep -q '各项数据的核定时间点为报告年度的12月31日' notes.xml ||
    fail "the 填报说明 are not in the notes"
}

test_new_writes_a_blank_form_and_reads_it_back() {
  run new --agency 上高县商务局 --year 2024 --to xlsx -o 表格.xlsx || return 1
  expect_status 0 && expect_stderr "已写入 表格.xlsx（xlsx）" || return 1
  # a blank form: totals blank (their formulas see no number), the 勾稽 row 0
  sheet_cells 表格.xlsx > cells.txt
  evaluate cells.txt > eval.txt
  awk -F'|' '$2 != $3 { bad = 1 } END { exit bad }' eval.txt || fail "a blank form's formulas evaluate to other values than cached"
  run new --agency 上高县商务局 --year 2024 --tables 表格.xlsx -o draft.md || return 1
  expect_status 0 || return 1
  # a filled one: its cells go into the draft
  run render "$EX" -o ex.xlsx || return 1
  run new --agency 示例县交通运输局 --year 2024 --tables ex.xlsx -o draft2.md || return 1
  expect_status 0 || return 1
  tables_json draft2.md > d.json && tables_json "$EX" > e.json
  cmp -s d.json e.json || fail "the draft's tables differ from the filled workbook's"
}

test_formula_without_a_saved_result_is_reported() {
  run render "$EX" -o ex.xlsx || return 1
  mkdir -p pkg && (cd pkg && unzip -q ../ex.xlsx)
  perl -0777 -pi -e 's{(<f>[^<]*</f>)<v>[^<]*</v>}{$1}' pkg/xl/worksheets/sheet1.xml
  (cd pkg && zip -qr ../nocache.xlsx .)
  run render nocache.xlsx --to json || return 1
  expect_status 2 && expect_stderr "没有保存计算结果" && expect_stderr "nocache.xlsx:"
}

test_not_a_workbook_is_an_input_error() {
  printf 'PK\003\004xl/ broken' > broken.xlsx
  run render broken.xlsx --to json || return 1
  expect_status 2 && expect_stderr ".xlsx"
}

# LibreOffice Calc recalculates every formula on load: converted to csv the
# totals are the source's, and its own .xlsx imports back exactly
test_libreoffice_evaluates_and_round_trips() {
  ls /usr/lib/libreoffice/program/libsclo.so >/dev/null 2>&1 ||
    { echo "skipped: LibreOffice Calc (libreoffice-calc-nogui) is not installed"; exit 77; }
  run render "$EX" -o full.xlsx || return 1
  # the saved results taken out: LibreOffice keeps a saved result as it is
  # (it does not recalculate an .xlsx on load), so only without them do its
  # results show that it evaluates the formulas
  mkdir -p nv && (cd nv && unzip -q ../full.xlsx && perl -0pi -e 's{(</f>)<v>[^<]*</v>}{$1}g' xl/worksheets/sheet1.xml &&
    ! grep -q '</f><v>' xl/worksheets/sheet1.xml && zip -qX -r ../ex.xlsx .) || fail "fixture: results not taken out" || return 1
  mkdir -p lo
  (cd lo && soffice_convert xlsx:"Calc MS Excel 2007 XML" ../ex.xlsx) || fail "LibreOffice cannot convert"
  [ -s lo/ex.xlsx ] || { cat lo/soffice.err; fail "LibreOffice wrote no xlsx"; return 1; }
  expect_same_tables "$EX" lo/ex.xlsx || return 1
  sheet_cells lo/ex.xlsx > lo-cells.txt
  evaluate lo-cells.txt > lo-eval.txt
  awk -F'|' '$2 != $3 { print; bad = 1 } END { exit bad }' lo-eval.txt || fail "LibreOffice's results differ from the formulas'"
  [ "$(wc -l < lo-eval.txt)" -eq 41 ] || fail "LibreOffice kept $(wc -l < lo-eval.txt) formulas, not 41"
}
