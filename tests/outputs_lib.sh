# Helpers for the output tests (tests/cases/outputs.sh, publish.sh, new.sh):
# golden files, report comparison through the canonical JSON, and the
# external programs that read what nianbao writes (Chromium, LibreOffice).

SG="$NB_CORPUS/shanggao-commerce-2023.txt"
EX="$NB_ROOT/examples/example-county-transport-2024.txt"
GOLDEN="$NB_ROOT/tests/golden"

# compare FILE with tests/golden/NAME; NB_UPDATE_GOLDEN=1 rewrites the golden file
expect_golden() {
  if [ -n "${NB_UPDATE_GOLDEN:-}" ]; then cp "$1" "$GOLDEN/$2"; return 0; fi
  cmp -s "$1" "$GOLDEN/$2" || { diff "$GOLDEN/$2" "$1" | head -20; fail "$1 differs from tests/golden/$2"; }
}

# the canonical JSON of a report, for comparing two reports
report_json() { "$NIANBAO" render "$@" --to json; }

# expect two files (or a file with options) to import as the same report
expect_same_report() {
  report_json "$1" > same-a.json 2>same-a.err || { cat same-a.err; fail "cannot import $1"; return 1; }
  report_json "$2" > same-b.json 2>same-b.err || { cat same-b.err; fail "cannot import $2"; return 1; }
  diff same-a.json same-b.json | head -30
  cmp -s same-a.json same-b.json || fail "$1 and $2 do not import as the same report"
}

# headless Chromium, as root, with a fresh profile and no network services
chromium_run() {
  chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$PWD/chromium-profile.$RANDOM" "$@" 2>chromium.err
}

# headless LibreOffice with a profile of its own: soffice_convert FILTER FILE...
soffice_convert() {
  local filter=$1; shift
  soffice -env:UserInstallation="file://$PWD/lo-profile" --headless --norestore \
    --convert-to "$filter" --outdir . "$@" >soffice.out 2>soffice.err
}

# cells of table $2 in HTML file $1: "kind|text|rowspan|colspan", in document order
html_cells() {
  perl -0777 -ne 'if (/<table id="'"$2"'".*?<\/table>/s) { my $t = $&;
    while ($t =~ /<t[hd] class="(\w+)"([^>]*)>([^<]*)</g) { my ($k, $a, $x) = ($1, $2, $3);
      my ($r) = $a =~ /rowspan="(\d+)"/; my ($c) = $a =~ /colspan="(\d+)"/;
      print "$k|$x|", ($r || 1), "|", ($c || 1), "\n" } }' "$1"
}

# the official template's table 三 header (formats.md §1.2)
T3_HEADER='corner|（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）|3|3
head|申请人情况|1|7
head|自然人|2|1
head|法人或其他组织|1|5
head|总计|2|1
head|商业企业|1|1
head|科研机构|1|1
head|社会公益组织|1|1
head|法律服务机构|1|1
head|其他|1|1'

# the label column of table 三: 三、本年度办理结果 and the groups span their rows
T3_LABELS='label|一、本年新收政府信息公开申请数量|1|3
label|二、上年结转政府信息公开申请数量|1|3
group|三、本年度办理结果|22|1
label|（一）予以公开|1|2
label|（二）部分公开（区分处理的，只计这一情形，不计其他情形）|1|2
group|（三）不予公开|8|1
label|1.属于国家秘密|1|1
label|2.其他法律行政法规禁止公开|1|1
label|3.危及“三安全一稳定”|1|1
label|4.保护第三方合法权益|1|1
label|5.属于三类内部事务信息|1|1
label|6.属于四类过程性信息|1|1
label|7.属于行政执法案卷|1|1
label|8.属于行政查询事项|1|1
group|（四）无法提供|3|1
label|1.本机关不掌握相关政府信息|1|1
label|2.没有现成信息需要另行制作|1|1
label|3.补正后申请内容仍不明确|1|1
group|（五）不予处理|5|1
label|1.信访举报投诉类申请|1|1
label|2.重复申请|1|1
label|3.要求提供公开出版物|1|1
label|4.无正当理由大量反复申请|1|1
label|5.要求行政机关确认或重新出具已获取信息|1|1
group|（六）其他处理|3|1
label|1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请|1|1
label|2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请|1|1
label|3.其他|1|1
label|（七）总计|1|2
label|四、结转下年度继续办理|1|3'

T4_HEADER='head|行政复议|1|5
head|行政诉讼|1|10
head|结果维持|2|1
head|结果纠正|2|1
head|其他结果|2|1
head|尚未审结|2|1
head|总计|2|1
head|未经复议直接起诉|1|5
head|复议后起诉|1|5'

# expect the merged cells of the official template in HTML file $1
expect_official_merges() {
  local got
  got=$(html_cells "$1" t3 | grep -E '^(corner|head)')
  [ "$got" = "$T3_HEADER" ] || { diff <(echo "$T3_HEADER") <(echo "$got"); fail "table 三 header cells differ from the official template"; return 1; }
  got=$(html_cells "$1" t3 | grep -E '^(label|group)')
  [ "$got" = "$T3_LABELS" ] || { diff <(echo "$T3_LABELS") <(echo "$got"); fail "table 三 row labels span other rows than the template's"; return 1; }
  got=$(html_cells "$1" t4 | grep '^head' | head -9)
  [ "$got" = "$T4_HEADER" ] || { diff <(echo "$T4_HEADER") <(echo "$got"); fail "table 四 header cells differ from the template"; return 1; }
  # table 二: each one-value block's value spans the three value columns
  [ "$(html_cells "$1" t2 | grep -c '^head|本年处理决定数量|1|3$')" -eq 2 ] &&
    [ "$(html_cells "$1" t2 | grep -c '^value|[^|]*|1|3$')" -eq 4 ] &&
    [ "$(html_cells "$1" t2 | grep -c '^head|本年收费金额（单位：万元）|1|3$')" -eq 1 ] ||
    fail "table 二's one-value blocks do not span three columns"
}
