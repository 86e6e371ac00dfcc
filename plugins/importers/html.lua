--: importer html
--: extensions html htm shtml xhtml
--: content within 2048 nocase "<!doctype html" "<html"
--: uses text
--: libraries xml2
-- Importer for a report published as a web page: nianbao's own html, a page
-- Word saved ("网页"), a portal page with its navigation, metadata table and
-- footer around the report, or the page a browser saved.  The page is read
-- in C (host.html_blocks: libxml2's HTML parser; charset from the BOM, the
-- <meta> charset, else UTF-8 or GB18030 by validity; rowspan/colspan
-- expanded; scripts, styles and <nav> left out).  The report is found in it
-- by its title and section headings; the lines from the title to the end of
-- the report go to the text importer (lib/doc_text.lua).
local host = ...

local find, match, gsub, sub = string.find, string.match, string.gsub, string.sub
local lower = string.lower
local doc_text

-- a page's prefix before the title ("标题：", "文章标题:") is not part of the agency's name
-- (patterns read text whose "：" is made ":" first: a class [：:] would match one byte of it)
local TITLE_PREFIXES = { "^[^%s]-标题%s*：%s*", "^[^%s]-标题%s*:%s*", "^名%s*称%s*：%s*", "^名%s*称%s*:%s*" }
-- where a portal's footer or the page's own tools begin, after the report
local CHROME = { "版权所有", "主办单位", "网站标识码", "ICP备", "打印本页", "【打印】", "关闭窗口", "【关闭】",
  "分享到", "上一篇", "下一篇", "相关链接", "扫一扫在手机", "Copyright" }
local PUBLISHED = { "发布日期%s*:%s*", "发布时间%s*:%s*", "成文日期%s*:%s*" }
-- the words those begin with: a line without one is passed over by a plain
-- search (a pattern tried at every byte of a long paragraph cost more than
-- the rest of the page's Lua)
local PUBLISHED_WORDS = { "发布日期", "发布时间", "成文日期" }
-- the date after one of those: "2025-01-20", "2025年1月20日" (a class of 年月日 holds their bytes: cut at the last digit)
local function date_after(t, p)
  local _, e = find(t, p)
  if not e then return nil end
  local d = match(sub(t, e + 1), "^%d%d%d%d[%d%-/%.年月日]*")
  if not d then return nil end
  local upto = match(d, "^(.*%d)")
  if sub(d, #upto + 1, #upto + 3) == "日" then upto = upto .. "日" end
  return upto
end
local function colons(t) return (gsub(t, "：", ":")) end

local function strip_prefix(t)
  -- a prefix ends by byte 24, so its 标题 or 名 lies in the first 24 bytes (a plain search
  -- passes over a paragraph that the patterns would try at every byte)
  local head = sub(t, 1, 24)
  if not find(head, "标题", 1, true) and not find(head, "名", 1, true) then return t end
  for _, p in ipairs(TITLE_PREFIXES) do
    local _, e = find(t, p)
    if e and e <= 24 then return host.trim(sub(t, e + 1)) end -- "标题：", "文章标题:" and the like
  end
  return t
end

-- a report's title: names the 年度报告 (or 年报) of 政府信息公开 and a year, and is short
local function is_title(t)
  local n = utf8.len(t)
  return n and n <= 90 and find(t, "政府信息公开", 1, true) and
    (find(t, "年度报告", 1, true) or find(t, "年报", 1, true)) and find(t, "[12][09]%d%d") ~= nil
end

local function import(src)
  doc_text = doc_text or host.lib("doc_text")
  local blocks = host.html_blocks(src.text)
  -- the first heading that opens a section ("一、总体情况")
  local first_section
  for i, b in ipairs(blocks) do
    if b.kind == "p" and find(b.text, "^[一二三四五六七八九十]+、") and utf8.len(b.text) and utf8.len(b.text) <= 40 and
        doc_text.names_section(b.text) then
      first_section = i
      break
    end
  end
  -- the title: the last before that heading (a portal names the report in
  -- its metadata table, then again above the text), else the first
  local title, title_at, published
  for i = 1, first_section and first_section - 1 or #blocks do
    local b = blocks[i]
    local texts = b.kind == "p" and { b.text } or doc_text.cells(b)
    -- the date of publication, in a line or a row of the page's metadata ("发布日期：" | "2025-01-20")
    for _, t in ipairs(b.kind == "p" and texts or doc_text.row_texts(b)) do
      if not published then
        local c
        for k, p in ipairs(PUBLISHED) do
          if find(t, PUBLISHED_WORDS[k], 1, true) then
            c = c or colons(doc_text.one_line(t))
            published = published or date_after(c, p)
          end
        end
      end
    end
    for _, t in ipairs(texts) do
      t = doc_text.one_line(t)
      local s = strip_prefix(t)
      local at = i
      -- a title set in two lines ("…2024年" / "政府信息公开工作年度报告")
      local nx = blocks[i + 1]
      if not is_title(s) and b.kind == "p" and nx and nx.kind == "p" and utf8.len(s) and utf8.len(s) <= 30 and
          is_title(s .. doc_text.one_line(nx.text)) and not find(s, "报告", 1, true) then
        s, at = s .. doc_text.one_line(nx.text), i + 1
      end
      if is_title(s) then
        title, title_at = s, at
        if not first_section then break end
      end
    end
    if title and not first_section then break end
  end
  if not title then
    host.input_error(0, "网页里没有找到报告标题（如“××局2023年政府信息公开工作年度报告”）：这不像一份政府信息公开工作年度报告")
  end
  -- the end: the first footer line after the report's last heading
  -- (words looked for in C: Lua's plain find, a word at a time, stops at
  -- every byte equal to the word's first, a third of Chinese text's bytes)
  local last = #blocks
  for i = (first_section or title_at) + 1, #blocks do
    local b = blocks[i]
    if b.kind == "p" and host.find_first(b.text, CHROME) then last = i - 1; break end
  end
  local lines = { title }
  -- the page's date of publication, unless the report prints its own
  for i = title_at + 1, first_section or last do
    local b = blocks[i]
    if b and b.kind == "p" and find(b.text, "^发布日期") then published = nil end
  end
  if published then lines[2] = "发布日期：" .. published end
  doc_text.lines(blocks, title_at + 1, last, lines)
  return doc_text.import(src, lines)
end

host.importer {
  id = "html",
  description = "网页（.html/.htm）：门户网站发布的报告、Word 或浏览器另存的网页",
  extensions = { "html", "htm", "shtml", "xhtml" },
  by_content = true,
  detect = function(head)
    local h = lower(sub(head, 1, 2048))
    return find(h, "<!doctype html", 1, true) ~= nil or find(h, "<html", 1, true) ~= nil
  end,
  import = import,
}
