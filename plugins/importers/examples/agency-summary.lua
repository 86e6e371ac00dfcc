--: importer example
--: extensions csv
-- An example importer for a made-up agency spreadsheet: the "申请情况汇总表"
-- a county office keeps, with table 三 laid out the other way round — one
-- row per applicant type, one column per line of table 三:
--
--   申请人类型,新收,上年结转,予以公开,部分公开,…,办结合计,结转下年
--   自然人,8,1,4,1,…,8,1
--   企业,2,0,1,0,…,2,0
--   …
--   合计,11,1,5,1,…,11,1
--
-- docs/importers.md walks through it.  To write your own: copy this file to
-- ~/.local/share/nianbao/plugins/, give it another id, and change the two
-- tables below to the headings of your sheet.
local host = ...

-- column heading of the sheet → row of table 三 (ids: plugins/formats/gov-2021.lua)
local ROWS = {
  ["新收"] = "new", ["上年结转"] = "carried_in",
  ["予以公开"] = "r_granted", ["部分公开"] = "r_partial",
  ["国家秘密"] = "r_deny_secret", ["法律法规禁止"] = "r_deny_law", ["三安全一稳定"] = "r_deny_safety",
  ["第三方权益"] = "r_deny_third", ["内部事务"] = "r_deny_internal", ["过程性信息"] = "r_deny_process",
  ["执法案卷"] = "r_deny_enforce", ["行政查询"] = "r_deny_query",
  ["不掌握"] = "r_unable_none", ["需另行制作"] = "r_unable_make", ["补正后不明确"] = "r_unable_unclear",
  ["信访举报"] = "r_nohandle_petition", ["重复申请"] = "r_nohandle_repeat", ["公开出版物"] = "r_nohandle_publication",
  ["大量反复"] = "r_nohandle_massive", ["要求确认"] = "r_nohandle_confirm",
  ["逾期不补正"] = "r_other_overdue", ["逾期未缴费"] = "r_other_fee", ["其他处理"] = "r_other_else",
  ["办结合计"] = "results_total", ["结转下年"] = "carried_out",
}

-- first cell of a sheet row → column of table 三, and that column's position
-- (the order of the format's columns, for the source line of each cell)
local COLUMNS = { ["自然人"] = "natural", ["企业"] = "commercial", ["科研机构"] = "research",
  ["公益组织"] = "social", ["律所"] = "legal", ["其他"] = "other", ["合计"] = "total" }
local POSITION = { natural = 1, commercial = 2, research = 3, social = 4, legal = 5, other = 6, total = 7 }

local function import(src)
  -- host.csv_rows decodes (UTF-8, GBK …) and parses; each row has .line
  local rows = host.csv_rows(src.text)
  local header = rows[1]
  local row_of = {}
  for k = 2, #header do
    row_of[k] = ROWS[host.norm(header[k])]
    if not row_of[k] then
      -- stops the import: "file:line: message", exit 2
      host.input_error(header.line, "第" .. k .. "列：汇总表中没有“" .. header[k] .. "”这一栏")
    end
  end
  local t3 = {}
  for i = 2, #rows do
    local r = rows[i]
    local column = COLUMNS[host.norm(r[1])]
    if not column then host.input_error(r.line, "第1列：未知的申请人类型“" .. r[1] .. "”") end
    for k = 2, #r do
      local id = row_of[k]
      t3[id] = t3[id] or { _lines = {} }
      t3[id][column] = r[k]                    -- the cell as written; the host reads the number
      t3[id]._lines[POSITION[column]] = r.line -- for messages about this cell
    end
  end
  if not src.year then host.input_error(0, "汇总表没有写年度：请加 --year，如 --year 2024") end
  return {
    meta = { year = src.year },      -- the format is chosen by the year
    tables = { t3 = t3 },            -- cells not given stay blank
    tables_only = true,              -- no narrative: check only the tables
  }
end

host.importer {
  id = "example",
  description = "示例：某单位自制的申请情况汇总表（表三转置），见 docs/importers.md",
  extensions = { "csv" },
  -- claims a .csv whose first line is the sheet's header
  detect = function(head)
    local ok, text = pcall(host.decode, head:match("^[^\n]*\n") or head)
    return ok and text:find("^申请人类型,新收,上年结转,") ~= nil
  end,
  import = import,
}
