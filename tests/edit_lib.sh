# Helpers that make test reports by editing copies of the real reports
# (sourced by the test cases on formats, years and cross-year rules), so a
# test states its one change instead of committing another big file.

SH="$NB_CORPUS/shanghai-govoffice-2019.txt"        # 2019 format, TAB-separated cells
SG="$NB_CORPUS/shanggao-commerce-2023.txt"         # 2021 format, one cell a line
EX="$NB_ROOT/examples/example-county-transport-2024.txt"  # 2021 format, non-zero data

# The Shanghai report with its blank cells filled in: 0 for nothing, and the
# 总计 column of each 表三 row computed — a clean gov-2019 report.
clean_2019() {
  awk -F'\t' -v OFS='\t' '
    function cells(a, b,  i) { for (i = a; i <= b; i++) if ($i !~ /^[0-9]*$/) return 0; return 1 }
    /^三、收到和处理/ { t = 3 } /^四、政府信息公开行政复议/ { t = 4 }
    t == 3 && NF >= 8 && cells(NF - 6, NF) { s = 0; for (i = NF - 6; i < NF; i++) { if ($i == "") $i = 0; s += $i } if ($NF == "") $NF = s }
    t == 4 && NF == 15 && cells(1, NF) { for (i = 1; i <= NF; i++) if ($i == "") $i = 0 }
    { print }' "$SH"
}

# TAB-separated layout: copy of FILE with the Kth cell after the cell LABEL
# (first line holding it) set to VALUE.
tsv_set() {
  awk -F'\t' -v OFS='\t' -v label="$2" -v k="$3" -v v="$4" '
    !done { for (i = 1; i <= NF; i++) if ($i == label) { $(i + k) = v; done = 1; break } }
    { print }' "$1"
}

# One-cell-a-line layout: copy of FILE with the Kth value after the line
# "<TAB>LABEL" (first one) set to VALUE.
cell_set() {
  local copy l
  copy=$(mktemp) && cat "$1" > "$copy" || return 1 # FILE may be a pipe
  l=$(line_of "$copy" "	$2")
  [ -n "$l" ] || { echo "no line \"	$2\" in $1" >&2; rm -f "$copy"; return 1; }
  replace_line "$copy" $((l + $3)) "	$4"
  rm -f "$copy"
}

# copy of FILE with the year Y1 (as in "2024年") replaced by Y2 everywhere
with_year() { sed "s/$2年/$3年/g" "$1"; }

# the column index (1-based) of each 表三 column in the cell helpers above
NATURAL=1 TOTAL=7

# a Pingtan-style 2018 report (指标名称 | 计量单位 | 本年度 | 历年累计)
legacy_report() {
  cat <<'EOF'
平潭综合实验区示例局2018年政府信息公开工作年度报告
本报告所列数据的统计期限自2018年1月1日起至2018年12月31日止。
一、概述
2018年，我局主动公开政府信息120条。
二、主动公开政府信息情况
通过政府网站公开100条，政府公报公开20条。
三、依申请公开政府信息情况
全年受理依申请公开3件，均按时答复。
四、行政复议、行政诉讼情况
全年未发生行政复议和行政诉讼。
五、存在的主要问题和改进措施
一是公开内容不够丰富；二是更新不够及时。
六、政府信息公开情况统计表
指标名称	计量单位	本年度	历年累计
主动公开文件数	条	120	3400
其中：1.政府网站公开数	条	100	3000
2.政府公报公开数	条	20	400
受理依申请公开信息总数	件	3	41
对申请的答复总数	件		39
行政复议数	件	0	2
EOF
}
