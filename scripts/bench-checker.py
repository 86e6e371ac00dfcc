#!/usr/bin/env python3
"""The straightforward checker a user would write, for scripts/bench to
compare nianbao with: read each report, split it into lines, find the rows
of 表三 and 表四 by their labels, take the numbers that follow a label and
check that each row's 总计 is the sum of its other columns.

usage: scripts/bench-checker.py FILE...   (prints one line per bad row and a count)
"""
import re
import sys

# a row label of 表三/表四 as the official template words it
LABEL = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)\S+")
NUMBER = re.compile(r"^\s*(\d+)\s*$")


def check(path):
    bad = 0
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if LABEL.match(lines[i]):
            label = lines[i].strip()
            nums = []
            j = i + 1
            while j < len(lines) and (lines[j].strip() == "" or NUMBER.match(lines[j])) and len(nums) < 7:
                m = NUMBER.match(lines[j])
                if m:
                    nums.append(int(m.group(1)))
                elif nums:
                    break
                j += 1
            if len(nums) == 7 and sum(nums[:6]) != nums[6]:
                print(f"{path}:{i + 1}: {label}：总计 {nums[6]} ≠ 各列之和 {sum(nums[:6])}")
                bad += 1
            i = j if nums else i + 1
        else:
            i += 1
    return bad


def main():
    files = sys.argv[1:]
    if files and files[0] == "--files-from":
        with open(files[1], encoding="utf-8") as f:
            files = [l.strip() for l in f if l.strip()] + files[2:]
    bad = sum(check(p) for p in files)
    print(f"{len(files)} reports, {bad} bad rows")


if __name__ == "__main__":
    main()
