--: renderer json
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
  -- free-form statistics rows and other formats' labels: only when present;
  -- source lines are left out, as for cells
  local statistics, marks
  for i, row in ipairs(report.statistics or {}) do
    statistics = statistics or {}
    statistics[i] = { label = row.label, unit = row.unit, values = #row.values > 0 and row.values or nil }
  end
  for i, m in ipairs(report.marks or {}) do
    marks = marks or {}
    marks[i] = { label = m.label, format = m.format, values = m.values }
  end
  return host.json_encode {
    nianbao_report = 1,
    format = report.format,
    meta = report.meta,
    preamble = report.preamble or host.null,
    sections = #sections > 0 and sections or host.null,
    tables = tables,
    statistics = statistics,
    marks = marks,
    tables_only = report.tables_only or nil,
  }
end

host.renderer {
  id = "json",
  description = "标准 JSON，供脚本使用，可原样读回",
  extension = "json",
  render = render,
}
