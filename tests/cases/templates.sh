# Templates: the engine's syntax (docs/templates.md), a user template
# directory overriding the built-in templates file by file, broken templates
# reported with file and line, and the table layout of a made-up format with
# shapes gov-2021 lacks (layout derived from the declaration alone).
source "$NB_ROOT/tests/outputs_lib.sh"

user_templates() { export XDG_DATA_HOME=$PWD/data; mkdir -p "$XDG_DATA_HOME/nianbao/templates/$1"; }

test_template_engine() {
  user_templates test
  cat > data/nianbao/templates/test/main.txt <<'T'
{{! a comment on a line of its own leaves no line }}
name={{name}} raw={{{name}}} amp={{& name }}
{{#list}}
- {{n}}
{{/list}}
{{^empty}}
an empty list is false
{{/empty}}
{{#flag}}flag{{/flag}}{{#no}}never{{/no}}{{^zero}} zero is false{{/zero}}
{{nested.inner.v}} {{#nested}}{{inner.v}}{{/nested}} {{#items}}[{{.}}]{{/items}} {{n}}
{{> test/part.txt}}
missing=[{{missing}}]
T
  printf 'partial sees {{name}}\n' > data/nianbao/templates/test/part.txt
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" "$EX" --to template-test || return 1
  expect_status 0 || return 1
  cat > want.txt <<'W'
name=&lt;甲&amp;乙&gt; raw=<甲&乙> amp=<甲&乙>
- 1
- 2
- 3
an empty list is false
flag zero is false
深 深 [a][b] outer
partial sees &lt;甲&amp;乙&gt;
missing=[]
W
  diff want.txt stdout.txt || fail "the template engine's output differs"
}

# templates are compiled into Lua code: names and text stay data (a name
# written as Lua code is only a name not found), an outer list's values are
# seen from an inner one, and a template that includes itself stops
test_compiled_template_keeps_names_and_text_as_data() {
  user_templates test
  cat > data/nianbao/templates/test/main.txt <<'T'
{{#list}}{{#items}}<{{n}}{{.}}>{{/items}}{{^items}}x{{/items}}{{/list}}
[{{x"] error("boom") --}}][{{ ]] .. error("boom") .. [[ }}][{{a.b.c.d}}]
end return 1 ]] "' \n
T
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" "$EX" --to template-test || return 1
  expect_status 0 || return 1
  printf '<1a><1b><2a><2b><3a><3b>\n[][][]\nend return 1 ]] "'"'"' \\n\n' > want.txt
  diff want.txt stdout.txt || fail "the compiled template's output differs"
  printf 'again {{> test/main.txt}}\n' > data/nianbao/templates/test/main.txt
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" "$EX" --to template-test || return 1
  expect_status 2 && expect_stderr "模板 test/main.txt：局部模板（{{> …}}）嵌套超过 20 层"
}

# a name is looked up from the innermost context out, through the levels of
# the template and of the template that includes it; a context that is no
# table (a string item, a number) is passed over
test_template_names_found_through_every_level() {
  user_templates test
  printf '{{#list}}{{#items}}{{> test/part.txt}}{{/items}}{{/list}}|{{#zero}}z{{/zero}}{{#nested}}{{#inner}}{{#v}}{{v}}{{n}}{{{name}}}{{/v}}{{/inner}}{{/nested}}\n' \
    > data/nianbao/templates/test/main.txt
  printf '({{.}}{{n}}{{{flag}}}{{#n}}{{.}}{{zero}}{{/n}})' > data/nianbao/templates/test/part.txt
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" "$EX" --to template-test || return 1
  expect_status 0 || return 1
  printf '(a1true10)(b1true10)(a2true20)(b2true20)(a3true30)(b3true30)|深outer<甲&乙>\n' > want.txt
  diff want.txt stdout.txt || fail "names are not found through the levels"
}

# the escaped text of a value is remembered only for the engine's own
# escape functions; a renderer's own is called for every value, repeated or not
test_own_escape_function_is_called_for_every_value() {
  user_templates test
  printf '{{#items}}{{.}} {{/items}}{{n}} {{n}}\n' > data/nianbao/templates/test/main.txt
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" "$EX" --to template-count || return 1
  expect_status 0 || return 1
  printf 'a#1 b#2 a#3 7#4 7#5\n' > want.txt
  diff want.txt stdout.txt || fail "the renderer's escape function was not called for every value"
}

# a render started from an escape function, while another is running,
# writes into a list of its own (template.lua keeps one list for the next
# render): the outer text stays whole, in each report of a batch
test_template_filled_from_an_escape_function() {
  user_templates test
  printf 'x={{x}} y={{y}}{{#list}} {{.}}{{/list}}\n' > data/nianbao/templates/test/nest.txt
  printf '<{{v}}>' > data/nianbao/templates/test/inner.txt
  cp "$EX" a.txt && cp "$EX" b.txt
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" --to template-nested -o out a.txt b.txt || return 1
  expect_status 0 || return 1
  local f
  for f in out/a.tn out/b.tn; do
    [ "$(cat $f)" = "x=[<1>] y=[<二>] [<a>] [<b>]" ] || { fail "$f: $(cat $f)"; return 1; }
  done
}

test_broken_template_is_reported_with_its_line() {
  user_templates test
  printf 'line one\n{{#list}}\n{{n}}\n' > data/nianbao/templates/test/main.txt
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" "$EX" --to template-test || return 1
  expect_status 2 && expect_stderr "模板 test/main.txt:2：{{#list}} 没有用 {{/list}} 结束" || return 1
  printf '{{#list}}x{{/lost}}\n' > data/nianbao/templates/test/main.txt
  run render --plugin-dir "$NB_ROOT/tests/data/template-engine" "$EX" --to template-test || return 1
  expect_status 2 && expect_stderr "模板 test/main.txt:1：{{/lost}} 与 {{#list}} 不配对"
}

test_user_template_overrides_one_file() {
  user_templates html
  printf '.report { color: #123456; }\n' > data/nianbao/templates/html/style.css
  run render "$EX" --to html || return 1
  expect_status 0 && expect_stdout '.report { color: #123456; }' && expect_no_stdout '@page' &&
    expect_stdout '<table id="t3"' || return 1
  rm data/nianbao/templates/html/style.css
  run render "$EX" --to html || return 1
  expect_stdout '@page'
}

test_docx_part_override() {
  user_templates docx/docProps
  printf '<?xml version="1.0"?>\n<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>自定义：{{title}}</dc:title></cp:coreProperties>\n' \
    > data/nianbao/templates/docx/docProps/core.xml
  run render "$EX" -o ex.docx || return 1
  expect_status 0 || return 1
  unzip -p ex.docx docProps/core.xml | grep -q '<dc:title>自定义：示例县交通运输局2024年政府信息公开工作年度报告</dc:title>' ||
    fail "the user's docProps/core.xml was not used"
  unzip -p ex.docx word/document.xml | grep -q 'w:gridSpan' || fail "the other parts should stay built-in"
}

test_zip_rejects_a_bad_entry_name() {
  run render --plugin-dir "$NB_ROOT/tests/data/bad-zip" "$EX" --to bad-zip -o out.badzip || return 1
  expect_status 2 && expect_stderr "host.zip：项名 '../escape.xml' 应为不含 '..' 的相对路径" || return 1
  [ ! -e out.badzip ] || fail "nothing may be written"
}

# a format with a three-level column tree, a group row with values, a
# narrower block and a block without row labels
test_layout_follows_any_format_declaration() {
  local plugins="--plugin-dir $NB_ROOT/tests/data/grid-format" report="$NB_ROOT/tests/data/grid-report.json"
  run render $plugins "$report" -o grid.html || return 1
  expect_status 0 || return 1
  html_cells grid.html tx > cells.txt
  cat > want.txt <<'W'
title|甲块|1|7
corner|项目|3|3
head|上层|1|3
head|列四|3|1
head|中层|1|2
head|列三|2|1
head|列一|1|1
head|列二|1|1
label|一、行一|1|3
value|1|1|1
value|2|1|1
value|3|1|1
value|4|1|1
label|二、组|1|3
value|5|1|1
value|6|1|1
value|7|1|1
value|8|1|1
group||3|1
label|（一）子一|1|2
value|9|1|1
value|10|1|1
value|11|1|1
value|12|1|1
group|（二）子组|2|1
label|1.孙一|1|1
value|13|1|1
value|14|1|1
value|15|1|1
value|16|1|1
label|2.孙二|1|1
value|17|1|1
value||1|1
value|/|1|1
value|20|1|1
title|乙块|1|7
corner|项目|1|3
head|单列|1|4
label|单行|1|3
value|21|1|4
corner||1|3
head|无标签一|1|1
head|无标签二|1|3
label||1|3
value|22|1|1
value|23|1|3
W
  diff want.txt cells.txt || fail "the made-up format's grid differs"
  # the published text, LibreOffice's one-cell-a-line text and the browser's text read back the same
  "$NIANBAO" render $plugins "$report" --to txt > grid.txt 2>/dev/null
  awk '/^\t/ { print substr($0, 2); next } $0 != "" { print }' grid.txt > grid-lines.txt
  perl "$NB_ROOT/tests/html_text.pl" < grid.html > grid-browser.txt
  local f
  for f in grid.txt grid-lines.txt grid-browser.txt; do
    "$NIANBAO" render $plugins "$report" --to json > a.json
    "$NIANBAO" render $plugins $f --to json > b.json 2>err.txt || { cat err.txt; fail "cannot import $f"; return 1; }
    cmp -s a.json b.json || { diff a.json b.json | head; fail "$f does not import as the same report"; return 1; }
  done
}
