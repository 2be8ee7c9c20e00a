"""The duty-source registry: what a person did, as recorded by the work itself (Art 4(3), 12(1), 15(3)).

An app declares the kinds of duty its records show in its own `duties.py` (autodiscovered, like `compliance.py`):

    from committee.duties.registry import DutyItem, DutyKind, register

    FIELD_VISIT = DutyKind("field_visit", _("参加视察调研"), "10")

    @register(FIELD_VISIT)
    def field_visits(people, streets, start, end):
        # A fixed number of queries for ALL the people (never one per person).
        for link in FieldVisit.participants.through.objects.filter(...).select_related(...):
            yield DutyItem(link.membership.user_id, visit.street_id, visit.starts_on, FIELD_VISIT.code,
                           str(visit), visit.get_absolute_url(), visit)

`people` and `streets` are collections of ids, `start` and `end` dates (inclusive). The source object is the row
that proves the duty (a meeting's participant row, the case, the visit): points link to it, and the pair
(person, source object) is what a database constraint keeps from counting twice. The core knows no chapter.
"""

import datetime
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class DutyKind:
    code: str
    label: str
    article: str  # where the rules ask for it: "11(4)"


@dataclass(frozen=True)
class DutyItem:
    person_id: int
    street_id: int
    date: datetime.date
    kind: str  # a DutyKind code
    label: str  # the record, as its own page names it
    url: str
    source: models.Model

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


Source = Callable[[Collection[int], Collection[int], datetime.date, datetime.date], Iterable[DutyItem]]
_kinds: dict[str, DutyKind] = {}
_sources: list[tuple[Source, tuple[DutyKind, ...]]] = []


def register(*kinds: DutyKind) -> Callable[[Source], Source]:
    """Register the decorated source as the one that yields these kinds."""

    def decorator(source: Source) -> Source:
        for kind in kinds:
            if kind.code in _kinds:
                raise ValueError(f"duty kind {kind.code} is registered twice")
            _kinds[kind.code] = kind
        _sources.append((source, kinds))
        return source

    return decorator


def kinds() -> dict[str, DutyKind]:
    return dict(_kinds)


def kind(code: str) -> DutyKind | None:
    return _kinds.get(code)


def kind_label(code: str) -> str:
    found = _kinds.get(code)
    return str(found.label) if found else code


def items(
    *,
    people: Iterable[int],
    streets: Iterable[int],
    start: datetime.date,
    end: datetime.date,
    only: Iterable[str] | None = None,
) -> list[DutyItem]:
    """Every duty item of these people in these streets between start and end (inclusive), by date.
    Costs what the sources cost (a fixed number of queries each), whatever the number of people. `only`: these
    kinds' codes (only their sources are asked)."""
    people, streets = frozenset(people), frozenset(streets)
    if not people or not streets:
        return []
    wanted = None if only is None else set(only)
    found = [
        item
        for source, kinds in _sources
        if wanted is None or any(k.code in wanted for k in kinds)
        for item in source(people, streets, start, end)
        if wanted is None or item.kind in wanted
    ]
    return sorted(found, key=lambda item: (item.date, item.kind, item.label, item.source.pk))
