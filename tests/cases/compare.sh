# nianbao compare UNIT Y1 Y2: two stored years of one unit side by side.  A
# generated region is stored; every cell's values and change, the large
# 同比 marks, each section's bigram-Dice similarity and the sentence diff of
# section 五 are recomputed independently (python3 over the sqlite3 store)
# and compared with the JSON; the text output agrees with the JSON.

# a region of 5 units × 2021-2023, every report readable; unit 1's 2022
# report gets a changed and a new sentence in 五 (the diff has both sides)
compare_region() {
  mkdir -p reg
  "$NB_ROOT/scripts/gen-corpus" --seed 11 --broken 0 --units 5 --years 2021-2023 reg >/dev/null
  UNIT=$(awk -F'\t' 'NR == 1 { print $4 }' reg/manifest.tsv)
  local f2022
  f2022=reg/$(awk -F'\t' -v u="$UNIT" '$4 == u && $5 == 2022 { print $1 }' reg/manifest.tsv)
  python3 - "$f2022" <<'PY'
import sys
p = sys.argv[1]
lines = open(p, encoding='utf-8').read().split('\n')
i = lines.index('（一）存在的主要问题') + 1
first = lines[i].split('。')[0]
lines[i] = lines[i].replace(first, '一是部分栏目更新不及时，个别信息发布滞后') + '五是本年新发现的问题还需要整改。'
open(p, 'w', encoding='utf-8').write('\n'.join(lines))
PY
  mv reg/manifest.tsv manifest.tsv
  "$NIANBAO" add -q --db r.db reg >/dev/null || fail "add failed"
}

# independent: the comparison recomputed from the store with python3
expected_json() {
  python3 - "$UNIT" "$1" "$2" <<'PY'
import sqlite3, sys, json, re
unit, y1, y2 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect('r.db')
def rid(y):
    return db.execute('SELECT id FROM report WHERE current AND unit = ? AND year = ? ORDER BY id DESC LIMIT 1',
                      (unit, y)).fetchone()[0]
a, b = rid(y1), rid(y2)
def cells(r):
    return {(t, ro, c): (v if k != 'blank' else None)
            for t, ro, c, v, k in db.execute('SELECT tab, row, col, value, kind FROM cell WHERE report = ?', (r,))}
ca, cb = cells(a), cells(b)
out = {}
for key in cb:
    v1, v2 = ca.get(key), cb.get(key)
    n1 = int(v1) if v1 is not None and re.fullmatch(r'-?\d+', v1) else None
    n2 = int(v2) if v2 is not None and re.fullmatch(r'-?\d+', v2) else None
    change = None if n1 is None or n2 is None else n2 - n1
    large = False
    if change:
        hi, lo = max(n1, n2), min(n1, n2)
        large = hi >= 10 and (lo <= 0 or hi / lo >= 3)
    out['.'.join(key)] = [v1, v2, None if change is None else str(change), large]
def secs(r):
    return [(h, lvl, body or '') for h, lvl, body in
            db.execute('SELECT heading, level, body FROM section WHERE report = ? ORDER BY seq', (r,))]
sa, sb = secs(a), secs(b)
def dice(x, y):
    x = [c for c in x if not c.isspace()]; y = [c for c in y if not c.isspace()]
    gx = [x[i] + x[i + 1] for i in range(len(x) - 1)]; gy = [y[i] + y[i + 1] for i in range(len(y) - 1)]
    bag = {}
    for g in gx: bag[g] = bag.get(g, 0) + 1
    common = 0
    for g in gy:
        if bag.get(g, 0) > 0: bag[g] -= 1; common += 1
    return common, len(gx), len(gy), (2 * common / (len(gx) + len(gy)) if gx or gy else None)
ta = {h: t for h, _, t in sa}
sims = {}
for h, _, t in sb:
    if t or ta.get(h):
        sims[h] = dice(ta.get(h, ''), t)
def five(ss):
    text, inside = [], False
    for h, lvl, t in ss:
        if lvl <= 1: inside = '问题' in h and '改进' in h
        if inside and t: text.append(t)
    sents, seen = [], set()
    for s in re.split(r'(?<=[。！？；])|\n', '\n'.join(text)):
        s = s.strip()
        if s and s not in seen: seen.add(s); sents.append(s)
    return sents
fa, fb = five(sa), five(sb)
diff = {'shared': [s for s in fb if s in fa], 'only_y1': [s for s in fa if s not in fb],
        'only_y2': [s for s in fb if s not in fa]}
json.dump({'cells': out, 'sims': sims, 'diff': diff}, open('want.json', 'w'), ensure_ascii=False)
PY
}

test_compare_json_matches_an_independent_computation() {
  compare_region
  run compare --db r.db "$UNIT" 2021 2022 --json || return 1
  expect_status 0
  expected_json 2021 2022
  python3 - <<'PY' || fail "compare --json differs from the independent computation"
import json, sys
got, want = json.load(open('stdout.txt')), json.load(open('want.json'))
bad = []
gc = {f"{c['table']}.{c['row']}.{c['col']}": [c['y1'], c['y2'], c['change'], c['large']] for c in got['cells']}
if gc != want['cells']:
    for k in sorted(set(gc) | set(want['cells'])):
        if gc.get(k) != want['cells'].get(k): bad.append(f"cell {k}: got {gc.get(k)} want {want['cells'].get(k)}")
s = got['summary']
if s['cells'] != len(want['cells']) or s['large'] != sum(1 for v in want['cells'].values() if v[3]):
    bad.append(f"summary {s}")
if s['large'] < 1 or s['changed'] <= s['large']:
    bad.append(f"the region should give large and ordinary changes: {s}")
gs = {x['heading']: x for x in got['sections']}
if set(gs) != set(want['sims']): bad.append(f"sections {sorted(gs)} vs {sorted(want['sims'])}")
for h, (common, n1, n2, sim) in want['sims'].items():
    g = gs.get(h)
    if not g: continue
    if (g['bigrams_common'], g['bigrams_y1'], g['bigrams_y2']) != (common, n1, n2) or abs(g['similarity'] - sim) > 1e-4:
        bad.append(f"section {h}: got {g} want {(common, n1, n2, sim)}")
d = got['problems']
for k in ('shared', 'only_y1', 'only_y2'):
    if d[k] != want['diff'][k]: bad.append(f"problems.{k}: got {d[k]} want {want['diff'][k]}")
if not (want['diff']['only_y1'] and want['diff']['only_y2'] and want['diff']['shared']):
    bad.append('the edited report should give sentences on every side')
if got['years'] != [2021, 2022] or got['thresholds']['factor'] != 3 or got['thresholds']['min_cases'] != 10:
    bad.append(f"years/thresholds {got['years']} {got['thresholds']}")
print('\n'.join(bad[:15]), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
}

test_compare_text_agrees_with_the_json() {
  compare_region
  run compare --db r.db "$UNIT" 2022 2023 --json || return 1
  mv stdout.txt got.json
  run compare --db r.db "$UNIT" 2022 2023 || return 1
  expect_status 0
  local cells changed large nsec
  read -r cells changed large nsec < <(python3 -c 'import json; d = json.load(open("got.json")); s = d["summary"]
print(s["cells"], s["changed"], s["large"], len(d["sections"]))')
  expect_stdout "$UNIT 2022 年与 2023 年报告对比"
  expect_stdout "一、表格：共 $cells 格，$changed 格有变化，$large 格同比变化大"
  [ "$(grep -c '※$' stdout.txt)" -eq "$large" ] || fail "※ marks $(grep -c '※$' stdout.txt), expected $large"
  [ "$(grep -v '^  行 · 列' stdout.txt | grep -c '^  .* · .*	.*	.*	')" -eq "$cells" ] || fail "not every cell is listed"
  [ "$(awk '/^二、各部分文字相似度/ { on = 1; next } /^$/ { on = 0 } on' stdout.txt | wc -l)" -eq "$nsec" ] ||
    fail "not every section's similarity is listed"
  expect_stdout "三、五、存在的主要问题及改进情况 逐句对比"
}

test_compare_missing_year_or_unit_is_a_chinese_error_and_exit_2() {
  compare_region
  run compare --db r.db "$UNIT" 2019 2022 || return 1
  expect_status 2
  expect_stderr "库中没有“$UNIT”2019 年度的报告；该单位存有 2021、2022、2023 年度的报告"
  run compare --db r.db 不存在的局 2021 2022 || return 1
  expect_status 2
  expect_stderr "库中没有单位“不存在的局”的任何报告"
  run compare --db r.db "$UNIT" 2021 || return 1
  expect_status 2
  run compare --db r.db "$UNIT" 2021 二〇二二 || return 1
  expect_status 2
  expect_stderr "年度“二〇二二”应为四位数的年份"
  run compare --db nothere.db "$UNIT" 2021 2022 || return 1
  expect_status 2
  [ ! -e nothere.db ] || fail "compare created a database"
}

test_compare_output_file_is_not_replaced_without_force() {
  compare_region
  run compare --db r.db "$UNIT" 2021 2022 -o cmp.txt || return 1
  expect_status 0
  grep -q "一、表格" cmp.txt || fail "cmp.txt not written"
  echo old > old.txt
  run compare --db r.db "$UNIT" 2021 2022 -o old.txt || return 1
  expect_status 2
  [ "$(cat old.txt)" = old ] || fail "old.txt replaced without --force"
  run compare --db r.db "$UNIT" 2021 2022 -o old.txt --force || return 1
  expect_status 0
  grep -q "一、表格" old.txt || fail "--force did not replace"
  run compare --help || return 1
  expect_status 0
  expect_stdout "用法：nianbao compare UNIT Y1 Y2"
}

test_compare_a_real_report_with_its_next_year_as_recomputed() {
  need_corpus
  # the real Shanggao 2023 report, and a "2024" made of it: years moved on, one problem rewritten
  cp "$NB_CORPUS/shanggao-commerce-2023.txt" a.txt
  sed 's/2023年/2024年/g; s/一是信息公开存在滞后性/一是政务新媒体更新不够及时/' a.txt > b.txt
  cmp -s a.txt b.txt && { fail "the edit changed nothing"; return 1; }
  "$NIANBAO" add -q --db r.db a.txt b.txt >/dev/null || { fail "add failed"; return 1; }
  UNIT=$(sqlite3 r.db 'SELECT unit FROM report LIMIT 1')
  run compare --db r.db "$UNIT" 2023 2024 --json || return 1
  expect_status 0
  expected_json 2023 2024
  python3 - <<'PY' || fail "compare of the real report differs from the independent computation"
import json, sys
got, want = json.load(open('stdout.txt')), json.load(open('want.json'))
bad = []
gc = {f"{c['table']}.{c['row']}.{c['col']}": [c['y1'], c['y2'], c['change'], c['large']] for c in got['cells']}
if gc != want['cells']: bad.append('cells differ')
if got['summary']['changed'] != 0: bad.append(f"no cell changed, yet {got['summary']}")
gs = {x['heading']: x for x in got['sections']}
for h, (common, n1, n2, sim) in want['sims'].items():
    g = gs.get(h)
    if not g or (g['bigrams_common'], g['bigrams_y1'], g['bigrams_y2']) != (common, n1, n2) or abs(g['similarity'] - sim) > 1e-4:
        bad.append(f"section {h}: got {g} want {(common, n1, n2, sim)}")
if set(gs) != set(want['sims']): bad.append('sections differ')
d = got['problems']
for k in ('shared', 'only_y1', 'only_y2'):
    if d[k] != want['diff'][k]: bad.append(f"problems.{k}: {d[k]} != {want['diff'][k]}")
if len(d['only_y1']) != 1 or len(d['only_y2']) != 1 or len(d['shared']) < 3: bad.append(f"diff sizes {d}")
print('\n'.join(bad[:10]))
sys.exit(1 if bad else 0)
PY
}
