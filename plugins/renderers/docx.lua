--: renderer docx
-- Renderer for Word (.docx): the report on A4 in the customary
-- official-document layout, tables with the official template's merged
-- cells (w:gridSpan across, w:vMerge down, from lib/grid.lua).  Every part
-- of the package is a file under templates/docx/, filled by the template
-- engine and zipped by host.zip; a user may override any part.
local host = ...

-- lib modules, loaded on the first render: most runs render nothing
local template, document

-- the package, in the order the parts are written
local PARTS = {
  "[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "docProps/app.xml",
  "word/document.xml", "word/styles.xml", "word/settings.xml", "word/fontTable.xml",
  "word/footer1.xml", "word/_rels/document.xml.rels",
}

local TEXT_WIDTH = 8844 -- the 156 mm text block, in twentieths of a point
local STYLE = { title = "TableTitle", label = "TableLabel", group = "TableLabel", number = "TableNumber" }

-- column widths in twips, summing to the text width
local function twips(widths)
  local cols, used = {}, 0
  for i, pct in ipairs(widths) do
    cols[i] = math.floor(TEXT_WIDTH * pct / 100 + 0.5)
    used = used + cols[i]
  end
  cols[#cols] = cols[#cols] + TEXT_WIDTH - used
  return cols
end

local function render(report, fmt)
  template = template or host.lib("template")
  document = document or host.lib("document")
  local view = document.view(report, fmt)
  for _, b in ipairs(view.blocks) do
    local t = b.table
    if t then
      t.cols, t.twips = twips(t.widths), TEXT_WIDTH
      for _, row in ipairs(t.rows) do
        for _, s in ipairs(row.slots) do
          local w = 0
          for c = s.col, s.col + s.colspan - 1 do w = w + t.cols[c] end
          s.twips = w
          s.gridspan = s.colspan > 1 and s.colspan or nil
          s.restart = s.rowspan > 1
          s.style = STYLE[s.kind] or "TableText"
        end
      end
    end
  end
  local files = {}
  for i, name in ipairs(PARTS) do
    files[i] = { name = name, data = template.render("docx/" .. name, view, template.escape_xml) }
  end
  return host.zip(files)
end

host.renderer {
  id = "docx",
  description = "Word 文档，官方版式：A4，表格合并单元格",
  extension = "docx",
  render = render,
  publish = true, -- nianbao render refuses a report with errors unless --force
}
