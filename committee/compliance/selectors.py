"""The dashboard's reads: every rule's summary for all streets, counted in SQL and cached (`cache.py`), so the
query count depends on the number of rules (a small constant each), never on the number of streets or records;
the evidence of one cell is read on the cell page only."""

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from committee.compliance import cache, registry
from committee.compliance.registry import Result, Rule, Status, Window
from committee.models import Street

# Up to this many streets, streets are the grid's columns; beyond, they are rows grouped by municipality.
COLUMNS_UP_TO = 6
SHORTFALLS = (Status.MISSED, Status.AT_RISK)


@dataclass
class Row:
    """One rule over the streets: the column layout's row, and the per-article totals."""

    rule: Rule
    window: Window
    cells: list[tuple[Street, Result]]  # in the order of the streets

    def count(self, status: Status) -> int:
        return self.totals[status]

    @cached_property
    def totals(self) -> dict[str, int]:
        counted = Counter(result.status for _street, result in self.cells)
        return {status: counted[status] for status in Status.values}


@dataclass
class StreetRow:
    """One street over the rules: the many-streets layout's row."""

    street: Street
    cells: list[tuple[Rule, Result]]  # in the order of the rules

    def count(self, status: Status) -> int:
        return sum(result.status == status for _rule, result in self.cells)

    @property
    def missed(self) -> int:
        return self.count(Status.MISSED)

    @property
    def at_risk(self) -> int:
        return self.count(Status.AT_RISK)


def evaluate(streets, year: int, quarter: int, today: datetime.date) -> dict[str, dict[int, Result]]:
    """`{rule_id: {street_id: Result}}` for the quarter, from the cache when no street changed since."""

    def compute():
        # Plain tuples of strings: 500 streets × 15 rules of Result dataclasses and enums unpickle ~30× slower, and
        # a lazy translation (a constant summary) unpickles by building a class: ~0.3 ms each, 0.15 s a grid.
        return {
            rule.id: {
                pk: (result.status.value, str(result.summary))
                for pk, result in rule.evaluate(streets, registry.window(rule.period, year, quarter), today).items()
            }
            for rule in registry.rules()
        }

    cached = cache.get_or_compute([street.pk for street in streets], f"{year}Q{quarter}@{today}", compute)
    statuses = {status.value: status for status in Status}
    return {
        rule_id: {pk: Result(statuses[status], summary) for pk, (status, summary) in results.items()}
        for rule_id, results in cached.items()
    }


def grid(streets, year: int, quarter: int, today: datetime.date) -> list[Row]:
    results = evaluate(streets, year, quarter, today)
    return [
        Row(rule, registry.window(rule.period, year, quarter), [(s, results[rule.id][s.pk]) for s in streets])
        for rule in registry.rules()
    ]


def street_rows(rows: list[Row]) -> list[StreetRow]:
    """The grid turned around: one row per street, in the order of the grid's streets."""
    if not rows:
        return []
    streets = [street for street, _result in rows[0].cells]
    return [StreetRow(street, [(row.rule, row.cells[i][1]) for row in rows]) for i, street in enumerate(streets)]


def shortfalls(street_row: StreetRow) -> tuple:
    """Sort key: most 未达标 first, then most 有风险, then by name."""
    return (-street_row.missed, -street_row.at_risk, street_row.street.name)


def arrange(rows: list[Row], *, status: str = "", rule_id: str = "", sort: str = "street") -> list[StreetRow]:
    """The street rows the dashboard shows: kept by status ("missed" / "at_risk": at least one such rule, or the
    chosen rule so; "met": none missed or at risk), in the streets' order (grouped by municipality) or, with
    sort="shortfalls", by shortfalls inside each municipality."""

    def keeps(street_row: StreetRow) -> bool:
        results = [result for rule, result in street_row.cells if not rule_id or rule.id == rule_id]
        if status == "met":
            return not any(result.status in SHORTFALLS for result in results)
        return not status or any(result.status == status for result in results)

    kept = [row for row in street_rows(rows) if keeps(row)]
    if sort == "shortfalls":
        kept.sort(key=lambda row: (row.street.municipality.name, *shortfalls(row)))
    return kept


def as_columns(streets) -> bool:
    """A handful of streets of one municipality reads best as columns."""
    return len(streets) <= COLUMNS_UP_TO and len({street.municipality_id for street in streets}) <= 1


def columns_of(rows: list[Row], kept: list[StreetRow]) -> tuple[list[Street], list[Row]]:
    """The column layout of the kept street rows: their streets, and the rows' cells in that order."""
    order = {row.street.pk: i for i, row in enumerate(kept)}
    return [row.street for row in kept], [
        Row(row.rule, row.window, sorted((c for c in row.cells if c[0].pk in order), key=lambda c: order[c[0].pk]))
        for row in rows
    ]


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def trend(streets, year: int, today: datetime.date) -> dict:
    """Per quarter of the year, the number of rules met in each street (for the trend chart)."""
    series = {street.pk: [] for street in streets}
    for quarter in range(1, 5):
        met = dict.fromkeys(series, 0)
        for results in evaluate(streets, year, quarter, today).values():
            for street_id, result in results.items():
                met[street_id] += result.status == Status.MET
        for street_id, count in met.items():
            series[street_id].append(count)
    return {
        "quarters": [f"{year}Q{q}" for q in range(1, 5)],
        "series": [{"name": street.name, "data": series[street.pk]} for street in streets],
    }
