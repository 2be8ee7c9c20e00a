"""The working rules (湘乡市人大常委会街道工作委员会工作实施细则), read once from the shipped text."""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

RULES_FILE = Path(__file__).parent / "data" / "rules-zh.txt"
_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_HEADING = re.compile(r"^第([一二三四五六七八九十]+)([章条])\s*(.*)$")


def chinese_number(text: str) -> int:
    """一 → 1, 十 → 10, 十四 → 14, 二十四 → 24 (enough for the rules' numbering)."""
    if "十" not in text:
        return _DIGITS[text]
    tens, _, units = text.partition("十")
    return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[units] if units else 0)


@dataclass
class Article:
    number: int
    heading: str
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class Chapter:
    number: int
    title: str
    articles: list[Article] = field(default_factory=list)


@cache
def chapters() -> list[Chapter]:
    result: list[Chapter] = []
    for line in RULES_FILE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        match = _HEADING.match(line)
        if match and match.group(2) == "章":
            result.append(Chapter(chinese_number(match.group(1)), match.group(3).replace(" ", "")))
        elif match:
            number, rest = chinese_number(match.group(1)), match.group(3)
            # Articles either carry a short heading ("组织人大街道工委会议") or start with their text.
            is_heading = len(rest) <= 20 and not rest.endswith(("。", ":", "："))
            article = Article(number, rest if is_heading else "")
            if not is_heading:
                article.paragraphs.append(rest)
            result[-1].articles.append(article)
        elif line:
            result[-1].articles[-1].paragraphs.append(line)
    return result


def chapter(number: int) -> Chapter:
    for item in chapters():
        if item.number == number:
            return item
    raise LookupError(number)


def chapter_of(article: int) -> int:
    """The chapter an article stands in."""
    for item in chapters():
        if any(a.number == article for a in item.articles):
            return item.number
    raise LookupError(article)
