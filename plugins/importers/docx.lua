--: importer docx
--: extensions docx docm
--: content prefix "PK\3\4"
--: uses text
--: libraries xml2 zip
-- Importer for a Word document (.docx): word/document.xml read in C
-- (host.docx_blocks: paragraphs, tables with gridSpan/vMerge expanded,
-- tracked deletions dropped, runs joined, automatic numbering levels) and
-- handed on as text to the text importer (lib/doc_text.lua), which finds
-- the title, sections and tables by the format's own labels.
local host = ...

local doc_text

host.importer {
  id = "docx",
  description = "Word 文档（.docx）：段落和表格（合并单元格、修订、自动编号）",
  extensions = { "docx", "docm" },
  by_content = true,
  -- a zip archive that is not a workbook or a presentation; a zip without
  -- word/document.xml is then refused by the import with that reason
  detect = function(head)
    return string.sub(head, 1, 4) == "PK\3\4" and not string.find(head, "xl/", 1, true) and
      not string.find(head, "ppt/", 1, true)
  end,
  import = function(src)
    doc_text = doc_text or host.lib("doc_text")
    local blocks = host.docx_blocks(src.text, "lines") -- tables as their text, without rows
    return doc_text.import(src, doc_text.lines(blocks))
  end,
}
