# The html importer's reading of a portal page around a report: where the
# report ends (the first paragraph after its first section that holds a
# footer's word), a title's page prefix ("标题：", "名称：") and the page's
# date of publication ("发布时间：", "成文日期：").  documents.sh reads a
# whole portal page; these pin the edges of those searches.

EXAMPLE="$NB_ROOT/examples/example-county-transport-2024.txt"

body() {
  "$NIANBAO" render "$EXAMPLE" -o ex.html 2>/dev/null || fail "render" || return 1
  perl -0777 -ne 'print $1 if m{<body[^>]*>(.*)</body>}s' ex.html > body.html && [ -s body.html ] || fail "no body"
}

page() { # before after → page.html: the report's body between them
  { printf '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>%s\n' "$1"
    cat body.html; printf '%s\n</body></html>\n' "$2"; } > page.html
}

# a footer's word split over two paragraphs, or its bytes after the first
# behind another character (扈 is E6 89 88, 版 E7 89 88), is no footer: the
# report goes on to the paragraph that holds one, at its start
test_report_ends_at_the_first_paragraph_holding_a_footer_word() {
  body || return 1
  page "" '<p>尾段一本页的版权</p><p>所有人尾段二</p><p>尾段三扈权所有</p><p>尾段四关闭</p><p>窗口尾段五</p>
<p>上一篇：无</p><p>尾段六</p><p>版权所有：示例县人民政府</p>'
  run render page.html --to json || return 1
  expect_status 0 && expect_stdout "尾段一本页的版权" && expect_stdout "所有人尾段二" && expect_stdout "尾段三扈权所有" &&
    expect_stdout "窗口尾段五" && expect_no_stdout "上一篇" && expect_no_stdout "尾段六" && expect_no_stdout "版权所有" || return 1
  # an ASCII word, and a word in a table's cell (tables are not footers)
  page "" '<table><tr><td>尾段七Copyright</td></tr></table><p>尾段八</p><p>ICP备 12345678号</p>'
  run render page.html --to json || return 1
  expect_status 0 && expect_stdout "尾段八" && expect_no_stdout "ICP备" || return 1
}

# "名称：" and "标题：" before the title are the page's, not the agency's;
# a prefix ends by the title's 24th byte ("本网页文章标题:" at the 22nd), a
# "标题：" past it is not one
test_title_prefix_and_date_of_publication_before_the_report() {
  body || return 1
  perl -0777 -pi -e 's{<h1>.*?</h1>}{}s' body.html
  page '<p>名 称：示例县交通运输局2024年政府信息公开工作年度报告</p><p>发布时间： 2025-02-03</p>' ""
  run render page.html --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局"' && expect_stdout '"published":	"2025-02-03"' || return 1
  page '<p>本网页文章标题:示例县交通运输局2024年政府信息公开工作年度报告</p><table><tr><td>成文日期：</td><td>2025年1月9日</td></tr></table>' ""
  run render page.html --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局"' && expect_stdout '"published":	"2025年1月9日"' || return 1
  page '<p>示例县交通运输局（本机关标题：）2024年政府信息公开工作年度报告</p>' ""
  run render page.html --to json || return 1
  expect_status 0 && expect_stdout '"agency":	"示例县交通运输局（本机关标题：）"' || return 1
}

# host.find_first(s, words): where the earliest of the words begins, and
# which (the first word when two begin there), as the least of Lua's plain
# finds would say; nil when none occurs
test_host_find_first_is_the_least_plain_find() {
  plugin findfirst.lua <<'LUA'
local host = ...
host.importer { id = "findfirst", description = "find_first", import = function()
  local texts = { "", "a", "版权所有", "扈权所有版权所有", "本页的版权\n所有人", "xx关闭窗口 上一篇 ICP备1",
                  "上一篇上一篇", "ab", "\0a\0b" }
  local words = { {}, { "" }, { "版权所有" }, { "ICP备", "上一篇", "关闭窗口" }, { "b", "ab" }, { "ab", "b" },
                  { "上一篇", "上一" }, { "一篇", "上一篇" }, { "\0b" }, { "所有", "版权" } }
  local bad = {}
  for _, t in ipairs(texts) do
    for _, ws in ipairs(words) do
      local at, which
      for k, w in ipairs(ws) do
        local p = string.find(t, w, 1, true)
        if p and (not at or p < at) then at, which = p, k end
      end
      local got, gotw = host.find_first(t, ws)
      if got ~= at or gotw ~= which then
        bad[#bad + 1] = string.format("%q in %q: %s %s, not %s %s", table.concat(ws, "|"), t, tostring(got),
          tostring(gotw), tostring(at), tostring(which))
      end
    end
  end
  host.input_error(0, #bad == 0 and "all alike" or table.concat(bad, "; "))
end }
LUA
  echo x > x.txt
  run check --plugin-dir plugins --via findfirst x.txt
  expect_status 2 && expect_stderr 'all alike' || { cat stderr.txt; return 1; }
}
