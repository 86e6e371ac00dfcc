--: renderer html
-- Renderer for HTML: the report as one standalone page for the portal,
-- tables with the official template's merged cells (rowspan/colspan from
-- lib/grid.lua), print CSS for A4 in the customary official-document layout.
-- All markup and style live in templates/html/, which a user may override.
local host = ...

-- lib modules, loaded on the first render: most runs render nothing
local template, document

local HEADER_KINDS = { title = true, corner = true, head = true }

-- the tables' standing grids, laid out on the first report (this renderer
-- never changes its declaration: document.view)
local layouts = {}

-- every name templates/html/row.html asks of a slot is set (false when
-- absent), so the template finds it in the slot and looks no further out;
-- all of it from the slot's place, nothing from its text (document.view)
local function decorate(slot)
  slot.tag = HEADER_KINDS[slot.kind] and "th" or "td"
  slot.rowspan_attr = slot.rowspan > 1 and slot.rowspan
  slot.colspan_attr = slot.colspan > 1 and slot.colspan
  slot.cont = slot.cont or false
  slot.cell = slot.cell or false
end

local function render(report, fmt)
  template = template or host.lib("template")
  document = document or host.lib("document")
  local view = document.view(report, fmt, decorate, layouts)
  for _, b in ipairs(view.blocks) do
    if b.table then
      for i, w in ipairs(b.table.widths) do b.table.widths[i] = string.format("%.2f", w) end
      -- in print, a table starts with at least three rows of values: no
      -- page break before the third row that holds values (class "keep":
      -- break-after: avoid)
      local values = 0
      for _, row in ipairs(b.table.rows) do
        if values >= 3 then break end
        for _, s in ipairs(row.slots) do
          if s.kind == "value" then values = values + 1; break end
        end
        if values < 3 and not row.header then row.keep = true end -- (the header: thead, kept by the style)
      end
    end
  end
  return template.render("html/page.html", view, template.escape_markup)
end

host.renderer {
  id = "html",
  description = "HTML 网页，官方版式，A4 打印样式，不联网",
  extension = "html",
  render = render,
  publish = true, -- nianbao render refuses a report with errors unless --force
}
