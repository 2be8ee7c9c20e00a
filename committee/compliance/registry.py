"""The compliance registry: every article that asks for something by a deadline or a number of times is a rule.

An app declares its rules in its own `compliance.py` (found by autodiscovery, like `admin.py`):

    from committee.compliance.registry import Period, Result, Status, Evidence, count_status, register

    @register(id="7(1)", description=_("每年至少组织1次执法检查，检查前组织代表学习"), period=Period.YEAR)
    def inspections_each_year(streets, window, today):
        # One or two queries for ALL streets (never one per street): the dashboard's query count must not
        # grow with streets or records.
        done = {...street_id: [records]...}
        return {
            street.pk: Result(
                count_status(len(done[street.pk]), 1, window, today),
                _("已开展 %(n)d 次") % {"n": len(done[street.pk])},
                [Evidence(str(r), r.get_absolute_url(), r.date) for r in done[street.pk]],
            )
            for street in streets
        }

`streets` is a list of Street, `window` the Window the rule is judged over (the quarter, half-year, year or term
that contains the period chosen on the dashboard), `today` the date the judgement is made on.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Period(models.TextChoices):
    QUARTER = "quarter", _("每季度")
    HALF_YEAR = "half_year", _("每半年")
    YEAR = "year", _("每年")
    TERM = "term", _("每届")


class Status(models.TextChoices):
    MET = "met", _("达标")
    AT_RISK = "at_risk", _("有风险")
    MISSED = "missed", _("未达标")
    NOT_YET_DUE = "not_yet_due", _("未到期")


@dataclass(frozen=True)
class Window:
    start: datetime.date
    end: datetime.date  # inclusive
    label: str

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str
    day: datetime.date | None = None


@dataclass(frozen=True)
class Result:
    status: Status
    summary: str
    evidence: list[Evidence] = field(default_factory=list)


Evaluator = Callable[[list, Window, datetime.date], dict[int, Result]]


@dataclass(frozen=True)
class Rule:
    id: str  # the article and paragraph, "5(1)"
    description: str
    period: Period
    evaluate: Evaluator

    @property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", self.id))

    @property
    def article(self) -> int:
        return self.sort_key[0]

    @property
    def label(self) -> str:
        """How the rules cite it: 第5条（一）."""
        article, *paragraph = self.sort_key
        return f"第{article}条" + "".join(f"（{_PARAGRAPHS[p]}）" for p in paragraph)


_PARAGRAPHS = dict(enumerate("一二三四五六七八九十", start=1))
_rules: dict[str, Rule] = {}


def register(*, id: str, description: str, period: Period) -> Callable[[Evaluator], Evaluator]:
    def decorator(evaluate: Evaluator) -> Evaluator:
        if id in _rules:
            raise ValueError(f"compliance rule {id} is registered twice")
        _rules[id] = Rule(id=id, description=description, period=period, evaluate=evaluate)
        return evaluate

    return decorator


def rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda rule: rule.sort_key)


def rule(rule_id: str) -> Rule:
    return _rules[rule_id]


def window(period: Period, year: int, quarter: int) -> Window:
    """The window of this period type that contains the given quarter of the year."""
    if period == Period.QUARTER:
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - datetime.timedelta(days=1)
        return Window(start, end, _("%(y)d年第%(q)d季度") % {"y": year, "q": quarter})
    if period == Period.HALF_YEAR:
        first = quarter <= 2
        start = datetime.date(year, 1 if first else 7, 1)
        end = datetime.date(year, 6, 30) if first else datetime.date(year, 12, 31)
        return Window(start, end, _("%(y)d年%(h)s") % {"y": year, "h": _("上半年") if first else _("下半年")})
    if period == Period.YEAR:
        return Window(datetime.date(year, 1, 1), datetime.date(year, 12, 31), _("%(y)d年") % {"y": year})
    start, end = settings.CONGRESS_TERM
    return Window(start, end, _("本届（%(a)d—%(b)d年）") % {"a": start.year, "b": end.year})


def count_status(count: int, required: int, window: Window, today: datetime.date) -> Status:
    """The usual judgement of "at least `required` in the window": met once reached; missed when the window has
    closed short; before the window, not yet due; inside it, not yet due while more than a quarter of it remains,
    at risk in its last quarter."""
    if count >= required:
        return Status.MET
    if today > window.end:
        return Status.MISSED
    remaining = (window.end - today).days
    if today < window.start or remaining > (window.end - window.start).days / 4:
        return Status.NOT_YET_DUE
    return Status.AT_RISK
