"""Points from duty records (Art 12(1)): the rule table with its defaults, and the one computation that turns a
person's duty items into point lines. Nothing here writes."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings

from committee.duties.registry import DutyItem
from deputies.records.models import Grade, PointScheme

# DOMAIN.md "Deputies": base points plus items (suggestion 3, field visit 3, reception 5, a practical deed, reporting
# to constituents…), deductions for absence without leave. kind → (points, yearly cap or None). A registered kind
# missing here earns 0 until the director sets it (tests/test_duties.py keeps every registered kind listed).
DEFAULT_BASE = Decimal(60)
DEFAULT_RULES: dict[str, tuple[Decimal, Decimal | None]] = {
    "meeting_attended": (Decimal(2), None),
    "meeting_absent_with_leave": (Decimal(0), None),
    "meeting_absent": (Decimal(-1), None),
    "opinion_raised": (Decimal(3), Decimal(30)),
    "field_visit": (Decimal(3), None),
    "inspection": (Decimal(3), None),
    "appraisal": (Decimal(2), None),
    "ballot_voted": (Decimal(1), None),
    "reception": (Decimal(5), None),
    "deed": (Decimal(5), Decimal(20)),
    "legislation": (Decimal(3), None),
    "legal_publicity": (Decimal(3), None),
    "congress_publicity": (Decimal(3), None),
    "five_visits": (Decimal(2), Decimal(10)),
    "deputy_plus": (Decimal(2), Decimal(10)),
    "attend_meeting": (Decimal(2), None),
    "consultation": (Decimal(2), None),
    "measure_opinion": (Decimal(2), None),
    "livelihood_check": (Decimal(3), None),
    # Art 12(2): a report to constituents, at least once a term, before 40–50 or more voter representatives.
    "constituent_report": (Decimal(5), None),
    # Art 4(6), 19(1): a report of 社情民意 to the 12345 hotline; capped like cases, so padding earns nothing.
    "hotline_reported": (Decimal(2), Decimal(20)),
}


@dataclass(frozen=True)
class Rules:
    year: int
    base: Decimal
    table: dict[str, tuple[Decimal, Decimal | None]]
    scheme: PointScheme | None = None  # None: the defaults

    def points(self, kind: str) -> Decimal:
        return self.table.get(kind, (Decimal(0), None))[0]


def rules_for(street, year: int) -> Rules:
    """The street's rules for the year (two queries), or the defaults where the director set none."""
    scheme = PointScheme.objects.filter(street=street, year=year).first()
    if scheme is None:
        return Rules(year, DEFAULT_BASE, dict(DEFAULT_RULES))
    table = dict(DEFAULT_RULES)
    table.update({rule.kind: (rule.points, rule.cap) for rule in scheme.rules.all()})
    return Rules(year, scheme.base_points, table, scheme)


@dataclass
class Line:
    item: DutyItem
    points: Decimal
    capped: bool = False


def score(items: list[DutyItem], rules: Rules, earlier: dict[tuple[int, str], Decimal] | None = None) -> list[Line]:
    """Point lines for duty items in date order. `earlier`: (person, kind) → points already earned this year
    (earlier quarters), so a yearly cap holds across quarters. A line over the cap earns what is left of it."""
    running: dict[tuple[int, str], Decimal] = defaultdict(Decimal, earlier or {})
    lines = []
    for item in items:
        points, cap = rules.table.get(item.kind, (Decimal(0), None))
        key = (item.person_id, item.kind)
        capped = False
        if cap is not None and points > 0 and running[key] + points > cap:
            points, capped = max(Decimal(0), cap - running[key]), True
        running[key] += points
        lines.append(Line(item, points, capped))
    return lines


def grade(total: Decimal) -> str:
    if total >= settings.DUTY_GRADE_GOOD:
        return Grade.GOOD
    if total >= settings.DUTY_GRADE_FAIR:
        return Grade.FAIR
    return Grade.POOR


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1
