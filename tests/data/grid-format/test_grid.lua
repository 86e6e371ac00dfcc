-- A made-up format for the layout tests: a three-level column tree, a
-- group row with values of its own, a block narrower than the widest, and
-- a block without row labels — shapes gov-2021 does not have.
local host = ...

host.format {
  id = "test-grid",
  name = "测试格式",
  notice = "测试〔1990〕1号",
  year_from = 1990,
  year_to = 1990,
  sections = { { id = "only", label = "一、测试部分", match = { "测试部分" } } },
  tables = {
    { id = "tx", label = "表一（测试）", section = "only", blocks = {
      { id = "b1", label = "甲块", corner = "项目",
        columns = {
          { label = "上层", children = {
            { label = "中层", children = { { id = "c1", label = "列一" }, { id = "c2", label = "列二" } } },
            { id = "c3", label = "列三" },
          } },
          { id = "c4", label = "列四" },
        },
        rows = {
          { id = "r1", label = "一、行一" },
          { id = "g", label = "二、组", data = true, children = {
            { id = "r2", label = "（一）子一" },
            { id = "h", label = "（二）子组", children = {
              { id = "r3", label = "1.孙一" },
              { id = "r4", label = "2.孙二" },
            } },
          } },
        } },
      { id = "b2", label = "乙块", corner = "项目", columns = { { id = "d1", label = "单列" } },
        rows = { { id = "s1", label = "单行" } } },
      { id = "b3", labels = false,
        columns = { { id = "e1", label = "无标签一" }, { id = "e2", label = "无标签二" } },
        rows = { { id = "only", label = "唯一" } } },
    } },
  },
  rules = {
    { id = "BLANK", severity = "warning", source = "inferred", kind = "blank", message = "单元格空白" },
  },
}
