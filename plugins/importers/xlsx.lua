--: importer xlsx
--: extensions xlsx xlsm
--: libraries xml2 zip
--: content prefix "PK\3\4"
--: uses csv
-- Importer for an Excel workbook (.xlsx): the fill-in spreadsheet `nianbao
-- new --to xlsx` writes, filled in Excel, WPS or LibreOffice, or any sheet
-- laid out as the CSV wide layout is (docs/importers.md).  The cells are
-- read in C (host.xlsx_sheets: libzip and libxml2 — shared strings, numbers,
-- formulas with their cached results, merged ranges); this file turns the
-- sheets into records, one a sheet row (the record's line is the row
-- number), and hands them to the CSV importer, which places them by the
-- format's labels.  A formula's result is what the file saved; a formula
-- saved without one (a file written by a program that does not calculate)
-- is reported, not guessed.
local host = ...

local input_error = host.input_error
local floor = math.floor

-- the label of a 勾稽 row (plugins/renderers/xlsx.lua): a check, not data
local CHECK = "勾稽："

local function col_letters(c)
  local s = ""
  while c > 0 do
    local r = (c - 1) % 26
    s = string.char(65 + r) .. s
    c = (c - 1 - r) // 26
  end
  return s
end

-- a number as the file writes it ("12", "1.5E-2", "0.30000000000000004")
-- as a person writes it
local function number_text(v)
  local n = tonumber(v)
  if not n or n ~= n or n == math.huge or n == -math.huge then return v end
  if n == floor(n) and math.abs(n) < 2 ^ 53 then return string.format("%d", n) end
  return (string.format("%.15g", n))
end

local function cell_text(c)
  local where = col_letters(c.col) .. c.row
  if c.formula and not c.cached then
    input_error(c.row, "单元格 " .. where .. " 的公式（=" .. c.formula .. "）没有保存计算结果：" ..
      "请在 Excel、WPS 或 LibreOffice 中打开这个文件，保存后再导入")
  end
  if c.type == "e" then
    input_error(c.row, "单元格 " .. where .. " 的结果是错误值“" .. c.value .. "”：请改正这一格或它引用的格")
  end
  if c.type == "n" then return number_text(c.value) end
  return c.value
end

local function import(src)
  local sheets = host.xlsx_sheets(src.text)
  local records, used = {}, {}
  for _, sh in ipairs(sheets) do
    if #sh.cells > 0 then
      used[#used + 1] = sh.name
      local by_row, last = {}, 0
      for _, c in ipairs(sh.cells) do
        local r = by_row[c.row] or {}
        by_row[c.row] = r
        r[c.col] = cell_text(c)
        if c.row > last then last = c.row end
      end
      for r = 1, last do
        local cells = by_row[r] or {}
        local n = 0
        for c in pairs(cells) do if c > n then n = c end end
        local rec = { line = r }
        for c = 1, n do rec[c] = host.trim(cells[c] or "") end
        local first
        for c = 1, n do if rec[c] ~= "" then first = rec[c]; break end end
        if first and string.sub(first, 1, #CHECK) == CHECK then rec = { line = r } end
        records[#records + 1] = rec
      end
    end
  end
  if #records == 0 then input_error(1, "工作簿中没有任何数据") end
  local csv = host.importer_of("csv")
  local report = csv({ rows = records, name = src.name, format = src.format, year = src.year, agency = src.agency })
  if #used > 1 then
    report.notes = report.notes or {}
    table.insert(report.notes, { rule = "IMPORT-META", severity = "info", line = 1,
      message = "读入了 " .. #used .. " 个工作表（" .. table.concat(used, "、") .. "），行号是各表自己的行号" })
  end
  return report
end

host.importer {
  id = "xlsx",
  description = "Excel 工作簿（.xlsx）：nianbao new --to xlsx 的填报表，或按表样排列的统计表",
  extensions = { "xlsx", "xlsm" },
  by_content = true,
  detect = function(head)
    return string.sub(head, 1, 4) == "PK\3\4" and string.find(head, "xl/", 1, true) ~= nil
  end,
  import = import,
}
