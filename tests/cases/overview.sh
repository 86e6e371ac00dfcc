# nianbao overview --year Y -o overview.html: a generated region (some
# reports broken, some unreadable, 2023 reports dated on time or late, a
# roster with units that never report and units that report off it).  Every
# number of the page — the status table, the findings by rule, each chart
# bar (read from the SVG) — is checked against an independent computation
# (sqlite3 over the store, awk over the dates given, check --db --json for
# the findings), and the page is rendered in headless Chromium.

# the region in r.db: 8 units × 2021-2023, roster.csv imported
overview_region() {
  mkdir -p reg
  "$NB_ROOT/scripts/gen-corpus" --seed 5 --broken 20 --units 8 --years 2021-2023 reg >/dev/null
  mv reg/manifest.tsv manifest.tsv
  # 2023 reports dated: every other one after 1月31日 (the 部门 deadline)
  local f a i=0 date
  : > late.txt; : > dated.txt
  awk -F'\t' '$3 != "!import" && $5 == 2023 { print $1 "\t" $4 }' manifest.tsv > y2023.tsv
  while IFS=$'\t' read -r f a; do
    date=2024年1月20日
    if [ $((i % 2)) -eq 0 ]; then date=2024年2月5日; echo "$a" >> late.txt; fi
    echo "$a" >> dated.txt
    awk -v d="$date" '!done && $0 == "" { print "发布日期：" d; done = 1 } { print }' "reg/$f" > t && mv t "reg/$f"
    i=$((i + 1))
  done < y2023.tsv
  # the roster: every unit but the last as 部门 under its county, and one unit that never reports
  python3 - <<'PY'
rows = [l.rstrip('\n').split('\t') for l in open('manifest.tsv')]
units = sorted({r[3] for r in rows})
with open('roster.csv', 'w') as f:
    f.write('单位,上级,层级\n')
    for u in units[:-1]:
        f.write(f'{u},{u[:3]},部门\n')
    f.write(f'{units[0][:3]}从未报送局,{units[0][:3]},部门\n')
PY
  "$NIANBAO" add -q --db r.db reg >/dev/null 2>&1 || true
  # a second, different file for one unit's 2023 report: two current reports, the page takes the newer
  mkdir -p dup
  IFS=$'\t' read -r f DUP_UNIT < <(sed -n 2p y2023.tsv)
  { cat "reg/$f"; echo; echo "（本报告为更正后的版本。）"; } > dup/corrected.txt
  "$NIANBAO" add -q --db r.db dup >/dev/null 2>&1 || fail "adding the corrected report failed"
  echo "$DUP_UNIT" > dup_unit.txt
  # the first county's own 2023 report (its 汇总, not matching its units' sum: AGG-SUM), which no chart adds
  IFS=$'\t' read -r _ COUNTY < <(sed -n 1p y2023.tsv)
  COUNTY=${COUNTY:0:3}
  IFS=$'\t' read -r f _ < <(sed -n 3p y2023.tsv) # another county's numbers
  { echo "${COUNTY}2023年政府信息公开工作年度报告"; awk 'go { print } $0 == "" && !go { go = 1; print }' "reg/$f"; } > dup/county.txt
  "$NIANBAO" add -q --db r.db dup/county.txt >/dev/null 2>&1 || fail "adding the county's report failed"
  echo "$COUNTY" > county.txt
  "$NIANBAO" roster import --db r.db roster.csv >/dev/null || fail "roster import failed"
}

# the page's tables and charts as JSON (page.json): status rows, rule rows, bars by chart id, counts
read_page() {
  python3 - "$1" <<'PY'
import sys, json
from html.parser import HTMLParser
class P(HTMLParser):
    def __init__(s):
        super().__init__(); s.tables = {}; s.cur = None; s.row = None; s.cell = None; s.svg = None
        s.bars = {}; s.counts = {}; s.count = None
    def handle_starttag(s, tag, attrs):
        a = dict(attrs)
        if tag == 'table': s.cur = a.get('id'); s.tables[s.cur] = []
        elif tag == 'tr' and s.cur: s.row = []
        elif tag in ('td', 'th') and s.row is not None: s.cell = ''
        elif tag == 'svg': s.svg = a.get('id'); s.bars[s.svg] = []
        elif tag == 'rect' and s.svg and 'bar' in a.get('class', ''):
            s.bars[s.svg].append([a['data-label'], float(a['data-value']), float(a['width'])])
        elif tag == 'b' and 'data-count' in a: s.count = a['data-count']
    def handle_endtag(s, tag):
        if tag in ('td', 'th') and s.cell is not None: s.row.append(s.cell); s.cell = None
        elif tag == 'tr' and s.row is not None: s.tables[s.cur].append(s.row); s.row = None
        elif tag == 'table': s.cur = None
        elif tag == 'svg': s.svg = None
        elif tag == 'b': s.count = None
    def handle_data(s, d):
        if s.cell is not None: s.cell += d
        if s.count: s.counts[s.count] = int(d)
p = P(); p.feed(open(sys.argv[1], encoding='utf-8').read())
json.dump({'tables': p.tables, 'bars': p.bars, 'counts': p.counts}, open('page.json', 'w'), ensure_ascii=False)
PY
}

test_overview_status_table_and_rules_match_an_independent_computation() {
  overview_region
  run overview --db r.db --year 2023 -o ov.html || return 1
  expect_status 0
  [ -s ov.html ] || { fail "no page written"; return 1; }
  read_page ov.html
  # independent: findings of each 2023 report from check --db (same pairing), units from the store
  "$NIANBAO" check --db r.db --year 2023 --json > check.json || true
  sqlite3 -separator $'\t' r.db 'SELECT source, unit FROM report WHERE current AND year = 2023' > units.tsv
  python3 - <<'PY' || fail "the overview's status table or rule table differs from the independent computation"
import json, sys, csv
page = json.load(open('page.json'))
unit_of = dict(l.rstrip('\n').split('\t') for l in open('units.tsv'))
roster = sorted(csv.DictReader(open('roster.csv', encoding='utf-8')), key=lambda x: x['单位'].encode())
late = set(open('late.txt').read().split()); dated = set(open('dated.txt').read().split())
err, warn, rules, last = {}, {}, {}, {}
dup = open('dup_unit.txt').read().strip()
for r in json.load(open('check.json'))['reports']:
    last[unit_of[r['file']]] = r['findings']  # check --db lists a unit's reports in the order added
for u, fs in last.items():
    err[u] = sum(1 for f in fs if f['severity'] == 'error')
    warn[u] = sum(1 for f in fs if f['severity'] == 'warning')
    seen = set()
    for f in fs:
        k = (f['rule'], f['severity'])
        c = rules.setdefault(k, [0, 0]); c[0] += 1
        if k not in seen: seen.add(k); c[1] += 1
reported = set(unit_of.values())
on_roster = [x['单位'] for x in roster]
want = []
for x in roster:
    u = x['单位']
    if u in reported:
        t = '逾期' if u in late else ('按时' if u in dated else '不明')
        want.append([u, x['上级'], x['层级'], '已报送' + ('（2 份）' if u == dup else ''), t, str(err[u]), str(warn[u])])
    else:
        want.append([u, x['上级'], x['层级'], '未报送', '—', '', ''])
for u in sorted(reported - set(on_roster)):
    want.append([u, '（名册外）', '', '已报送', '不明', str(err[u]), str(warn[u])])
got = [[r[0], r[1], r[2], r[3], r[5], r[6], r[7]] for r in page['tables']['status'][1:]]
bad = []
if got != want:
    for g, w in zip(got, want):
        if g != w: bad.append(f'status row {g} != {w}')
    if len(got) != len(want): bad.append(f'{len(got)} status rows, want {len(want)}')
n = page['counts']
wn = {'roster': len(on_roster), 'reported': len([u for u in on_roster if u in reported]),
      'missing': len([u for u in on_roster if u not in reported]),
      'late': len([u for u in reported if u in late and u in on_roster]),
      'timely': len([u for u in on_roster if u in reported and u in dated and u not in late]),
      'off_roster': len(reported - set(on_roster)),
      'errors': sum(err.values()), 'warnings': sum(warn.values())}
if n != wn: bad.append(f'counts {n} != {wn}')
if dup not in on_roster: bad.append(f'the duplicated unit {dup} is off the roster')
if not (wn['missing'] and wn['late'] and wn['timely'] and wn['off_roster'] and wn['errors']):
    bad.append(f'the region should have every kind of unit: {wn}')
sev = {'错误': 'error', '警告': 'warning', '提示': 'info', '核实': 'verify'}
got_rules = {(r[0], sev[r[1]]): [int(r[3]), int(r[4])] for r in page['tables']['rules'][1:]}
if got_rules != rules: bad.append(f'rules {got_rules} != {rules}')
if ('DATE-DL', 'warning') not in rules: bad.append('no DATE-DL at all')
if ('AGG-SUM', 'error') not in rules: bad.append("no AGG-SUM on the county's own report")
print('\n'.join(bad[:12]))
sys.exit(1 if bad else 0)
PY
}

test_overview_chart_bars_match_sums_over_the_store() {
  overview_region
  run overview --db r.db --year 2023 -o ov.html || return 1
  expect_status 0
  read_page ov.html
  "$NIANBAO" check --db r.db --year 2023 --json > check.json || true
  sqlite3 -separator $'\t' r.db 'SELECT source, unit FROM report WHERE current AND year = 2023' > units.tsv
  sqlite3 -separator $'\t' r.db "SELECT r.year, c.row, c.col, sum(c.micro) FROM cell c JOIN report r ON r.id = c.report
    WHERE r.id IN (SELECT max(id) FROM report WHERE current GROUP BY unit, year)
    AND r.unit NOT IN (SELECT parent FROM roster)
    AND c.kind = 'value' AND c.tab IN ('t3', 't4') GROUP BY r.year, c.tab, c.row, c.col" > sums.tsv
  [ "$(sqlite3 r.db 'SELECT count(*) FROM report WHERE current AND year = 2023 GROUP BY unit HAVING count(*) > 1')" = 2 ] ||
    fail "the region should have one unit with two 2023 reports"
  python3 - <<'PY' || fail "chart bars differ from the sums over the store"
import json, sys
page = json.load(open('page.json'))
s = {}
for l in open('sums.tsv'):
    y, r, c, m = l.rstrip('\n').split('\t'); s[(int(y), r, c)] = int(m) / 1e6
bad = []
def bars(cid): return [(b[0], b[1]) for b in page['bars'].get(cid, [])]
years = sorted({k[0] for k in s})
want = [(f'{y} 年', s.get((y, 'new', 'total'), 0)) for y in years]
if bars('chart-applications') != want: bad.append(f"applications {bars('chart-applications')} != {want}")
groups = [('（一）予以公开', ['r_granted']), ('（二）部分公开（区分处理的，只计这一情形，不计其他情形）', ['r_partial']),
          ('（三）不予公开', [f'r_deny_{x}' for x in ('secret', 'law', 'safety', 'third', 'internal', 'process', 'enforce', 'query')]),
          ('（四）无法提供', ['r_unable_none', 'r_unable_make', 'r_unable_unclear']),
          ('（五）不予处理', [f'r_nohandle_{x}' for x in ('petition', 'repeat', 'publication', 'massive', 'confirm')]),
          ('（六）其他处理', ['r_other_overdue', 'r_other_fee', 'r_other_else'])]
want = [(g, sum(s.get((2023, r, 'total'), 0) for r in rows)) for g, rows in groups]
if bars('chart-outcomes') != want: bad.append(f"outcomes {bars('chart-outcomes')} != {want}")
names = {'review': '行政复议', 'direct': '行政诉讼·未经复议直接起诉', 'after': '行政诉讼·复议后起诉'}
res = {'upheld': '结果维持', 'corrected': '结果纠正', 'other': '其他结果', 'pending': '尚未审结'}
want = [(f'{names[g]}·{res[x]}', s.get((2023, 'cases', f'{g}_{x}'), 0)) for g in names for x in res]
if bars('chart-review') != want: bad.append(f"review {bars('chart-review')} != {want}")
if not any(v for _, v in want): bad.append('the review chart is all zero')
unit_of = dict(l.rstrip('\n').split('\t') for l in open('units.tsv'))
last = {}
for r in json.load(open('check.json'))['reports']:
    last[unit_of[r['file']]] = sum(1 for f in r['findings'] if f['severity'] in ('error', 'warning'))
n = [(u, k) for u, k in last.items() if k]
n.sort(key=lambda x: (-x[1], x[0].encode()))
if bars('chart-ranking') != n[:20]: bad.append(f"ranking {bars('chart-ranking')} != {n[:20]}")
# bar lengths proportional to the values within each chart
for cid, bs in page['bars'].items():
    top = max(b[1] for b in bs)
    for l, v, w in bs:
        if top and abs(w - v / top * max(b[2] for b in bs)) > 1.01: bad.append(f'{cid}: bar {l} {v} has width {w}')
print('\n'.join(bad[:12]))
sys.exit(1 if bad else 0)
PY
}

test_overview_page_is_self_contained_and_renders_in_chromium() {
  overview_region
  run overview --db r.db --year 2023 -o ov.html || return 1
  expect_status 0
  ! grep -Eqi 'https?://' ov.html || fail "the page refers to the network: $(grep -Eoi 'https?://[^" ]*' ov.html | head -3)"
  ! grep -Eqi '<script|<link|<img|<iframe|@import|url\(| src=' ov.html || fail "the page loads something"
  [ "$(grep -c '<svg id="chart-' ov.html)" -eq 4 ] || fail "expected 4 SVG charts"
  local chrome
  chrome=$(command -v chromium || command -v chromium-browser || true)
  [ -n "$chrome" ] || { fail "chromium is not installed (scripts/setup installs it)"; return 1; }
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --user-data-dir="$PWD/chrome" \
    --screenshot="$PWD/shot.png" --window-size=1200,2000 "file://$PWD/ov.html" >chrome.log 2>&1 || true
  [ -s shot.png ] || { tail -5 chrome.log; fail "no screenshot"; return 1; }
  python3 - <<'PY' || fail "the screenshot is blank or of the wrong size"
import struct, zlib, sys
d = open('shot.png', 'rb').read()
assert d[:8] == b'\x89PNG\r\n\x1a\n'
w, h, depth, ctype = struct.unpack('>IIBB', d[16:26])
pos, idat = 8, b''
while pos < len(d):
    n, = struct.unpack('>I', d[pos:pos + 4]); kind = d[pos + 4:pos + 8]
    if kind == b'IDAT': idat += d[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
bpp = {2: 3, 6: 4}[ctype]
stride = w * bpp
# unfilter rows (PNG filters 0-4) to count pixels that are not white
prev, ink, colours = bytearray(stride), 0, set()
for y in range(h):
    f = raw[y * (stride + 1)]; row = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = row[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
        if f == 1: row[i] = (row[i] + a) & 255
        elif f == 2: row[i] = (row[i] + b) & 255
        elif f == 3: row[i] = (row[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            row[i] = (row[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    if y % 4 == 0:
        for x in range(0, w, 4):
            px = bytes(row[x * bpp:x * bpp + 3])
            colours.add(px)
            if px != b'\xff\xff\xff': ink += 1
    prev = row
share = ink / ((h // 4) * (w // 4))
print(f'{w}x{h}, {share:.1%} not white, {len(colours)} colours')
sys.exit(0 if (w, h) == (1200, 2000) and 0.02 < share < 0.9 and len(colours) > 8 else 1)
PY
}

test_overview_output_rules_usage_and_help() {
  overview_region
  echo old > old.html
  run overview --db r.db --year 2023 -o old.html || return 1
  expect_status 2
  [ "$(cat old.html)" = old ] || fail "old.html replaced without --force"
  run overview --db r.db --year 2023 -o old.html --force || return 1
  expect_status 0
  grep -q '<svg id="chart-applications"' old.html || fail "--force did not write the page"
  [ -z "$(ls -A . | grep -v -e '^reg$' -e '\.csv$' -e '\.txt$' -e '\.tsv$' -e '\.db' -e '^dup$' -e '^old\.html$')" ] ||
    fail "files left behind: $(ls -A)"
  run overview --db r.db -o x.html || return 1
  expect_status 2
  expect_stderr "请用 --year 给出年度"
  [ ! -e x.html ] || fail "a page without --year"
  run overview --db nothere.db --year 2023 -o x.html || return 1
  expect_status 2
  [ ! -e nothere.db ] || fail "overview created a database"
  run overview --help || return 1
  expect_status 0
  expect_stdout "用法：nianbao overview --year Y"
  expect_stdout "不引用任何网络资源"
}
