-- The year and agency a report's title names ("上高县商务局2023年政府信息公开
-- 工作年度报告" → 2023, "上高县商务局"): every importer that reads a title
-- reads it the same way.
local host = ...

local match, gsub = string.match, string.gsub

local M = {}

-- parse(title) → year (number or nil), agency (string or nil)
function M.parse(text)
  -- "2024 年", as OCR and PDF extraction write it, is 2024年
  local year = match(text, "(20%d%d)%s*年") or match(text, "(19%d%d)%s*年")
  local agency = text
  if year then
    agency = gsub(gsub(agency, year .. "%s*年度", "", 1), year .. "%s*年", "", 1)
  end
  agency = gsub(agency, "政府信息公开工作年度报告.*$", "")
  agency = gsub(agency, "政府信息公开年度报告.*$", "")
  agency = host.trim(agency)
  return tonumber(year), agency ~= "" and agency or nil
end

return M
