# The application register importer: table 三 computed from 240 generated
# applications over three years (checked against a hand-checked expectation
# and against the same computation in SQL), carry-over in and out, CSV in
# UTF-8 and GBK and an SQLite table, the office's own wordings, and bad rows.

FIX="$NB_ROOT/tests/fixtures"

register() { awk -f "$FIX/register-gen.awk"; }

# nonzero cells of table 三 in `render --to json` output: "row column value"
t3_cells() {
  awk '/^\t\t"t3":/ { in3 = 1; next }
       /^\t\t"t[0-9]+":/ { in3 = 0 }
       in3 && /^\t\t\t"[a-z_]+":\t\{/ { row = $0; gsub(/^\t+"|":.*$/, "", row) }
       in3 && /^\t\t\t\t"/ { c = $0; gsub(/^\t+"|":.*$/, "", c); v = $0; sub(/^[^:]*:\t"/, "", v); sub(/".*$/, "", v)
                             if (v != "0") print row, c, v }' | sort
}

# the same table computed in SQL from canon.csv (ISO dates, ids)
sql_t3() {
  sqlite3 :memory: -cmd ".parameter set :y $1" <<'EOF' | sort
CREATE TABLE r(recv TEXT, closed TEXT, app TEXT, res TEXT);
.import --csv canon.csv r
.mode list
.separator " "
WITH y(first, last) AS (SELECT :y || '-01-01', :y || '-12-31'),
cells(row, app) AS (
  SELECT 'new', app FROM r, y WHERE recv BETWEEN first AND last
  UNION ALL SELECT 'carried_in', app FROM r, y WHERE recv < first AND (closed = '' OR closed >= first)
  UNION ALL SELECT res, app FROM r, y WHERE closed BETWEEN first AND last
  UNION ALL SELECT 'results_total', app FROM r, y WHERE closed BETWEEN first AND last
  UNION ALL SELECT 'carried_out', app FROM r, y WHERE recv <= last AND (closed = '' OR closed > last))
SELECT row, app, count(*) FROM cells GROUP BY row, app
UNION ALL SELECT row, 'total', count(*) FROM cells GROUP BY row;
EOF
}

computed_t3() { # year file [options]
  local y=$1 f=$2; shift 2
  "$NIANBAO" render --year "$y" "$f" --to json "$@" 2>stderr.txt | t3_cells
}

test_register_of_240_applications_gives_the_expected_table() {
  register || return 1
  [ "$(grep -c . canon.csv)" -eq 240 ] || fail "expected 240 applications" || return 1
  computed_t3 2023 reg.csv > got.txt
  diff "$FIX/register-2023-expected.txt" got.txt || fail "table 三 for 2023 differs from the expectation" || return 1
  # carry-over in and out are part of it
  grep -q '^carried_in total 15$' got.txt && grep -q '^carried_out total 16$' got.txt || fail "carry-over"
}

test_register_matches_sql_for_each_year() {
  register || return 1
  for y in 2022 2023 2024; do
    computed_t3 $y reg.csv > got.txt
    sql_t3 $y > want.txt
    [ -s want.txt ] && diff want.txt got.txt || fail "year $y: nianbao and SQL differ" || return 1
  done
}

test_register_tables_check_clean_and_carry_over_between_years() {
  register || return 1
  run check --json --year 2023 reg.csv || return 1
  expect_status 0 && expect_findings IMPORT-REGISTER &&
    expect_stdout '计入 2023 年度表三 89 条；84 条在 2023 年以前办结、67 条在 2023 年以后收到' || return 1
  run render --year 2023 reg.csv -o y2023.json || return 1
  expect_status 0 || return 1
  # last year's 结转下年度 is this year's 上年结转: XY-CARRY has nothing to say
  run check --json --year 2024 --prev y2023.json reg.csv || return 1
  expect_status 0 && expect_findings IMPORT-REGISTER || return 1
  # the register itself as last year's report: read for the year before --year
  run check --json --year 2024 --prev reg.csv reg.csv || return 1
  expect_status 0 && expect_findings IMPORT-REGISTER
}

test_register_in_gbk_and_in_sqlite() {
  register || return 1
  computed_t3 2023 reg.csv > want.txt
  iconv -f UTF-8 -t GBK reg.csv > gbk.csv && computed_t3 2023 gbk.csv > got.txt
  diff want.txt got.txt || fail "GBK register differs" || return 1
  sqlite3 reg.sqlite ".import --csv reg.csv applications" || return 1
  computed_t3 2023 reg.sqlite > got.txt
  diff want.txt got.txt || fail "SQLite register differs" || return 1
  # a database of several tables: the map must say which one
  sqlite3 reg.sqlite "CREATE TABLE staff(name TEXT)"
  run check --year 2023 reg.sqlite || return 1
  expect_status 2 && expect_stderr "数据库中有 2 张表（applications、staff）"
}

test_register_is_chosen_by_its_header() {
  register || return 1
  run check --year 2023 reg.csv || return 1
  expect_status 0 && expect_stdout "IMPORT-REGISTER" || return 1
  run check reg.csv || return 1
  expect_status 2 && expect_stderr "reg.csv: 从登记台账计算表三需要知道是哪一年的报告：请加 --year"
}

# bad rows: exit 2 naming file, line and column; nothing written
refused() { # file message
  run render --year 2023 "$1" -o out.md || return 1
  expect_status 2 && expect_stderr "$2" || return 1
  [ ! -e out.md ] || fail "out.md was written"
}

test_register_rows_with_impossible_dates_or_unknown_words_are_refused() {
  register || return 1
  replace_line reg.csv 5 "2023-004,2023-02-30,自然人,予以公开,2023-03-02," > d.csv
  refused d.csv "d.csv:5: 第2列：收到日期“2023-02-30”是不存在的日期" || return 1
  replace_line reg.csv 5 "2023-004,2023-02-03,自然人,予以公开,2023-01-02," > o.csv
  refused o.csv "o.csv:5: 第5列：办结日期 2023-01-02 早于收到日期 2023-02-03" || return 1
  replace_line reg.csv 5 "2023-004,二月三日,自然人,予以公开,2023-03-02," > u.csv
  refused u.csv "u.csv:5: 第2列：收到日期“二月三日”不是可识别的日期" || return 1
  replace_line reg.csv 5 "2023-004,2023-02-03,自然人,已答复,2023-03-02," > c.csv
  refused c.csv "c.csv:5: 登记台账中有 1 种叫法 nianbao 不认识" && expect_stderr "第4列 处理结果“已答复”：第 5 行" || return 1
  replace_line reg.csv 5 "2023-004,2023-02-03,外国人,予以公开,2023-03-02," > a.csv
  refused a.csv "a.csv:5: 登记台账中有 1 种叫法 nianbao 不认识" && expect_stderr "第3列 申请人类型“外国人”：第 5 行"
}

test_register_lists_every_unknown_wording_in_one_run() {
  register || return 1
  # three unknown wordings over five rows, one of them on two rows
  replace_line reg.csv 5 "2023-004,2023-02-03,外国人,予以公开,2023-03-02," |
    replace_line /dev/stdin 7 "2023-006,2023-02-05,自然人,已答复,2023-03-02," |
    replace_line /dev/stdin 9 "2023-008,2023-02-07,外国人,已答复,2023-03-02," |
    replace_line /dev/stdin 12 "2023-011,2023-02-09,企业,转办,2023-03-02," > many.csv
  refused many.csv "many.csv:5: 登记台账中有 3 种叫法 nianbao 不认识" || return 1
  expect_stderr "第3列 申请人类型“外国人”：第 5、9 行" && expect_stderr "第4列 处理结果“已答复”：第 7、9 行" &&
    expect_stderr "第4列 处理结果“转办”：第 12 行" && expect_stderr "templates/register-map.lua"
}

test_register_names_the_unit_written_above_its_header() {
  register || return 1
  { echo "单位,示例县交通运输局,,,,"; echo "填表人,张三,,,,"; cat reg.csv; } > unit.csv
  run render --year 2023 unit.csv --to json || return 1
  expect_status 0 && expect_stdout '"title":	"示例县交通运输局2023年政府信息公开工作年度报告"'
}

test_register_rows_that_cannot_be_counted_are_listed() {
  register || return 1
  replace_line reg.csv 5 "2023-004,2023-08-20,自然人,,2023-09-22," |
    replace_line /dev/stdin 9 "2023-008,2023-05-02,自然人,予以公开,," > n.csv
  run check --json --year 2023 n.csv || return 1
  expect_status 1 && expect_findings IMPORT-REGISTER IMPORT-ROW IMPORT-ROW &&
    expect_stdout '"line":	5' && expect_stdout '"line":	9' &&
    expect_stdout '2023-09-22 办结，却没有处理结果' && expect_stdout '有处理结果“予以公开”却没有办结日期'
}

test_register_map_of_the_office_is_used() {
  register || return 1
  mkdir -p xdg/nianbao/templates
  # the office calls its columns differently and writes 准予公开 for 予以公开
  sed -e 's/"收到日期",/"收件时间", "收到日期",/' -e 's/r_granted = { "公开",/r_granted = { "准予公开", "公开",/' \
      -e 's/agency = nil, /agency = "示例县交通运输局",/' "$NB_ROOT/templates/register-map.lua" > xdg/nianbao/templates/register-map.lua
  local l; l=$(grep -n ',予以公开,' reg.csv | head -1 | cut -d: -f1)
  sed -e '1s/收到日期/收件时间/' -e "${l}s/,予以公开,/,准予公开,/" reg.csv > office.csv
  grep -q 准予公开 office.csv || fail "test file lacks the office wording" || return 1
  XDG_DATA_HOME=$PWD/xdg computed_t3 2023 office.csv > got.txt
  diff "$FIX/register-2023-expected.txt" got.txt || fail "the office's map was not used" || return 1
  XDG_DATA_HOME=$PWD/xdg run render --year 2023 office.csv --to json || return 1
  expect_stdout '"title":	"示例县交通运输局2023年政府信息公开工作年度报告"' || return 1
  # without it, the office's column name is unknown
  run check --via register --year 2023 office.csv || return 1
  expect_status 2 && expect_stderr "登记台账缺少“收到日期”列"
}

test_register_for_a_2019_format_year_folds_other_handling_into_one_row() {
  printf '收到日期,申请人类型,处理结果,办结日期\n2020-03-01,自然人,逾期不补正,2020-04-01\n2020-05-01,企业,予以公开,2020-05-09\n2019-12-20,自然人,,\n' > r.csv
  "$NIANBAO" render --year 2020 r.csv --to json 2>/dev/null | t3_cells > got.txt
  printf '%s\n' "carried_in natural 1" "carried_in total 1" "carried_out natural 1" "carried_out total 1" \
    "new commercial 1" "new natural 1" "new total 2" "r_granted commercial 1" "r_granted total 1" \
    "r_other natural 1" "r_other total 1" "results_total commercial 1" "results_total natural 1" "results_total total 2" |
    sort > want.txt
  diff want.txt got.txt || fail "table 三 of 2020 (gov-2019) differs"
}
