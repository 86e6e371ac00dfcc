/* See json_text.h. */
#include "base/json_text.h"
#include <stdbool.h>

/* length of the UTF-8 sequence at s (≤ n bytes left), 0 when invalid; *cp its code point */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return *cp = c, 1;
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (len == 0 || c > 0xF4 || len > n)
        return 0;
    uint32_t v = c & (0x7F >> len);
    for (size_t k = 1; k < len; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[k] & 0x3F);
    }
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    if (v < min[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    return *cp = v, len;
}

static bool control(uint32_t cp) { return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F); }

static int hex(unsigned char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

const char *nb_json_text_fault(const char *text, size_t len, uint32_t *line)
{
    const unsigned char *s = (const unsigned char *)text;
    bool in_string = false;
    *line = 1;
    size_t i = 0;
    while (i < len) {
        /* printable ASCII that neither opens nor closes a string nor
         * escapes, in a run (most of a report's JSON is markup and digits) */
        while (i < len && s[i] >= 0x20 && s[i] < 0x7F && s[i] != '"' && s[i] != '\\')
            i++;
        /* and three-byte characters of U+1000-U+CFFF and U+E000-U+FFFF (all
         * of Chinese text): valid whenever their two trailing bytes are, and
         * never a control character, quote or escape */
        while (i + 2 < len && ((s[i] >= 0xE1 && s[i] <= 0xEC) || s[i] >= 0xEE) && s[i] <= 0xEF &&
               (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80)
            i += 3;
        if (i == len)
            break;
        if (s[i] >= 0x20 && s[i] < 0x7F && s[i] != '"' && s[i] != '\\')
            continue;
        /* a quote, and the tabs and line breaks of the layout between
         * strings (cJSON_Print indents with them), told here at once */
        if (s[i] == '"' || (!in_string && (s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))) {
            in_string ^= s[i] == '"';
            *line += s[i] == '\n';
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_seq(s + i, len - i, &cp);
        if (n == 0)
            return "不是有效的 UTF-8 文本（invalid UTF-8）：请以 UTF-8 编码保存";
        if (cp == 0)
            return "含有 NUL 字符（\\0）：请删除";
        if (!in_string) {
            if (cp == '"')
                in_string = true;
            else if (control(cp))
                return "含有控制字符：请删除";
        } else if (cp == '"') {
            in_string = false;
        } else if (cp < 0x20 || control(cp)) {
            return "文字中含有控制字符（如换行、制表符须写作 \\n、\\t）：请删除或改写";
        } else if (cp == '\\' && i + 1 < len) {
            if (s[i + 1] == 'u' && i + 5 < len) {
                int v = 0;
                for (size_t k = 2; k < 6; k++) {
                    int h = hex(s[i + k]);
                    v = h < 0 ? -1 : (v < 0 ? -1 : v * 16 + h);
                }
                if (v == 0)
                    return "文字中含有 NUL 字符（\\u0000），会截断文字：请删除";
                if (v > 0 && control((uint32_t)v))
                    return "文字中含有控制字符（\\u 转义）：请删除";
            }
            n = 2; /* the escaped character is never a quote that ends the string */
        }
        if (cp == '\n')
            ++*line;
        i += n;
    }
    return NULL;
}
