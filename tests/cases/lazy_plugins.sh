# check loads only the plugin files it needs (plugin/plugin_lazy.c): the
# built-in importers and renderers declare in their opening "--:" lines what
# they register; check runs an importer's file only when a file may be its.
# The findings must be those of a full load, which --plugin-dir forces.

EX="$NB_ROOT/examples/example-county-transport-2024.txt"

# files of every kind the importers read, and the real reports
every_kind() {
  local t
  for t in csv md json html docx txt xlsx; do
    run render --force --to "$t" -o "r.$t" "$EX" || return 1
    expect_status 0 || return 1
  done
  cp r.csv noext # a file without an extension: every detect is asked
  cp r.docx docx-as.txt; cp r.html html-as.txt; cp r.xlsx xlsx-as.txt # known by their content
  cp "$EX" r.md.txt
  # flattened text: known by a heading inside a line (its "--: headings" line)
  cp "$NB_ROOT/tests/fixtures/signed-2020-flattened.txt" flat1.txt
  awk -v seed=7 -v big=500 -f "$NB_ROOT/tests/fixtures/flattened-gen.awk" > flat2.txt
  # text from a PDF-to-Markdown tool, and the same as OCR writes it (no
  # pipes): pipe_text knows them by their marks (its "--: marks" line)
  "$NIANBAO" render "$EX" --to md | awk -f "$NB_ROOT/tests/fixtures/pdf2md.awk" > pipes.txt
  sed -e 's/^| *//; s/ *|$//; s/ | / /g; s/|/ /g' pipes.txt > ocr.txt
  printf 'garbage\001\n' > bad.bin
  # both the csv importer and the example importer say yes:
  # a full load asks csv first, and so must a lazy one
  printf '申请人类型,新收,上年结转,办结\n一、本年新收政府信息公开申请数量,1,2,3\n' > both.csv
  FILES="flat1.txt flat2.txt pipes.txt ocr.txt docx-as.txt html-as.txt xlsx-as.txt both.csv r.csv r.md r.json r.html r.docx r.txt r.xlsx noext r.md.txt bad.bin $EX"
  if [ -d "$NB_CORPUS" ]; then
    for f in "$NB_CORPUS"/*; do FILES="$FILES $f"; done
  fi
}

test_lazy_check_same_as_full_load() {
  every_kind || return 1
  mkdir empty
  # shellcheck disable=SC2086
  run check -j 1 --json $FILES || return 1
  mv stdout.txt lazy.json; mv stderr.txt lazy.err; local lazy=$STATUS
  # shellcheck disable=SC2086
  run check -j 1 --json --plugin-dir empty $FILES || return 1
  cmp -s lazy.json stdout.txt || { diff lazy.json stdout.txt | head -20; fail "findings differ from a full load"; return 1; }
  cmp -s lazy.err stderr.txt || { diff lazy.err stderr.txt | head; fail "standard error differs from a full load"; return 1; }
  [ "$lazy" = "$STATUS" ] || fail "exit status $lazy, a full load gives $STATUS"
  # something was read in each kind
  [ "$(grep -c '"format":[[:space:]]*"gov-' lazy.json)" -ge 11 ] || fail "fewer reports read than expected"
  [ "$(grep -c '"rule":[[:space:]]*"IMPORT-PIPE"' lazy.json)" -ge 1 ] || fail "pipe_text read nothing"
}

# add loads importers as check does (its parent checks what its workers
# import, so every format's rules are compiled at start): the same store as
# a full load, for every kind of file, with one process and with two
test_lazy_add_same_as_full_load() {
  every_kind || return 1
  mkdir empty
  local j db
  for j in 1 2; do
    for db in lazy full; do
      local extra=""; [ "$db" = full ] && extra="--plugin-dir empty"
      # shellcheck disable=SC2086
      run add --db "$db$j.db" -j "$j" $extra $FILES || return 1
      mv stdout.txt "$db$j.out"; cat stderr.txt >> "$db$j.out"; echo "status $STATUS" >> "$db$j.out"
      run check --db "$db$j.db" --json || return 1
      mv stdout.txt "$db$j.check"
      run ls --db "$db$j.db" --json || return 1
      grep -v '"added"' stdout.txt > "$db$j.ls"
    done
    local f
    for f in out check ls; do
      cmp -s "lazy$j.$f" "full$j.$f" || { diff "lazy$j.$f" "full$j.$f" | head; fail "add -j $j: $f differs from a full load"; } || return 1
    done
  done
  [ "$(grep -c '"unit"' lazy1.ls)" -ge 11 ] || fail "fewer reports stored than expected"
  # a .txt alone: the importers of other kinds are never run
  NIANBAO_LOAD_TRACE=1 run add --db one.db -j 1 "$EX" || return 1
  expect_status 0 && expect_stderr "importers/text.lua" || return 1
  ! grep -q "importers/docx.lua\|importers/csv.lua\|importers/html.lua" stderr.txt || fail "add loaded an importer no file needs"
}

# render loads importers as check does (renderers all loaded): the same
# pages as a full load for every kind of file, one at a time and in a batch
test_lazy_render_same_as_full_load() {
  every_kind || return 1
  mkdir empty
  local mode f n t batch="pipes.txt bad.bin"
  for t in csv json html docx txt xlsx; do # one name each: the batch writes name.md
    cp "r.$t" "$t-in.$t"; batch="$batch $t-in.$t"
  done
  for mode in lazy full; do
    local extra=""; [ "$mode" = full ] && extra="--plugin-dir empty"
    mkdir "$mode"; n=0
    # shellcheck disable=SC2086
    run render --to md -o "$mode/batch" $extra $batch || return 1
    { cat stdout.txt stderr.txt; echo "status $STATUS"; } | sed "s#$mode/##g" > "$mode/batch.out"
    for f in $FILES; do
      n=$((n + 1))
      # shellcheck disable=SC2086
      run render --to json $extra "$f" || return 1
      { cat stdout.txt stderr.txt; echo "status $STATUS"; } > "$mode/$n.out"
    done
  done
  diff -r lazy full > render.diff || { head -20 render.diff; fail "render differs from a full load"; } || return 1
  [ "$(grep -l '"format"' lazy/*.out | wc -l)" -ge 11 ] || fail "fewer reports rendered than expected"
  [ "$(ls lazy/batch | wc -l)" -ge 6 ] || fail "fewer pages in the batch than expected"
  # a .txt alone: the importers of other kinds are never run
  NIANBAO_LOAD_TRACE=1 run render --to html -o one.html "$EX" || return 1
  expect_status 0 && expect_stderr "importers/text.lua" && expect_stderr "renderers/html.lua" || return 1
  ! grep -q "importers/docx.lua\|importers/csv.lua\|importers/html.lua" stderr.txt || fail "render loaded an importer no file needs"
}

# a .txt alone: check runs no importer of another kind, the example
# importer (plugins/importers/examples/, for a .csv) included, the flattened
# importer unless a heading stands inside a line, and no renderer
test_lazy_check_of_a_txt_loads_its_importers_only() {
  NIANBAO_LOAD_TRACE=1 run check "$EX" || return 1
  expect_status 0 && expect_stderr "importers/text.lua" || return 1
  ! grep -q "importers/examples/\|importers/csv.lua\|importers/docx.lua\|importers/flattened.lua\|renderers/" stderr.txt ||
    fail "check of a .txt loaded a file it does not need: $(grep 'importers/examples/\|importers/csv\|importers/flattened\|renderers/' stderr.txt)"
  # flattened text (a heading inside a line): the flattened importer is loaded and reads it
  NIANBAO_LOAD_TRACE=1 run check --json "$NB_ROOT/tests/fixtures/signed-2020-flattened.txt" || return 1
  expect_stderr "importers/flattened.lua" && expect_stdout IMPORT-AMBIGUOUS
}

test_lazy_via_names_every_importer() {
  run check --via nosuch "$EX" || return 1
  expect_status 2 && expect_stderr "pipe_text" && expect_stderr "xlsx" || return 1
  run check --via text "$EX" || return 1
  expect_status 0
}

test_plugins_lists_every_plugin() {
  run plugins || return 1
  expect_status 0 && expect_stdout "renderers/xlsx.lua" && expect_stdout "importers/pdf.lua" &&
    expect_stdout "  pipe_text" && expect_stdout "  docx"
}

# a built-in file is held to its declaration (check leaves it unloaded on
# its word); a user's plugin is not: its "--:" lines, copied from a
# built-in file it was made from, are comments
test_declaration_must_match_the_registration() {
  mkdir -p p
  copy_data
  cat > data/plugins/importers/mine.lua <<'LUA'
--: importer mine
--: extensions abc
local host = ...
host.importer({ id = "mine", description = "x", extensions = { "xyz" }, import = function() end })
LUA
  NIANBAO_DATA_DIR=$PWD/data run plugins || return 1
  expect_status 2 && expect_stderr "mine.lua: 文件开头的声明（--:）与插件不符：声明的扩展名与注册的不符" || return 1
  cp data/plugins/importers/mine.lua p/
  run check --plugin-dir p "$EX" || return 1
  expect_status 0 || return 1
  sed -i 's/"xyz"/"abc"/' data/plugins/importers/mine.lua
  NIANBAO_DATA_DIR=$PWD/data run plugins || return 1
  expect_status 0 && expect_stdout mine
}

test_malformed_declaration_names_file_and_line() {
  mkdir p
  printf -- '-- an importer\n--: content within x "A"\nlocal host = ...\n' > p/bad.lua
  run check --plugin-dir p "$EX" || return 1
  expect_status 2 && expect_stderr "bad.lua:2: 无法理解这一行声明"
}

# the declared marks are searched by their rarest bytes (plugin_decl.c):
# each within its own reach, marks sharing that byte all tried, a nocase
# one in either case; a head cut inside its last character is still UTF-8
probe_data_dir() {
  copy_data
  cat > data/plugins/importers/probe.lua <<'LUA'
--: importer probe
--: extensions txt
--: marks txt within 40 "AB" "AC" "9 " "｜"
local host = ...
host.importer({ id = "probe", description = "x", extensions = { "txt" },
  detect = function() return true end, import = function() host.input_error(1, "PROBE-READ") end })
LUA
  cat > data/plugins/importers/probe2.lua <<'LUA'
--: importer probe2
--: extensions xyz
--: content within 30 nocase "<Probe" "<Q"
local host = ...
host.importer({ id = "probe2", description = "x", extensions = { "xyz" }, by_content = true,
  detect = function() return true end, import = function() host.input_error(1, "PROBE2-READ") end })
LUA
  sed 's/probe2/probe3/g; s/"<Probe" "<Q"/"zed"/; s/PROBE2/PROBE3/' data/plugins/importers/probe2.lua \
    > data/plugins/importers/probe3.lua
}

# "probe" when the gate let its detect run, else the text importer read it
read_by() {
  NIANBAO_DATA_DIR=$PWD/data run check "$1" || return 1
  if grep -qF "PROBE-READ" stderr.txt; then echo probe; else echo text; fi
}

test_marks_gate_searches_every_mark_by_its_rarest_byte() {
  probe_data_dir
  local pad=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx # 38 bytes
  local f want
  printf '%sAC\n' "$pad" > ac.txt        # the second mark of the chain of "A", ending at byte 40
  printf '%sx9 \n' "$pad" > late.txt    # "9 " would end at byte 41: beyond its reach
  printf 'xx｜\n' > wide.txt             # a multi-byte mark
  printf 'xxAxA9x\n' > none.txt          # first bytes of marks, no mark
  # a mark is searched by its rarest byte ("9 " by its space): every hit of
  # that byte tried, none before the mark could begin
  printf 'x \t 9 \n' > spaces.txt
  printf ' 9\n9\n' > before.txt
  for f in ac:probe late:text wide:probe none:text spaces:probe before:text; do
    want=${f#*:}
    [ "$(read_by "${f%%:*}.txt")" = "$want" ] || fail "${f%%:*}.txt: not read by $want"
  done
  # a head of 4096 bytes cut inside a character is UTF-8: no mark, no detect
  awk 'BEGIN { for (i = 0; i < 1500; i++) printf "年"; print "" }' > cut.txt
  [ "$(read_by cut.txt)" = text ] || fail "cut.txt: a cut last character made the head not UTF-8"
  printf '\xc4\xea\xb1\xa8\n' > gbk.txt  # GBK: detect reads it converted, whatever the marks
  [ "$(read_by gbk.txt)" = probe ] || fail "gbk.txt: not UTF-8, so detect must be asked"
  # content marks, nocase, within their reach
  printf 'xx<q<PROBE\n' > a.txt; printf '%s<probe\n' "$pad" > b.txt
  NIANBAO_DATA_DIR=$PWD/data run check a.txt || return 1
  expect_stderr "PROBE2-READ" || return 1
  NIANBAO_DATA_DIR=$PWD/data run check b.txt || return 1
  ! grep -qF "PROBE2-READ" stderr.txt || fail "b.txt: a mark beyond its reach loaded probe2"
  printf 'xxZED\n' > c.txt # a letter: both cases begin the mark
  NIANBAO_DATA_DIR=$PWD/data run check c.txt || return 1
  expect_stderr "PROBE3-READ"
}

# the declared headings gate (plugin_decl.c): detect is asked only when a
# section heading of a format that holds the anchor stands after other text
# on its line within the reach; a head that is not UTF-8 is always asked
test_headings_gate_asks_detect_only_for_an_inline_heading() {
  copy_data
  cat > data/plugins/importers/probe.lua <<'LUA'
--: importer probe
--: extensions txt
--: headings txt within 60 "、"
local host = ...
host.importer({ id = "probe", description = "x", extensions = { "txt" },
  detect = function() return true end, import = function() host.input_error(1, "PROBE-READ") end })
LUA
  local pad=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx # 50 bytes
  local f want
  printf '一、总体情况\n' > start.txt               # at the start of its line
  printf ' \t一、总体情况\n' > indent.txt           # white space only before it
  printf '前文一、总体情况\n' > inline.txt           # after other text
  printf '标题\n正文。二、主动公开政府信息情况\n' > second.txt
  printf '%sx一、总体情况\n' "$pad" > far.txt        # ends past byte 60
  printf '正文概述\n' > bare.txt                     # a heading without the anchor (legacy's)
  printf '\xc4\xea\xb1\xa8\n' > gbk.txt              # not UTF-8: detect reads it converted
  for f in start:text indent:text inline:probe second:probe far:text bare:text gbk:probe; do
    want=${f#*:}
    [ "$(read_by "${f%%:*}.txt")" = "$want" ] || fail "${f%%:*}.txt: not read by $want"
  done
  sed -i 's/--: headings txt within 60 "、"/--: headings txt within 60/' data/plugins/importers/probe.lua
  NIANBAO_DATA_DIR=$PWD/data run check inline.txt || return 1
  expect_status 2 && expect_stderr "probe.lua:3: 无法理解这一行声明"
}

test_loaded_importer_is_not_asked_about_a_file_its_gate_rules_out() {
  # once a file has passed an importer's gate (and loaded it), a later file
  # of the same process that its gate rules out is not shown to its detect
  # (this probe's detect says yes to everything: asking it would show)
  copy_data
  cat > data/plugins/importers/probe.lua <<'LUA'
--: importer probe
--: extensions txt
--: headings txt within 60 "、"
local host = ...
host.importer({ id = "probe", description = "x", extensions = { "txt" },
  detect = function() return true end, import = function(src) host.input_error(1, "PROBE-READ " .. src.name) end })
LUA
  printf '前文一、总体情况\n' > inline.txt
  cp "$NB_ROOT/examples/example-county-transport-2024.txt" start.txt
  NIANBAO_DATA_DIR=$PWD/data run check -j 1 inline.txt start.txt || return 1
  expect_stderr "PROBE-READ inline.txt" || return 1
  ! grep -qF "PROBE-READ start.txt" stderr.txt || fail "the probe's detect was asked about start.txt"
  expect_stdout "1 个无法读取；读出的 1 个报告"
}
