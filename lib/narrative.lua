-- TXT-NUM: numbers the narrative states for a table quantity ("本年度共收到
-- 申请70件") against the table — rule kind `narrative`, run in C
-- (host/rules/narrative_rule.c, docs/plugins.md).  The format declares what
-- to look for as data; this module adds how the formats' narratives are
-- cut, which they share:
--
--   narrative.rule(spec) → the rule's `narrative` field
--   spec = {
--     placeholder = "（请填写",        -- a line holding it is skipped
--     skip = { "同比", … },            -- a clause holding one speaks of another period
--     quantities = { {
--       what = "本年新收申请",          -- for the message
--       cells = { "t3.new.total" },     -- summed; a blank cell: not compared
--       patterns = { "新收.-申请(%d+)件", … },   -- Lua patterns, one capture (%d+)
--       unless = { "结转" },            -- optional: a clause holding one is not this quantity
--       sentence = "规范性文件",        -- optional: the sentence must hold it
--     }, … } }
--
-- Text is cut into sentences at 。；！？ and sentences into clauses at ，、
-- and brackets; each clause gives at most one mention (the first quantity
-- whose pattern matches).  Every mismatch is one finding, with its quote and
-- line, pinned to the quantity's first cell.
local M = {}

local SENTENCES = { "。", "；", "！", "？", ";" }
local CLAUSES = { "，", "、", "（", "）", "(", ")", ",", "：", ":" }

function M.rule(spec)
  return { sentences = SENTENCES, clauses = CLAUSES, placeholder = spec.placeholder, skip = spec.skip,
           quantities = spec.quantities }
end

return M
