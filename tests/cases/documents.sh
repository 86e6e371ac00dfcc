# The docx and html importers: nianbao's own .docx and .html read back to
# the same report, LibreOffice's and Chromium's versions of them, Word-like
# files made here from small XML (a label split over runs, tracked changes,
# automatic numbering, merged cells), a portal page around a report in GBK,
# importer choice by content, and bad files refused (exit 2, nothing written).

EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"

# a report as JSON, white space at the ends of strings dropped (paragraphs
# and cells are trimmed when read from a document)
json_of() { "$NIANBAO" render "$1" --to json 2>/dev/null | sed -E 's/[[:space:]]+"(,?)$/"\1/'; }

same_report() { # document text-file
  json_of "$2" > want.json && json_of "$1" > got.json || fail "render failed: $1" || return 1
  [ -s want.json ] && diff want.json got.json > diff.txt || { head -40 diff.txt; fail "reports differ: $1"; }
}

reports() { echo "$EXAMPLE"; [ -d "$NB_CORPUS" ] && ls "$NB_CORPUS"/*.txt; return 0; }

test_own_docx_and_html_read_back_the_same_report() {
  local f n
  for f in $(reports); do
    n=$(basename "$f" .txt)
    "$NIANBAO" render "$f" --force -o "$n.docx" 2>/dev/null && "$NIANBAO" render "$f" --force -o "$n.html" 2>/dev/null ||
      fail "render $f" || return 1
    same_report "$n.docx" "$f" && same_report "$n.html" "$f" || return 1
  done
}

test_check_and_new_read_last_years_docx() {
  "$NIANBAO" render "$EXAMPLE" -o last.docx 2>/dev/null || fail "render" || return 1
  run check last.docx || return 1
  expect_status 0 && expect_stdout "0 个错误" || return 1
  run new --prev last.docx --agency 示例县交通运输局 --year 2025 -o draft.md || return 1
  expect_status 0 && [ -s draft.md ] && grep -q "示例县交通运输局2025年政府信息公开工作年度报告" draft.md ||
    fail "no draft from last year's docx"
}

# the example's docx unpacked into dir $1
unpack_example() {
  "$NIANBAO" render "$EXAMPLE" -o ex.docx 2>/dev/null || fail "render" || return 1
  mkdir -p "$1" && (cd "$1" && unzip -q ../ex.docx) || fail "unzip"
}
# zip dir $1 into $2 (the parts in their order)
repack() { (cd "$1" && rm -f "../$2" && zip -q -X -r "../$2" '[Content_Types].xml' _rels docProps word) || fail "zip"; }

test_word_like_docx_runs_tracked_changes_and_numbering() {
  unpack_example w || return 1
  # 行政规范性文件 split over three runs; its 本年制发件数 "3" written over a
  # deleted "9"; a paragraph inserted with tracked changes; the six section
  # headings numbered by Word (numPr), their ordinals not in the text
  perl -0777 -i -pe '
    s{<w:r><w:t xml:space="preserve">行政规范性文件</w:t></w:r>}{<w:r><w:t>行政</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>规范性</w:t></w:r><w:proofErr w:type="spellStart"/><w:r><w:t>文件</w:t></w:r>}
      or die "no label";
    s{(<w:t>文件</w:t></w:r>.*?)<w:r><w:t xml:space="preserve">3</w:t></w:r>}{$1<w:del w:id="1" w:author="a"><w:r><w:delText>9</w:delText></w:r></w:del><w:ins w:id="2" w:author="a"><w:r><w:t>3</w:t></w:r></w:ins>}s
      or die "no value";
    $n = s{<w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">(?:一|二|三|四|五|六)、}{<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr><w:r><w:t xml:space="preserve">}g;
    $n == 6 or die "headings: $n";
    s{(<w:p><w:r><w:t xml:space="preserve">2024年，示例县交通运输局)}{<w:p><w:del w:id="3" w:author="a"><w:r><w:delText>删去的一句。</w:delText></w:r></w:del></w:p>$1};
  ' w/word/document.xml || fail "fixture" || return 1
  grep -q '<w:t>规范性</w:t>' w/word/document.xml && grep -q '<w:delText>9</w:delText>' w/word/document.xml ||
    fail "fixture not made" || return 1
  repack w word.docx && same_report word.docx "$EXAMPLE"
}

# a dump of host.docx_blocks / host.html_blocks as JSON on stderr
dump_plugin() {
  mkdir -p plugins && cat > plugins/dump.lua <<'LUA'
local host = ...
-- one line a block: p|level|heading|text, or t|cells of each row (a,b;c,d)|covered of each row
host.importer { id = "dump", description = "blocks", import = function(src)
  local blocks = string.find(src.name, "html$") and host.html_blocks(src.text) or host.docx_blocks(src.text)
  local out = {}
  for _, b in ipairs(blocks) do
    if b.kind == "p" then
      out[#out + 1] = table.concat({ "p", tostring(b.level), tostring(b.heading), b.text }, "|")
    else
      local rows, cov = {}, {}
      for _, r in ipairs(b.rows) do rows[#rows + 1] = table.concat(r, ","); cov[#cov + 1] = r.covered end
      out[#out + 1] = "t|" .. table.concat(rows, ";") .. "|" .. table.concat(cov, ";")
    end
  end
  host.input_error(0, "\n" .. table.concat(out, "\n"))
end }
LUA
}

test_docx_grid_expands_gridspan_vmerge_and_gridbefore() {
  unpack_example g || return 1
  dump_plugin
  cat > g/word/document.xml <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>标</w:t></w:r><w:r><w:t xml:space="preserve">题 </w:t></w:r></w:p>
<w:tbl>
<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>B</w:t></w:r></w:p></w:tc></w:tr>
<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr><w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>
<w:tr><w:tc><w:p><w:r><w:t>D</w:t></w:r></w:p><w:p><w:r><w:t>E</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="2"/></w:numPr></w:pPr><w:r><w:t>编号</w:t></w:r></w:p>
</w:body></w:document>
XML
  repack g grid.docx || return 1
  run check --plugin-dir plugins --via dump grid.docx || return 1
  # h = covered from the left, v = from above, p = beyond a short row
  expect_status 2 && expect_stderr 'p|nil|nil|标题' && expect_stderr 't|A,A,B;,C,B;D' &&
    expect_stderr 'E,,|.h.;..v;.pp' && expect_stderr 'p|1|nil|编号'
}

# DIR/word/document.xml made from plain.xml by a perl substitution, packed
# as NAME.docx, its blocks (as the dump importer prints them) in NAME.blocks
xml_variant() { # dir name perl-substitution
  perl -0777 -pe "$3" plain.xml > "$1/word/document.xml" && ! cmp -s plain.xml "$1/word/document.xml" ||
    fail "variant $2 not made" || return 1
  repack "$1" "$2.docx" && run check --plugin-dir plugins --via dump "$2.docx" && expect_status 2 &&
    sed 1d stderr.txt > "$2.blocks"
}

# document.xml in the forms XML allows beside the plain one (a CRLF after
# the declaration, a comment, character references in text, a PI before
# </w:body>, a CDATA section, an entity in an attribute): the same blocks
# every time; not well-formed XML is refused
test_docx_xml_forms_read_the_same_blocks() {
  unpack_example x || return 1
  dump_plugin
  cp x/word/document.xml plain.xml
  xml_variant x fast 's{\?>\n}{?>\r\n}; s{<w:body>}{<w:body><!-- a comment -->}; s{示例县交通运输局}{示例县交通&#x8FD0;输&#23616;}; s{(<w:t[^>]*>[^<]*)）}{$1&#xFF09;}' &&
    xml_variant x pi 's{</w:body>}{<?x y?></w:body>}' &&
    xml_variant x cdata 's{(<w:t[^>]*>)一、总体情况}{$1<![CDATA[一、总体情况]]>}' &&
    xml_variant x attr 's{w:val="Heading1"}{w:val="Heading&#49;"}' || return 1
  cp plain.xml x/word/document.xml && repack x plain.docx && run check --plugin-dir plugins --via dump plain.docx &&
    expect_stderr '一、总体情况' || return 1
  sed 1d stderr.txt > plain.blocks
  for v in fast pi cdata attr; do cmp -s plain.blocks "$v.blocks" || { diff plain.blocks "$v.blocks" | head; fail "blocks of $v differ"; } || return 1; done
  xml_variant x broken 's{</w:body>}{</w:bdy>}' 2>/dev/null; run check broken.docx
  expect_status 2 && expect_stderr 'word/document.xml 不是完好的 XML'
}

# elements are WordprocessingML by the namespace libxml2 resolves, not by
# their prefix: WordprocessingML under another prefix or as the default
# namespace reads the same blocks; a "w:" bound to another namespace inside
# (or a prefix never declared) is not WordprocessingML: its text is left out
test_docx_namespaces_are_the_declarations_not_the_prefix() {
  unpack_example ns || return 1
  dump_plugin
  cp ns/word/document.xml plain.xml
  xml_variant ns plain 's{</w:body>}{<w:p><w:r><w:t>尾段</w:t></w:r></w:p></w:body>}' &&
    xml_variant ns prefix 's{</w:body>}{<w:p><w:r><w:t>尾段</w:t></w:r></w:p></w:body>}; s{(</?| )w:}{$1ww:}g; s{xmlns:w=}{xmlns:ww=}' &&
    xml_variant ns default 's{</w:body>}{<w:p><w:r><w:t>尾段</w:t></w:r></w:p></w:body>}; s{(</?)w:}{$1}g; s{xmlns:w=("[^"]*")}{xmlns=$1 xmlns:w=$1}' &&
    xml_variant ns other 's{</w:body>}{<w:p><w:r><w:t>尾段</w:t></w:r><w:r xmlns:w="urn:other"><w:t>别的</w:t></w:r><q:r><q:t>未声明</q:t></q:r></w:p></w:body>}' ||
    return 1
  grep -q '尾段' plain.blocks || fail "the added paragraph is not read" || return 1
  for v in prefix default other; do
    cmp -s plain.blocks "$v.blocks" || { diff plain.blocks "$v.blocks" | head; fail "blocks of $v differ"; } || return 1
  done
}

# the page as libxml2's HTML parser shapes it (implied elements, entities,
# a comment inside text, a table holding a table as layout, text after
# </html>, a second <html>), read through html_reader.c's own tree
test_html_blocks_of_a_page_with_comments_layout_tables_and_text_after_the_root() {
  dump_plugin
  cat > edge.html <<'HTML'
<!-- before -->
<!DOCTYPE html>
<html><head><title>t</title><style>p{}</style></head>
<body>
a<!-- c -->
b
<p>第一段
中文</p><p>x &amp; y&nbsp;z</p>
<table><tr><td colspan>A</td><td rowspan="2">B<br>C</td></tr><tr><th>D</th></tr>
stray text<tbody><tr><td>E</td></tr></tbody></table>
<table><tr><td><table><tr><td>in</td></tr></table>out</td></tr></table>
<h2>标题<span>二</span></h2><div>d1<div>d2</div>d3</div>
<script>var x="<p>no</p>";</script><?pi x?>tail
</body></html>
after<p>more</p>
<html><body><p>second</p></body></html>
HTML
  run check --plugin-dir plugins --via dump edge.html || return 1
  sed 1d stderr.txt > got.txt
  cat > want.txt <<'TXT'
p|nil|nil|a b
p|nil|nil|第一段中文
p|nil|nil|x & y z
t|A,B
C;D,B
C;E,|..;.v;.p
t|in|.
p|nil|nil|out
p|nil|2|标题二
p|nil|nil|d1
p|nil|nil|d2
p|nil|nil|d3
p|nil|nil|tail
p|nil|nil|after
p|nil|nil|more
p|nil|nil|second
TXT
  diff want.txt got.txt || fail "blocks of edge.html"
}

# host.one_line is gsub(s, "%s+", " ") in C
test_host_one_line_writes_white_space_runs_as_gsub_does() {
  plugin oneline.lua <<'LUA'
local host = ...
host.importer { id = "oneline", description = "one_line", import = function()
  local bad = {}
  for _, s in ipairs({ "", " ", "a", "a b", "a  b", " a ", "a\tb", "a\r\nb", "x\v\fy", "\n", "中 \n 文",
                       "a \0 b", "end \t", "\t\tstart", "a b c d", "nb\194\160sp" }) do
    local want = string.gsub(s, "%s+", " ")
    if host.one_line(s) ~= want then bad[#bad + 1] = string.format("%q", s) end
  end
  -- longer texts (C passes over eight bytes at a time): white space at each place
  local n = 0
  for _, ws in ipairs({ " ", "  ", "\t", "\n", " \r\n ", "\v", "\0" }) do
    for at = 0, 40 do
      local base = "中文一二三abcdefgh四五六七八九十ijklmn"
      local s = string.sub(base, 1, at) .. ws .. string.sub(base, at + 1)
      for _, t in ipairs({ s, s .. " ", " " .. s .. ws .. s }) do
        n = n + 1
        if host.one_line(t) ~= string.gsub(t, "%s+", " ") then bad[#bad + 1] = string.format("%q", t) end
      end
    end
  end
  host.input_error(0, #bad == 0 and "all alike (" .. n .. ")" or "differ: " .. table.concat(bad, " "))
end }
LUA
  echo x > x.txt
  run check --plugin-dir plugins --via oneline x.txt
  expect_status 2 && expect_stderr 'all alike'
}

# the report part of nianbao's html of the example (inside <body>)
report_body() {
  "$NIANBAO" render "$EXAMPLE" -o ex.html 2>/dev/null || fail "render" || return 1
  perl -0777 -ne 'print $1 if m{<body[^>]*>(.*)</body>}s' ex.html > body.html && [ -s body.html ] || fail "no body"
}

# a table block's text is what the Lua it replaced wrote from its rows: each
# own field "\t" .. trim(one_line(text)), "\t" for a field covered from
# above, the rest left out, "" after each row, the lines joined by "\n";
# docx_blocks(bytes, "lines") gives the same text without the rows
test_table_block_text_is_its_rows_as_the_text_importer_reads_them() {
  plugin tabletext.lua <<'LUA'
local host = ...
host.importer { id = "tabletext", description = "table text", import = function(src)
  local docx = string.find(src.name, "docx$")
  local blocks = docx and host.docx_blocks(src.text) or host.html_blocks(src.text)
  local bad, n, covs = {}, 0, {}
  for i, b in ipairs(blocks) do
    if b.kind == "table" then
      local want = {}
      for _, row in ipairs(b.rows) do
        covs[row.covered] = true
        for c = 1, #row do
          local f = string.sub(row.covered, c, c)
          if f == "." then want[#want + 1] = "\t" .. host.trim(host.one_line(row[c]))
          elseif f == "v" then want[#want + 1] = "\t" end
        end
        want[#want + 1] = ""
      end
      n = n + 1
      if b.text ~= table.concat(want, "\n") then bad[#bad + 1] = string.format("%q ~= %q", b.text, table.concat(want, "\n")) end
      if docx then
        local l = host.docx_blocks(src.text, "lines")[i]
        if l.text ~= b.text or l.rows then bad[#bad + 1] = "lines: " .. tostring(l.text) end
      end
    end
  end
  local kinds = {}
  for c in pairs(covs) do for k in string.gmatch(c, ".") do kinds[k] = true end end
  local seen = {}
  for k in pairs(kinds) do seen[#seen + 1] = k end
  table.sort(seen)
  host.input_error(0, #bad == 0 and n .. " tables alike, fields " .. table.concat(seen) or table.concat(bad, "\n"))
end }
LUA
  cat > t.html <<'HTML'
<html><body><table>
<tr><td colspan="2" rowspan="2"> a  b </td><td>&#x3000;中 &#x3000;</td><td rowspan="3">x
 y</td></tr>
<tr><td>&nbsp;nb&nbsp;sp </td></tr>
<tr><td>	甲		乙 </td><td> </td><td></td></tr>
<tr><td colspan="3">&#x3000; &#x3000;</td></tr>
</table></body></html>
HTML
  sed -i 's/\\t/\t/g; s/\\v/\v/g' t.html
  run check --plugin-dir plugins --via tabletext t.html || return 1
  expect_status 2 && expect_stderr '1 tables alike, fields .bhpv' || return 1
  # a cell of two paragraphs, white space runs, a tab and a break
  unpack_example x || return 1
  perl -0777 -i -pe 's{<w:t xml:space="preserve">行政规范性文件</w:t></w:r></w:p>}{<w:t xml:space="preserve">行政  规范</w:t><w:tab/><w:t>性</w:t><w:br/><w:t>文件</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve"> 第二段 </w:t></w:r></w:p>} or die' \
    x/word/document.xml && repack x ex.docx || fail "fixture" || return 1
  run check --plugin-dir plugins --via tabletext ex.docx || return 1
  expect_status 2 && expect_stderr '3 tables alike, fields .bhv'
}

test_portal_page_in_gb2312_with_chrome_around_the_report() {
  report_body || return 1
  {
    cat <<'HTML'
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>示例县交通运输局2024年政府信息公开工作年度报告_示例县人民政府</title>
<script type="text/javascript">var t = "一、总体情况 示例县2024年政府信息公开工作年度报告";</script>
<style>.nav { color: red }</style></head>
<body><div class="top"><a href="/">首页</a> | <a href="/xxgk">政府信息公开</a> | <a>政府信息公开年报</a></div>
<div class="side"><a href="/2023.html">示例县交通运输局2023年政府信息公开工作年度报告</a></div>
<div class="crumb">当前位置：<a>首页</a> &gt; <a>政府信息公开</a> &gt; 年度报告</div>
<table class="meta"><tr><td>索引号：</td><td>11360000/2025-00012</td><td>发布机构：</td><td>示例县交通运输局</td></tr>
<tr><td colspan="2">标题：示例县交通运输局2024年政府信息公开工作年度报告</td><td>发布日期：</td><td>2025-01-20</td></tr></table>
<table width="1000" align="center"><tr><td class="content">
HTML
    cat body.html
    cat <<'HTML'
</td></tr></table>
<div class="tools">【打印本页】 【关闭窗口】</div>
<div class="footer"><p>版权所有：示例县人民政府办公室</p><p>网站标识码：3609000001 赣ICP备12345678号</p></div>
<script>document.write("<p>一、总体情况</p>");</script>
</body></html>
HTML
  } > page.utf8.html
  iconv -f UTF-8 -t GB18030 page.utf8.html > page.html || fail "iconv" || return 1
  ! iconv -f UTF-8 -t UTF-8 page.html >/dev/null 2>&1 || fail "the page should not be UTF-8" || return 1
  json_of page.html | grep -v '"published":' > got.json
  json_of "$EXAMPLE" > want.json
  diff want.json got.json > diff.txt || { head -30 diff.txt; fail "the report in the portal page differs"; } || return 1
  run render page.html --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局"' && expect_stdout '"published":	"2025-01-20"' &&
    expect_no_stdout "版权所有" && expect_no_stdout "打印本页" || return 1
  # without the title above the text, the metadata's "标题：…" names the report, the prefix not part of the agency
  perl -0777 -pe 's{<h1[^>]*>.*?</h1>}{}s or die' page.utf8.html > notitle.html || fail "no h1" || return 1
  run render notitle.html --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局"' &&
    expect_stdout '"title":	"示例县交通运输局2024年政府信息公开工作年度报告"'
}

test_word_html_soup_rowspan_nbsp_and_wrapped_chinese() {
  report_body || return 1
  # Word's saved page: every cell's text in <p><span><font>, blank cells as
  # &nbsp;, Chinese text wrapped at any character, no charset declared
  perl -0777 -pe '
    s{<(td|th)([^>]*)>(.*?)</\1>}{my ($t, $a, $x) = ($1, $2, $3); $x = "&nbsp;" if $x eq "";
      "<$t$a style=\x27border:solid windowtext 1.0pt\x27><p class=MsoNormal align=center><span lang=EN-US style=\x27font-size:10.5pt\x27><font face=\"仿宋\">$x</font></span></p></$t>"}gse;
    s{政府信息公开}{政府信息\r\n公开}g;
    s{(data-cell="t4.cases.review_pending"[^>]*>.*?<font face="仿宋">)0(</font>)}{$1&nbsp;$2}s or die "no cell";
  ' body.html > soup.body || return 1
  grep -q '&nbsp;' soup.body && grep -q 'rowspan' soup.body || fail "fixture lacks &nbsp; or rowspan" || return 1
  { echo '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><title>x</title></head><body lang=ZH-CN>';
    cat soup.body; echo '</body></html>'; } > soup.htm
  # the cell written as &nbsp; is blank, never 0; every other cell as in the text
  json_of "$EXAMPLE" | sed 's/"review_pending":	"0"/"review_pending":	null/' > want.json
  grep -q '"review_pending":	null' want.json || fail "no blank in want.json" || return 1
  json_of soup.htm > got.json
  diff want.json got.json > diff.txt || { head -30 diff.txt; fail "Word's page differs"; }
}

test_libreoffice_conversions_read_back_the_same_report() {
  command -v soffice >/dev/null || { echo "skipped: no LibreOffice"; exit 77; }
  "$NIANBAO" render "$EXAMPLE" -o ex.docx 2>/dev/null && "$NIANBAO" render "$EXAMPLE" -o page.html 2>/dev/null ||
    fail "render" || return 1
  mkdir -p a b c
  soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir a ex.docx >/dev/null 2>&1 &&
    soffice --headless --convert-to 'docx:MS Word 2007 XML' --outdir b page.html >/dev/null 2>&1 &&
    soffice --headless --convert-to html --outdir c ex.docx >/dev/null 2>&1 || fail "soffice" || return 1
  same_report a/ex.docx "$EXAMPLE" && same_report b/page.docx "$EXAMPLE" && same_report c/ex.html "$EXAMPLE"
}

test_chromium_saved_page_reads_back_the_same_report() {
  local chrome; chrome=$(command -v chromium || command -v chromium-browser) || { echo "skipped: no Chromium"; exit 77; }
  "$NIANBAO" render "$EXAMPLE" -o ex.html 2>/dev/null || fail "render" || return 1
  "$chrome" --headless --no-sandbox --disable-gpu --dump-dom "file://$PWD/ex.html" > saved.html 2>/dev/null
  [ -s saved.html ] || fail "chromium saved nothing" || return 1
  same_report saved.html "$EXAMPLE"
}

test_importer_chosen_by_content_not_the_name() {
  "$NIANBAO" render "$EXAMPLE" -o ex.docx 2>/dev/null && "$NIANBAO" render "$EXAMPLE" -o ex.html 2>/dev/null ||
    fail "render" || return 1
  cp ex.docx word.txt && cp ex.html page.txt && cp ex.docx noext
  same_report word.txt "$EXAMPLE" && same_report page.txt "$EXAMPLE" && same_report noext "$EXAMPLE"
}

# the command fails with exit 2, one line on stderr naming the file and
# saying $2, and writes nothing
refused() { # file message
  run render "$1" -o out.json || return 1
  expect_status 2 && expect_stderr "$1" && expect_stderr "$2" || return 1
  [ ! -e out.json ] || fail "out.json written" || return 1
  [ "$(grep -c . stderr.txt)" -eq 1 ] || fail "more than one line on stderr"
}

test_bad_documents_are_refused_with_one_line() {
  "$NIANBAO" render "$EXAMPLE" -o ex.docx 2>/dev/null || fail "render" || return 1
  head -c 3000 ex.docx > cut.docx
  refused cut.docx "不是完整的 .docx 文件" || return 1
  mkdir -p nd && (cd nd && unzip -q ../ex.docx && rm word/document.xml && zip -q -r ../nodoc.docx .) || fail "zip" || return 1
  refused nodoc.docx "没有 word/document.xml" || return 1
  printf '\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest of an old .doc' > old.docx
  refused old.docx ".doc" || return 1
  printf '<!DOCTYPE html><html><head><title>首页</title></head><body><p>欢迎访问</p><p>政府信息公开年报</p></body></html>' > home.html
  refused home.html "网页里没有找到报告标题" || return 1
  # a page with the title and no tables: the tables are missing, not blank
  printf '<html><body><h1>某局2024年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>正文。</p></body></html>' > notab.html
  refused notab.html "没有找到表二（主动公开政府信息情况）、表三"
}

# document.xml whose bytes are not those its zip recorded (a heading's
# character changed in a stored part: its CRC fails, the XML is still
# well-formed) is refused, never read as if it were sound: the part is read
# to its end, so the zip's check sees it whatever the parse needed of it
test_docx_part_failing_its_check_is_refused() {
  unpack_example c || return 1
  (cd c && rm -f ../stored.docx && zip -q -0 -X -r ../stored.docx '[Content_Types].xml' _rels docProps word) ||
    fail "zip" || return 1
  run check stored.docx || return 1
  expect_status 0 || return 1
  perl -0777 -pe 's{总体情况}{总休情况}' stored.docx > bad.docx && ! cmp -s stored.docx bad.docx ||
    fail "fixture" || return 1
  refused bad.docx "无法读出 word/document.xml（压缩包损坏或被截断）"
}

test_text_without_any_table_row_is_an_import_error() {
  printf '某局2023年政府信息公开工作年度报告\n\n一、总体情况\n\n本年没有表格。\n' > notab.txt
  refused notab.txt "没有找到表二（主动公开政府信息情况）、表三（收到和处理政府信息公开申请情况）、表四"
}

test_text_in_gbk_and_utf16_reads_as_utf8_with_a_note() {
  iconv -f UTF-8 -t GBK "$EXAMPLE" > gbk.txt && { printf '\xff\xfe'; iconv -f UTF-8 -t UTF-16LE "$EXAMPLE"; } > u16.txt ||
    fail "iconv" || return 1
  for f in gbk.txt u16.txt; do
    run check "$f" || return 1
    expect_status 0 && expect_stdout "[IMPORT-ENCODING]" || return 1
    same_report "$f" "$EXAMPLE" || return 1
  done
}

# What the streamed reader follows and leaves out, as the tree walk it
# replaced did: content controls around paragraphs, rows and cells; a table
# inside a cell read as its cells' text, one a line; alternate content's
# fallback, deletions, moves away and field codes dropped; only a
# paragraph's first pPr and a cell's first gridSpan counted; a w:t's text
# without what an element inside it holds; tab, break and non-breaking
# hyphen as text; numbering switched off (numId 0) with an outline level.
test_docx_blocks_of_controls_nested_tables_and_first_properties() {
  unpack_example n || return 1
  dump_plugin
  cat > n/word/document.xml <<'XML'
<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>
<w:p><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:noBreakHyphen/><w:t>丁</w:t></w:r></w:p>
<w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr><w:pPr><w:outlineLvl w:val="4"/></w:pPr><w:r><w:t>拼<w:r><w:t>内</w:t></w:r>接</w:t></w:r><w:del><w:r><w:delText>删</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r><w:moveFrom><w:r><w:t>走</w:t></w:r></w:moveFrom><w:moveTo><w:r><w:t>来</w:t></w:r></w:moveTo></w:p>
<w:p><mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:t>选</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>备</w:t></w:r></mc:Fallback></mc:AlternateContent><w:r><w:t>&amp;&#x4E00;</w:t></w:r></w:p>
<w:sdt><w:sdtContent><w:p><w:r><w:t>控件段</w:t></w:r></w:p></w:sdtContent></w:sdt><w:del><w:p><w:r><w:t>删段</w:t></w:r></w:p></w:del>
<w:tbl>
<w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/><w:gridSpan w:val="5"/></w:tcPr><w:p><w:r><w:t>A</w:t></w:r></w:p></w:tc><w:sdt><w:sdtContent><w:tc><w:p><w:r><w:t>B</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>n1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>n2</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:tc></w:sdtContent></w:sdt></w:tr>
<w:customXml><w:tr><w:tc><w:p><w:r><w:t>C</w:t></w:r></w:p></w:tc></w:tr></w:customXml>
<w:p><w:r><w:t>表内散段</w:t></w:r></w:p>
</w:tbl>
</w:body></w:document>
XML
  repack n nested.docx || return 1
  run check --plugin-dir plugins --via dump nested.docx || return 1
  expect_status 2 && expect_stderr 'p|nil|3|甲 乙' && expect_stderr '丙-丁' && expect_stderr 'p|nil|2|拼接来' &&
    expect_stderr 'p|nil|nil|选&一' && expect_stderr 'p|nil|nil|控件段' || return 1
  # cell B: its paragraph, then the nested table's two cells, each on a line of its own
  tr '\n' '~' < stderr.txt | grep -qF 't|A,A,B~~n1~n2;C,,|.h.;.pp' || fail "nested table in a cell: $(cat stderr.txt)" || return 1
  ! grep -q '备\|删\|走\|内\|PAGE\|表内散段' stderr.txt || fail "left-out text read"
}

# a page's footer kept in a saved document ("— 3 —", "第3页", "3/12") is no
# line of the text the importer reads; text that merely begins like one is
test_document_page_numbers_are_left_out_of_the_lines() {
  unpack_example p || return 1
  local paras="" t
  for t in "— 3 —" "-12-" " 第 3 页 " "3/12" "- 3 / 12 -" "－5－" "3 个单位" "第三页" "-3-号" "12/31日" "—— 正文" "9"; do
    paras="$paras<w:p><w:r><w:t xml:space=\"preserve\">$t</w:t></w:r></w:p>"
  done
  T="$paras" perl -0777 -i -pe 's{<w:body>}{<w:body>$ENV{T}} or die' p/word/document.xml && repack p pages.docx ||
    fail "fixture" || return 1
  plugin lines.lua <<'LUA'
local host = ...
host.importer { id = "lines", description = "lines", import = function(src)
  local doc_text = host.lib("doc_text")
  host.input_error(0, "\n" .. table.concat(doc_text.lines(host.docx_blocks(src.text, "lines")), "\n"))
end }
LUA
  run check --plugin-dir plugins --via lines pages.docx || return 1
  expect_status 2 || return 1
  [ "$(sed -n '2,7p' stderr.txt | tr '\n' '|')" = "3 个单位|第三页|-3-号|12/31日|—— 正文|9|" ] ||
    fail "lines: $(sed -n '2,8p' stderr.txt | tr '\n' '|')"
}

# a batch's documents have their own styles although the styles of one are
# kept for the next (docx_reader.c parses a styles.xml once when the next
# is the same, byte for byte): Heading1 numbered by its style (its
# ordinals not in the text), then the same styles.xml as long byte for byte
# with that numbering switched off, the style's name and outline level
# renamed; each document's blocks are its own, in one worker, both ways
test_docx_styles_are_each_document_s_own_in_a_batch() {
  unpack_example s || return 1
  dump_plugin
  perl -0777 -i -pe 's{(<w:style w:type="paragraph" w:styleId="Heading1">.*?<w:pPr>)}{$1<w:numPr><w:numId w:val="1"/></w:numPr>}s or die' \
    s/word/styles.xml && perl -0777 -i -pe '$n = s{(<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">)(?:一|二|三|四|五|六)、}{$1}g; $n == 6 or die' \
    s/word/document.xml && repack s num.docx || fail "num.docx not made" || return 1
  perl -0777 -i -pe 's{(<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading) 1"(.*?)<w:numId w:val="1"/>(.*?)<w:outlineLvl }{$1_1"$2<w:numId w:val="0"/>$3<w:outlineLvX }s or die' \
    s/word/styles.xml && repack s off.docx || fail "off.docx not made" || return 1
  [ "$(unzip -p num.docx word/styles.xml | wc -c)" = "$(unzip -p off.docx word/styles.xml | wc -c)" ] || fail "styles.xml lengths differ" || return 1
  run check -j 1 --plugin-dir plugins --via dump num.docx off.docx off.docx num.docx num.docx || return 1
  expect_status 2 || return 1
  [ "$(grep '|总体情况$' stderr.txt | tr '\n' ' ')" = "p|0|1|总体情况 p|nil|nil|总体情况 p|nil|nil|总体情况 p|0|1|总体情况 p|0|1|总体情况 " ] ||
    fail "headings: $(grep '|总体情况$' stderr.txt | tr '\n' ' ')"
}

# OOXML forbids a DTD: an entity one declares is not expanded (nor read as
# nothing), the document is refused as damaged XML
test_docx_with_a_dtd_entity_is_refused() {
  unpack_example d || return 1
  sed -i '1s/.*/<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE w:document [<!ENTITY x "实体">]>/' d/word/document.xml &&
    sed -i 's|<w:body>|<w:body><w:p><w:r><w:t>前\&x;后</w:t></w:r></w:p>|' d/word/document.xml || fail "fixture" || return 1
  grep -q '前&x;后' d/word/document.xml || fail "fixture not made" || return 1
  repack d dtd.docx || return 1
  run check dtd.docx || return 1
  expect_status 2 && expect_stderr 'dtd.docx' && expect_stderr 'word/document.xml 不是完好的 XML'
}
