--: renderer txt
-- Renderer for the published text: the layout a .docx saved as text has
-- (../shared/corpus/shanggao-commerce-2023.txt) — paragraphs a line each,
-- table cells one a line, TAB-indented, merged cells as Word exports them
-- (a cell covered from above is an empty cell), a blank line after each
-- table row.  The text importer reads it back as the same report.
local host = ...

-- lib modules, loaded on the first render: most runs render nothing
local template, document

local function render(report, fmt)
  template = template or host.lib("template")
  document = document or host.lib("document")
  return template.render("txt/report.txt", document.view(report, fmt))
end

host.renderer {
  id = "txt",
  description = "发布用文本：表格每格一行，与 docx 另存为文本相同",
  extension = "txt",
  render = render,
}
