"""Reads shared by the pages, the home section, compliance and the demo. Query counts do not grow with records
or people."""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db.models import Sum

from committee.duties import registry
from deputies.records.models import Grade, PointEntry, Quarter, QuarterScore, quarter_end
from deputies.records.points import Line, Rules, rules_for, score


def quarter_window(year: int, number: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 3 * number - 2, 1), quarter_end(year, number)


def earlier_points(street, people, year: int, before_quarter: int) -> dict[tuple[int, str], Decimal]:
    """(person, kind) → points already published in this year's earlier quarters (one query)."""
    rows = (
        PointEntry.objects.filter(
            street=street,
            person_id__in=people,
            quarter__year=year,
            quarter__number__lt=before_quarter,
            struck_by__isnull=True,
        )
        .values("person_id", "kind")
        .annotate(total=Sum("points"))
    )
    return {(row["person_id"], row["kind"]): row["total"] for row in rows}


def live_lines(street, people, year: int, number: int, rules: Rules | None = None) -> list[Line]:
    """What a quarter's lines are from the records as they are now (not published)."""
    start, end = quarter_window(year, number)
    items = registry.items(people=people, streets=[street.pk], start=start, end=end)
    rules = rules or rules_for(street, year)
    return score(items, rules, earlier_points(street, people, year, number))


def published_year_total(street, person_id: int, year: int) -> Decimal | None:
    """The latest published year total of a person (one query)."""
    row = (
        QuarterScore.objects.filter(street=street, person_id=person_id, quarter__year=year)
        .order_by("-quarter__number")
        .values("year_total")
        .first()
    )
    return row["year_total"] if row else None


def distribution(quarter: Quarter) -> list[tuple[str, int]]:
    """How many deputies of the street are in each grade (no names, no ranking): one query."""
    counts = Counter(quarter.scores.values_list("grade", flat=True))
    return [(label, counts.get(value, 0)) for value, label in Grade.choices]


def archive_items(street, person_id: int, year: int):
    """Every duty record of a person in a year with the points each earned where a quarter was published:
    (item, entry or None) pairs (the sources' queries plus one)."""
    items = registry.items(
        people=[person_id], streets=[street.pk], start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )
    entries = {
        (entry.source_type_id, entry.source_id): entry
        for entry in PointEntry.objects.filter(street=street, person_id=person_id, quarter__year=year)
    }
    types = ContentType.objects.get_for_models(*{type(item.source) for item in items})
    return [(item, entries.get((types[type(item.source)].pk, item.source.pk))) for item in items]


def kind_counts(items) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[item.kind] += 1
    return counts
