-- Importer for nianbao's canonical JSON (docs/report-json.md): the exact
-- form the json renderer writes, so json → report → json is byte-identical.
local host = ...

-- a JSON null where an object or array may stand is the same as none
local function opt(v) if v == host.null then return nil end return v end

local function import(src)
  local doc = host.json_decode(src.text)
  if type(doc) ~= "table" or doc.nianbao_report ~= 1 then
    host.input_error(1, "不是 nianbao 报告 JSON：缺少 \"nianbao_report\": 1（见 docs/report-json.md）")
  end
  local report = {
    format = src.format or doc.format,
    meta = {},
    preamble = doc.preamble ~= host.null and doc.preamble or nil,
    sections = {},
    tables = {},
    tables_only = doc.tables_only == true or nil,
  }
  for k, v in pairs(opt(doc.meta) or {}) do
    if v ~= host.null then report.meta[k] = v end
  end
  for i, s in ipairs(opt(doc.sections) or {}) do
    if type(s) ~= "table" or type(s.heading) ~= "string" or type(s.level) ~= "number" then
      host.input_error(0, "sections[" .. i .. "] 应有 heading（文字）和 level（数字）")
    end
    report.sections[i] = { heading = s.heading, level = s.level, text = s.text ~= host.null and s.text or nil }
  end
  for tid, rows in pairs(opt(doc.tables) or {}) do
    local t = {}
    for rid, cells in pairs(rows) do
      local r = {}
      for cid, v in pairs(cells) do
        if v ~= host.null then r[cid] = v end
      end
      t[rid] = r
    end
    report.tables[tid] = t
  end
  for i, row in ipairs(type(doc.statistics) == "table" and doc.statistics or {}) do
    report.statistics = report.statistics or {}
    report.statistics[i] = { label = row.label, unit = row.unit ~= host.null and row.unit or nil,
                             values = row.values ~= host.null and row.values or nil }
  end
  for i, m in ipairs(type(doc.marks) == "table" and doc.marks or {}) do
    report.marks = report.marks or {}
    report.marks[i] = { label = m.label, format = m.format, values = m.values ~= host.null and m.values or nil }
  end
  return report
end

host.importer {
  id = "json",
  description = "nianbao 报告 JSON（--to json 写出的标准形式）",
  extensions = { "json" },
  detect = function(head) return head:find('"nianbao_report"', 1, true) ~= nil end,
  import = import,
}
