-- The year and agency a report's title names ("上高县商务局2023年政府信息公开
-- 工作年度报告" → 2023, "上高县商务局"): every importer that reads a title
-- reads it the same way.
local host = ...

local find, match, sub = string.find, string.match, string.sub

local M = {}

-- Every search below starts at a plain find of its first literal and
-- anchors the pattern there: a pattern tried at each byte of the title, and
-- gsub copying the title byte by byte, were most of reading one.

-- the first "20dd 年" (digits, optional white space, 年): its four digits
local function year_of(text, century, pattern)
  local at = find(text, century, 1, true)
  while at do
    local y = match(text, pattern, at)
    if y then return y end
    at = find(text, century, at + 1, true)
  end
end

-- text less the first `year` followed by white space and `suffix`
local function cut_year(text, year, suffix)
  local at = find(text, year, 1, true)
  while at do
    local _, e = find(text, suffix, at + #year)
    if e then return sub(text, 1, at - 1) .. sub(text, e + 1) end
    at = find(text, year, at + 1, true)
  end
  return text
end

-- text up to the first `word` (the word and all after it dropped)
local function cut_from(text, word)
  local at = find(text, word, 1, true)
  return at and sub(text, 1, at - 1) or text
end

-- parse(title) → year (number or nil), agency (string or nil)
function M.parse(text)
  -- "2024 年", as OCR and PDF extraction write it, is 2024年
  local year = year_of(text, "20", "^(20%d%d)%s*年") or year_of(text, "19", "^(19%d%d)%s*年")
  local agency = text
  if year then
    agency = cut_year(cut_year(agency, year, "^%s*年度"), year, "^%s*年")
  end
  agency = cut_from(agency, "政府信息公开工作年度报告")
  agency = cut_from(agency, "政府信息公开年度报告")
  agency = host.trim(agency)
  return tonumber(year), agency ~= "" and agency or nil
end

return M
