"""The compliance registry: every article that asks for something by a deadline or a number of times is a rule.

A rule has two parts, declared in the app's own `compliance.py` (found by autodiscovery, like `admin.py`):

    from committee.compliance.registry import Evidence, Period, Result, count_by_street, count_status, register

    @register(id="8(1)", description=_("每年至少听取1次专项工作报告"), period=Period.YEAR)
    def special_work_report_each_year(streets, window, today):
        # The summary, for the grid: counts in SQL for ALL streets at once (a fixed number of queries, no model
        # instance per record, no links). Returns a Result for every street.
        held = count_by_street(SpecialWorkReport.objects.filter(street__in=streets, heard_on__range=window.range))
        return {
            street.pk: Result(count_status(held[street.pk], 1, window, today), _("已听取 %(n)d 次") % {"n": held[street.pk]})
            for street in streets
        }

    @special_work_report_each_year.evidence
    def special_work_report_each_year_evidence(street, window, today):
        # The records behind one street's cell, for the cell page only.
        reports = SpecialWorkReport.objects.filter(street=street, heard_on__range=window.range)
        return [Evidence(str(r), r.get_absolute_url(), r.heard_on) for r in reports]

`streets` is a list of Street, `window` the Window the rule is judged over (the quarter, half-year, year or term
that contains the period chosen on the dashboard), `today` the date the judgement is made on. A rule without an
`evidence` part shows no records on its cell page.
"""

import datetime
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import Count
from django.urls import reverse
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

    @property
    def range(self) -> tuple[datetime.date, datetime.date]:
        """For `field__range=window.range`."""
        return self.start, self.end


@dataclass(frozen=True)
class Evidence:
    label: str
    url: str
    day: datetime.date | None = None


class Result(NamedTuple):  # a tuple: the grid makes one per street and rule, 7,500 for 500 streets
    status: Status
    summary: str


Evaluator = Callable[[list, Window, datetime.date], dict[int, Result]]
EvidenceLister = Callable[[object, Window, datetime.date], list[Evidence]]


def _no_evidence(street, window: Window, today: datetime.date) -> list[Evidence]:
    return []


@dataclass(eq=False)
class Rule:
    id: str  # the article and paragraph, "5(1)"
    description: str
    period: Period
    evaluate: Evaluator  # the summary for many streets (the grid)
    list_evidence: EvidenceLister = _no_evidence  # the records behind one street's cell (the cell page)

    def evidence(self, lister: EvidenceLister) -> EvidenceLister:
        """Decorator: `@my_rule.evidence` declares the rule's evidence part."""
        self.list_evidence = lister
        return lister

    @cached_property
    def sort_key(self) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", self.id))

    @property
    def article(self) -> int:
        return self.sort_key[0]

    @property
    def rules_url(self) -> str:
        """The rule's own article in the working rules' text."""
        from committee.rules import chapter_of

        return reverse("committee:chapter_detail", args=[chapter_of(self.article)]) + f"#article-{self.article}"

    @cached_property
    def label(self) -> str:
        """How the rules cite it: 第5条（一）."""
        article, *paragraph = self.sort_key
        return f"第{article}条" + "".join(f"（{_PARAGRAPHS[p]}）" for p in paragraph)


_PARAGRAPHS = dict(enumerate("一二三四五六七八九十", start=1))
_rules: dict[str, Rule] = {}


def register(*, id: str, description: str, period: Period) -> Callable[[Evaluator], Rule]:
    """Decorator of a rule's summary evaluator; gives the Rule, whose `.evidence` decorates the evidence part."""

    def decorator(evaluate: Evaluator) -> Rule:
        if id in _rules:
            raise ValueError(f"compliance rule {id} is registered twice")
        _rules[id] = Rule(id=id, description=description, period=period, evaluate=evaluate)
        return _rules[id]

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


def count_by_street(queryset) -> defaultdict[int, int]:
    """The number of rows per street, counted in SQL: `{street_id: n}`, 0 for a street without any."""
    rows = queryset.order_by().values("street_id").annotate(n=Count("pk")).values_list("street_id", "n")
    return defaultdict(int, rows)


def counts_by_street(queryset, **aggregates):
    """Several conditional counts per street in one query, `counts_by_street(qs, total=Count("pk"),
    held=Count("pk", filter=Q(...)))`; gives `counts(street) -> {"total": n, "held": m}`, zeros for a street
    without rows."""
    found = {row.pop("street_id"): row for row in queryset.order_by().values("street_id").annotate(**aggregates)}
    return lambda street: found.get(street.pk) or dict.fromkeys(aggregates, 0)
