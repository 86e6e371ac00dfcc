-- How nianbao reads your application register (依申请公开登记台账).
--
-- To fit it to your office's register, copy this file to
--   ~/.local/share/nianbao/templates/register-map.lua
-- (or $XDG_DATA_HOME/nianbao/templates/) and edit the copy: it replaces
-- this one.  It is plain data: names are compared after removing spaces and
-- quote marks, with full-width letters and brackets folded.
return {
  -- the agency the report is for (printed in the title)
  agency = nil,             -- e.g. "示例县交通运输局"

  -- in an SQLite database, the table holding the register (nil: the only table)
  sqlite_table = nil,

  -- column headers: each field may be called any of these names
  columns = {
    received = { "收到日期", "收到申请日期", "受理日期", "申请日期", "登记日期", "received" },
    applicant = { "申请人类型", "申请人类别", "申请人性质", "申请人情况", "applicant" },
    result = { "处理结果", "办理结果", "答复结果", "答复类型", "最终处理结果", "result" },
    closed = { "办结日期", "答复日期", "办理完结日期", "结案日期", "closed" },
  },

  -- applicant types: column of table 三 → your wordings
  -- (the official column labels are always understood)
  applicants = {
    natural = { "个人", "公民", "自然人申请" },
    commercial = { "企业", "公司" },
    research = { "科研单位", "高校" },
    social = { "公益组织", "社会组织" },
    legal = { "律师事务所", "律所", "律师" },
    other = { "其他组织", "其他法人或其他组织" },
  },

  -- final results: row of table 三 → your wordings
  -- (the official row labels are always understood, with or without their
  -- numbering: "（一）予以公开", "予以公开", "1.属于国家秘密", "属于国家秘密")
  results = {
    r_granted = { "公开", "同意公开", "全部公开" },
    r_partial = { "区分处理" },
    r_deny_secret = { "国家秘密" },
    r_deny_law = { "法律法规禁止公开", "法律行政法规禁止公开" },
    r_deny_safety = { "三安全一稳定", "危及三安全一稳定" },
    r_deny_third = { "第三方合法权益", "涉及第三方合法权益" },
    r_deny_internal = { "内部事务信息", "内部事务" },
    r_deny_process = { "过程性信息" },
    r_deny_enforce = { "行政执法案卷" },
    r_deny_query = { "行政查询事项" },
    r_unable_none = { "信息不存在", "本机关不掌握", "不掌握" },
    r_unable_make = { "需另行制作", "需要另行制作", "没有现成信息" },
    r_unable_unclear = { "申请内容不明确", "补正后仍不明确" },
    r_nohandle_petition = { "信访举报投诉", "信访" },
    r_nohandle_repeat = { "重复" },
    r_nohandle_publication = { "公开出版物" },
    r_nohandle_massive = { "大量反复申请" },
    r_nohandle_confirm = { "要求确认或重新出具" },
    r_other_overdue = { "逾期不补正" },
    r_other_fee = { "逾期未缴费", "逾期未缴纳费用" },
    r_other_else = { "其他处理" },
    -- the 2019 format (reports on 2019 and 2020) has one row for all 其他处理
    r_other = { "其他处理", "逾期不补正", "逾期未缴费", "逾期未缴纳费用" },
  },
}
