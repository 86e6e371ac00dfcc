-- The 2021 format: 国办公开办函〔2021〕30号, used for reports on 2021 and
-- later years.  Every table, row and column of the official template with a
-- stable id and its exact label, and the rules the format states or implies.
-- The C core learns the format from this declaration alone.
local host = ...
local narrative = host.lib("narrative")

-- 核实 (rule kinds jump and backlog, docs/plugins.md): what changes so much
-- from last year that the report should say why; thresholds of this format.
local OUTLIERS = {
  { what = "本年新收申请", cells = { "t3.new.total" } },
  { what = "行政复议案件", cells = { "t4.cases.review_total" } },
  { what = "行政诉讼案件", cells = { "t4.cases.direct_total", "t4.cases.after_total" } },
}

-- TXT-NUM (rule kind narrative, lib/narrative.lua): what the narrative states for a table
-- quantity, as data — the quantities, their cells, the wording that states
-- them; clauses about another period are skipped.
local NARRATIVE = {
  placeholder = "（请填写",
  skip = { "同比", "较上年", "较去年", "比上年", "去年", "上年度收到", "上年收到", "上一年度收到", "累计", "历年",
           "以来", "增长", "下降", "增加", "减少", "%" },
  quantities = {
    { what = "上年结转申请", cells = { "t3.carried_in.total" },
      patterns = { "上年结转.-(%d+)件", "上年度结转.-(%d+)件", "上一年度结转.-(%d+)件" } },
    { what = "结转下年度申请", cells = { "t3.carried_out.total" }, unless = { "上年", "上一年" },
      patterns = { "结转下.-(%d+)件", "结转至下.-(%d+)件", "结转到下.-(%d+)件", "(%d+)件.-结转下" } },
    { what = "本年新收申请", cells = { "t3.new.total" }, unless = { "结转", "复议", "诉讼", "办结", "答复" },
      patterns = { "新收.-申请.-(%d+)件", "收到.-申请.-(%d+)件", "受理.-申请.-(%d+)件", "收到(%d+)件.-申请",
                   "受理(%d+)件.-申请", "新收(%d+)件" } },
    { what = "办结申请（办理结果总计）", cells = { "t3.results_total.total" }, unless = { "结转" },
      patterns = { "办结.-(%d+)件", "答复.-申请(%d+)件" } },
    { what = "予以公开", cells = { "t3.r_granted.total" }, unless = { "部分" },
      patterns = { "予以公开(%d+)件" } },
    { what = "行政复议案件", cells = { "t4.cases.review_total" }, unless = { "诉讼" },
      patterns = { "行政复议%D-(%d+)件", "行政复议%D-(%d+)起" } },
    { what = "行政诉讼案件", cells = { "t4.cases.direct_total", "t4.cases.after_total" }, unless = { "复议" },
      patterns = { "行政诉讼%D-(%d+)件", "行政诉讼%D-(%d+)起" } },
    { what = "制发规范性文件", cells = { "t2.normative.issued" },
      patterns = { "制发.-规范性文件%D-(%d+)件", "出台.-规范性文件%D-(%d+)件", "印发.-规范性文件%D-(%d+)件" } },
    { what = "废止规范性文件", cells = { "t2.normative.repealed" }, unless = { "规章" }, sentence = "规范性文件",
      patterns = { "废止.-规范性文件%D-(%d+)件", "废止%D-(%d+)件" } },
    { what = "现行有效规范性文件", cells = { "t2.normative.in_force" },
      patterns = { "现行有效.-规范性文件%D-(%d+)件", "规范性文件.-现行有效%D-(%d+)件" } },
  },
}


-- 表三's seven applicant columns (the header tree gives the merged cells)
local applicants = {
  { label = "申请人情况", children = {
    { id = "natural", label = "自然人" },
    { label = "法人或其他组织", children = {
      { id = "commercial", label = "商业企业" },
      { id = "research", label = "科研机构" },
      { id = "social", label = "社会公益组织" },
      { id = "legal", label = "法律服务机构" },
      { id = "other", label = "其他" },
    } },
    { id = "total", label = "总计" },
  } },
}

local function outcome_columns(prefix)
  return {
    { id = prefix .. "_upheld", label = "结果维持" },
    { id = prefix .. "_corrected", label = "结果纠正" },
    { id = prefix .. "_other", label = "其他结果" },
    { id = prefix .. "_pending", label = "尚未审结" },
    { id = prefix .. "_total", label = "总计" },
  }
end

host.format {
  id = "gov-2021",
  name = "中华人民共和国政府信息公开工作年度报告格式（国办公开办函〔2021〕30号）",
  notice = "国办公开办函〔2021〕30号",
  -- DATE-DL: 《政府信息公开条例》第五十条 and 国办公开办函〔2019〕60号: a unit's report by
  -- 1月31日, the 县级 汇总 by 2月20日, 地市级 by 3月10日, 省级 and 本级政府 by 3月31日
  -- (of the year after the report year); levels are the roster's 层级
  deadlines = {
    { levels = { "部门", "乡镇", "街道" }, month = 1, day = 31 },
    { levels = { "县政府", "县级汇总", "区政府" }, month = 2, day = 20 },
    { levels = { "市政府", "地市级", "地市级汇总" }, month = 3, day = 10 },
    { levels = { "省政府", "省级汇总", "本级政府" }, month = 3, day = 31 },
  },
  year_from = 2021,
  title = "政府信息公开工作年度报告",
  -- labels only this format prints: seeing them in another year's report
  -- means the wrong template was used
  marks = { "本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额（单位：万元）",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" },

  sections = {
    { id = "overview", label = "一、总体情况", match = { "总体情况" } },
    { id = "active", label = "二、主动公开政府信息情况", match = { "主动公开" } },
    { id = "requests", label = "三、收到和处理政府信息公开申请情况", match = { "收到", "申请" } },
    { id = "review", label = "四、政府信息公开行政复议、行政诉讼情况", match = { "复议", "诉讼" } },
    { id = "problems", label = "五、存在的主要问题及改进情况", match = { "问题", "改进" } },
    { id = "other", label = "六、其他需要报告的事项", match = { "其他需要报告" } },
  },

  tables = {
    { id = "t2", label = "表二（主动公开政府信息情况）", section = "active",
      instructions = {
        "各项数据的核定时间点为报告年度的12月31日。",
        "第（五）项行政许可、第（六）项行政处罚和行政强制的处理决定数量，包括已公开和依法未公开的全部处理决定。",
        "收费金额以万元为单位；没有的填0，不适用的填“/”。",
      },
      blocks = {
      { id = "art20_1", label = "第二十条第（一）项", corner = "信息内容",
        columns = {
          { id = "issued", label = "本年制发件数" },
          { id = "repealed", label = "本年废止件数" },
          -- a stock at the year's end, not a flow: nianbao sum does not add it over units
          { id = "in_force", label = "现行有效件数", additive = false },
        },
        rows = {
          { id = "regulations", label = "规章" },
          { id = "normative", label = "行政规范性文件", aliases = { "规范性文件" } },
        } },
      { id = "art20_5", label = "第二十条第（五）项", corner = "信息内容",
        columns = { { id = "decisions", label = "本年处理决定数量" } },
        rows = { { id = "licensing", label = "行政许可", instruction = "包括已公开和依法未公开的全部行政许可决定" } } },
      { id = "art20_6", label = "第二十条第（六）项", corner = "信息内容",
        columns = { { id = "decisions", label = "本年处理决定数量" } },
        rows = {
          { id = "punishment", label = "行政处罚" },
          { id = "enforcement", label = "行政强制" },
        } },
      { id = "art20_8", label = "第二十条第（八）项", corner = "信息内容",
        columns = { { id = "fee_amount", label = "本年收费金额（单位：万元）", type = "amount", unit = "万元" } },
        rows = { { id = "fees", label = "行政事业性收费" } } },
    } },

    { id = "t3", label = "表三（收到和处理政府信息公开申请情况）", section = "requests",
      instructions = {
        "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和（每一列都须满足）。",
        "每件申请按最终处理结果只计入一个办理结果；区分处理的只计入“（二）部分公开”，不计其他情形。",
        "总计列等于自然人与各类法人或其他组织之和；（七）总计等于各项办理结果之和。",
      },
      blocks = {
      { id = "requests",
        corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
        columns = applicants,
        rows = {
          { id = "new", label = "一、本年新收政府信息公开申请数量" },
          { id = "carried_in", label = "二、上年结转政府信息公开申请数量", instruction = "等于上年报告的“四、结转下年度继续办理”" },
          { id = "results", label = "三、本年度办理结果", children = {
            { id = "r_granted", label = "（一）予以公开" },
            { id = "r_partial", label = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", instruction = "区分处理的申请只计入这一行，不再计入其他办理结果",
              aliases = { "（二）部分公开" } },
            { id = "denied", label = "（三）不予公开", children = {
              { id = "r_deny_secret", label = "1.属于国家秘密" },
              { id = "r_deny_law", label = "2.其他法律行政法规禁止公开" },
              { id = "r_deny_safety", label = "3.危及“三安全一稳定”" },
              { id = "r_deny_third", label = "4.保护第三方合法权益" },
              { id = "r_deny_internal", label = "5.属于三类内部事务信息" },
              { id = "r_deny_process", label = "6.属于四类过程性信息" },
              { id = "r_deny_enforce", label = "7.属于行政执法案卷" },
              { id = "r_deny_query", label = "8.属于行政查询事项" },
            } },
            { id = "unable", label = "（四）无法提供", children = {
              { id = "r_unable_none", label = "1.本机关不掌握相关政府信息" },
              { id = "r_unable_make", label = "2.没有现成信息需要另行制作" },
              { id = "r_unable_unclear", label = "3.补正后申请内容仍不明确" },
            } },
            { id = "unhandled", label = "（五）不予处理", children = {
              { id = "r_nohandle_petition", label = "1.信访举报投诉类申请" },
              { id = "r_nohandle_repeat", label = "2.重复申请" },
              { id = "r_nohandle_publication", label = "3.要求提供公开出版物" },
              { id = "r_nohandle_massive", label = "4.无正当理由大量反复申请" },
              { id = "r_nohandle_confirm", label = "5.要求行政机关确认或重新出具已获取信息" },
            } },
            { id = "other_handling", label = "（六）其他处理", children = {
              { id = "r_other_overdue", label = "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" },
              { id = "r_other_fee", label = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" },
              { id = "r_other_else", label = "3.其他" },
            } },
            { id = "results_total", label = "（七）总计" },
          } },
          { id = "carried_out", label = "四、结转下年度继续办理", aliases = { "四、结转下一年度继续办理" } },
        } },
    } },

    { id = "t4", label = "表四（政府信息公开行政复议、行政诉讼情况）", section = "review",
      instructions = {
        "行政复议机关作为共同被告的行政诉讼案件，只计算原行为主体的案件数量，不计算行政复议机关的案件数量。",
        "每组的总计等于结果维持、结果纠正、其他结果、尚未审结之和。",
      },
      blocks = {
      { id = "cases", labels = false,
        columns = {
          { label = "行政复议", children = outcome_columns("review") },
          { label = "行政诉讼", children = {
            { label = "未经复议直接起诉", children = outcome_columns("direct") },
            { label = "复议后起诉", children = outcome_columns("after") },
          } },
        },
        rows = { { id = "cases", label = "案件数量" } } },
    } },
  },

  rules = {
    { id = "FMT-SEC", severity = "error", source = "stated", kind = "sections",
      message = "报告应包括格式规定的六个部分，并按顺序排列" },
    { id = "FMT-VER", severity = "error", source = "inferred", kind = "version",
      message = "报告应使用其年度规定的格式" },
    { id = "YEAR", severity = "error", source = "inferred", kind = "year",
      message = "标题年份、统计期限年份与报告年度应一致" },
    { id = "T3-BAL", severity = "error", source = "stated",
      each = { c = "t3.columns" },
      assert = "t3.results_total.$c + t3.carried_out.$c == t3.new.$c + t3.carried_in.$c",
      message = "一、本年新收加二、上年结转，应等于三、本年度办理结果（七）总计加四、结转下年度继续办理" },
    { id = "T3-RES", severity = "error", source = "inferred",
      each = { c = "t3.columns" },
      assert = "t3.results_total.$c == sum(t3.r_*.$c)",
      message = "（七）总计应等于各项办理结果之和" },
    { id = "T3-COL", severity = "error", source = "inferred",
      each = { r = "t3.rows" },
      assert = "t3.$r.total == sum(t3.$r.{natural,commercial,research,social,legal,other})",
      message = "总计应等于自然人与各类法人或其他组织之和" },
    { id = "T4-SUM", severity = "error", source = "inferred",
      each = { g = { "review", "direct", "after" } },
      assert = "t4.cases.${g}_total == t4.cases.${g}_upheld + t4.cases.${g}_corrected + t4.cases.${g}_other + t4.cases.${g}_pending",
      message = "总计应等于结果维持、结果纠正、其他结果、尚未审结之和" },
    -- the marks `nianbao new` leaves in a draft (templates/draft, lib/draft.lua)
    { id = "DRAFT-TODO", severity = "error", source = "inferred", kind = "placeholder",
      words = { "（请填写" },
      message = "草稿中还有待填写的地方" },
    { id = "TXT-NUM", severity = "warning", source = "inferred", kind = "narrative",
      message = "正文中的数字应与表格一致",
      narrative = narrative.rule(NARRATIVE) },
    { id = "CELL-INT", severity = "error", source = "inferred", kind = "type",
      message = "数量应为整数" },
    { id = "CELL-BLANK", severity = "warning", source = "inferred", kind = "blank",
      message = "单元格空白：没有的请填写0，不适用的请填写“/”" },
    { id = "TXT-LEN", severity = "warning", source = "stated", kind = "text_length",
      section = "overview", max = 1000,
      message = "总体情况篇幅原则上不超过一千字" },
    { id = "TXT-FEE", severity = "warning", source = "stated", kind = "text_mentions",
      section = "other", words = { "信息处理费" },
      message = "第六部分应报告收取信息处理费的情况" },
    { id = "XY-CARRY", severity = "error", source = "inferred",
      each = { c = "t3.columns" },
      assert = "t3.carried_in.$c == prev.t3.carried_out.$c",
      message = "二、上年结转应等于上一年度报告的四、结转下年度继续办理" },
    { id = "T2-VALID", severity = "warning", source = "inferred",
      each = { r = { "regulations", "normative" } },
      assert = "t2.$r.in_force == prev.t2.$r.in_force + t2.$r.issued - t2.$r.repealed",
      message = "现行有效件数应等于上年现行有效件数加本年制发件数减本年废止件数" },
    { id = "XY-JUMP", severity = "verify", source = "inferred", kind = "jump",
      factor = 5, min_cases = 10, quantities = OUTLIERS,
      message = "与上年相比变化到五倍以上或五分之一以下（或由多变为 0），需在报告中说明（--prev）" },
    { id = "XY-BACKLOG", severity = "verify", source = "inferred", kind = "backlog",
      min_cases = 10, share = 50, carry_over = "t3.carried_out.total", received = { "t3.new.total", "t3.carried_in.total" },
      message = "结转下年度的申请增加且占本年应办理申请的一半以上，需在报告中说明（--prev）" },
    { id = "TXT-DUP", severity = "warning", source = "stated", kind = "text_similar",
      section = "problems", threshold = 80,
      message = "存在的主要问题及改进情况与上一年度雷同（不得年年雷同）" },
  },
}
