-- Renderer for nianbao's canonical JSON (docs/report-json.md).  Keys are
-- written sorted, cells as the strings printed in the report, blank as null.
local host = ...

local function render(report, fmt)
  local tables = {}
  for _, tbl in ipairs(fmt.tables) do
    local rows = {}
    for rid, cells in pairs(report.tables[tbl.id] or {}) do
      local r = {}
      for cid, v in pairs(cells) do
        if v == "" then r[cid] = host.null else r[cid] = v end
      end
      rows[rid] = r
    end
    tables[tbl.id] = rows
  end
  local sections = {}
  for i, s in ipairs(report.sections) do
    sections[i] = { heading = s.heading, level = s.level, text = s.text or "" }
  end
  return host.json_encode {
    nianbao_report = 1,
    format = report.format,
    meta = report.meta,
    preamble = report.preamble or host.null,
    sections = #sections > 0 and sections or host.null,
    tables = tables,
  }
end

host.renderer {
  id = "json",
  description = "canonical JSON for scripts and exact round trips",
  extension = "json",
  render = render,
}
