-- Text that is not UTF-8: GB18030/GBK (Word's 另存为纯文本 on Chinese
-- Windows) or UTF-16 with a BOM, converted by host.decode as the CSV and
-- text importers convert it.  For the importers that read text themselves
-- (markdown, pipe_text) and their detect functions.
local host = ...

local find, sub = string.find, string.sub

local M = {}

-- utf8(text) → text in UTF-8 without a BOM, and the encoding it was in (nil
-- when it was UTF-8 already); an input error when it is neither
function M.utf8(text)
  local encoding
  if find(text, "\0", 1, true) or not host.utf8_valid(text) then
    local ok, decoded, enc = pcall(host.decode, text)
    if not ok or type(decoded) ~= "string" or find(decoded, "\0", 1, true) then
      host.input_error(1, "不是 UTF-8 文本（可能是二进制文件或无法识别的编码）：请先另存为 UTF-8 文本，或用 iconv -f GBK -t UTF-8 转换")
    end
    text, encoding = decoded, enc
  end
  if sub(text, 1, 3) == "\239\187\191" then text = sub(text, 4) end
  return text, encoding
end

-- head(head) → the first bytes of a file as UTF-8 (a head may end inside a
-- character: tried shorter by up to 3 bytes), or nil
function M.head(head)
  if not find(head, "\0", 1, true) then
    local ok, at = host.utf8_valid(head)
    if ok then return head end
    -- UTF-8 Chinese with only its last character cut: what host.decode gives
    -- below (it refuses the longer heads as UTF-8 with a bad part), without
    -- asking it
    local wide = find(head, "[\224-\255]")
    if at >= #head - 2 and wide and wide < at and sub(head, 1, 3) ~= "\239\187\191" and sub(head, 1, 4) ~= "PK\3\4" then
      return sub(head, 1, at - 1)
    end
  end
  for cut = 0, 3 do
    local ok, d = pcall(host.decode, sub(head, 1, #head - cut))
    if ok and type(d) == "string" then return d end
  end
  return nil
end

-- the info note an import gives when it converted
function M.note(encoding)
  return { rule = "IMPORT-ENCODING", severity = "info", line = 1, message = "文本不是 UTF-8，已按 " .. encoding .. " 编码读取" }
end

return M
