-- Reports on 2008–2018, under the 2007 regulation (国务院令第492号): there was
-- no national table, each province prescribed its own 统计表.  This format
-- keeps the narrative sections and, having no tables, lets the importer keep
-- every table row free-form (report.statistics: label, unit, values as
-- written).  Table rules cannot apply; FMT-LEGACY says so in an info finding.
local host = ...

host.format {
  id = "legacy",
  name = "2019年以前的政府信息公开工作年度报告（各地自定格式，国务院令第492号）",
  -- DATE-DL: before 2019 every report was due by 3月31日 of the next year
  deadlines = { { month = 3, day = 31 } },
  year_from = 2008,
  year_to = 2018,
  title = "政府信息公开工作年度报告",
  -- headers of the old 统计表 (指标名称 | 计量单位 | 本年度 | 历年累计, or
  -- 本期实际 | 本年累计): a later report printing them kept the old layout
  marks = { "指标名称", "计量单位", "历年累计", "本期实际", "本年累计" },

  -- the six contents of 第三十二条 as reports headed them; any other
  -- “X、…” heading is a part of its own
  sections = {
    { id = "overview", label = "概述", match = { "概述" } },
    { id = "active", label = "主动公开政府信息情况", match = { "主动公开" } },
    { id = "requests", label = "依申请公开政府信息情况", match = { "依申请" } },
    { id = "fees", label = "收费及减免情况", match = { "收费" } },
    { id = "review", label = "行政复议、行政诉讼情况", match = { "复议" } },
    { id = "problems", label = "存在的主要问题及改进措施", match = { "问题" } },
    { id = "other", label = "其他需要报告的事项", match = { "其他" } },
    { id = "statistics", label = "政府信息公开情况统计表", match = { "统计" } },
    { id = "part", label = "其他部分", match = { "、" } },
  },
  tables = {},

  rules = {
    { id = "FMT-LEGACY", severity = "info", source = "inferred", kind = "lua",
      message = "2019年以前的报告没有全国统一的表格，表格规则不适用",
      fn = function(report)
        local n = report.statistics and #report.statistics or 0
        return { { message = string.format(
          "本报告按2019年以前的格式填写，没有全国统一的表格（统一格式自2019年度报告起施行）：统计表的%d行按原样保留" ..
          "（指标、计量单位、数值），勾稽关系等表格规则不适用", n) } }
      end },
    { id = "FMT-VER", severity = "warning", source = "inferred", kind = "version",
      message = "报告应使用其年度规定的格式" },
    { id = "YEAR", severity = "error", source = "inferred", kind = "year",
      message = "标题年份、统计期限年份与报告年度应一致" },
    { id = "TXT-DUP", severity = "warning", source = "inferred", kind = "text_similar",
      section = "problems", threshold = 80,
      message = "存在的主要问题及改进措施与上一年度雷同" },
  },
}
