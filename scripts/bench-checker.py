#!/usr/bin/env python3
"""The straightforward checker a user would write, for scripts/bench.

Reads each report (UTF-8 text, the layout of a .docx saved as text), splits
it into lines, finds the rows of 表三 and 表四 by their labels and checks the
sums a person checks by hand:
  T3-COL  every row of 表三: the six kinds of applicant add up to 总计
  T3-BAL  一、本年新收 + 二、上年结转 = （七）总计 + 四、结转下年度继续办理
  T3-RES  the rows of 三、本年度办理结果 add up to （七）总计
  T4-SUM  表四: 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计, three times
It prints one line per sum that does not hold ("FILE: RULE ...") and a
closing line "N files, K with errors, U unreadable".  It is the yardstick of
issue 13 (nianbao should be ≥ 5× faster on CPU time), not a second checker:
it knows one layout and no other format.

usage: bench-checker.py [--files-from LIST] [FILE...]
"""
import sys

T3_START = "三、收到和处理政府信息公开申请情况"
T4_START = "四、政府信息公开行政复议、行政诉讼情况"
T5_START = "五、存在的主要问题及改进情况"
NEW, CARRIED = "一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量"
RESULTS, TOTAL, NEXT = "三、本年度办理结果", "（七）总计", "四、结转下年度继续办理"


def number(s):
    try:
        return int(s)
    except ValueError:
        return float(s)


def is_number(s):
    return s != "" and (s.isdigit() or s.replace(".", "", 1).isdigit())


def check(path, out):
    with open(path, encoding="utf-8") as f:
        lines = [l.strip() for l in f.read().split("\n")]
    try:
        t3 = lines.index(T3_START)
        t4 = lines.index(T4_START, t3)
        t5 = lines.index(T5_START, t4)
    except ValueError:
        return None
    # 表三: a row is a label line followed by its seven numbers
    rows, label, nums = [], None, []
    for l in lines[t3 + 1:t4] + ["."]:
        if not l:
            continue
        if is_number(l):
            nums.append(number(l))
            continue
        if label is not None and len(nums) == 7:
            rows.append((label, nums))
        label, nums = l, []
    errors = 0
    by_label = {}
    for label, v in rows:
        by_label.setdefault(label, v)
        if sum(v[:6]) != v[6]:
            out.write(f"{path}: T3-COL {label}: {sum(v[:6])} != {v[6]}\n")
            errors += 1
    names = [label for label, _ in rows]
    if all(k in by_label for k in (NEW, CARRIED, TOTAL, NEXT)):
        for c in range(7):
            a = by_label[NEW][c] + by_label[CARRIED][c]
            b = by_label[TOTAL][c] + by_label[NEXT][c]
            if a != b:
                out.write(f"{path}: T3-BAL column {c + 1}: {a} != {b}\n")
                errors += 1
        # the result rows: after 三、本年度办理结果 (the first row after 二、), before （七）总计
        first = names.index(CARRIED) + 1
        last = names.index(TOTAL)
        for c in range(7):
            s = sum(rows[i][1][c] for i in range(first, last))
            if s != by_label[TOTAL][c]:
                out.write(f"{path}: T3-RES column {c + 1}: {s} != {by_label[TOTAL][c]}\n")
                errors += 1
    # 表四: fifteen numbers, three groups of five ending in 总计
    v = [number(l) for l in lines[t4 + 1:t5] if is_number(l)]
    if len(v) >= 15:
        for g in range(3):
            part = v[g * 5:g * 5 + 5]
            if sum(part[:4]) != part[4]:
                out.write(f"{path}: T4-SUM group {g + 1}: {sum(part[:4])} != {part[4]}\n")
                errors += 1
    return errors


def main(argv):
    files = []
    args = iter(argv)
    for a in args:
        if a == "--files-from":
            with open(next(args), encoding="utf-8") as f:
                files.extend(l.rstrip("\n") for l in f if l.strip())
        else:
            files.append(a)
    out = sys.stdout
    nerr = nbad = 0
    for p in files:
        try:
            e = check(p, out)
        except (OSError, UnicodeDecodeError):
            e = None
        if e is None:
            out.write(f"{p}: unreadable\n")
            nbad += 1
        elif e:
            nerr += 1
    out.write(f"{len(files)} files, {nerr} with errors, {nbad} unreadable\n")
    return 1 if nerr or nbad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
