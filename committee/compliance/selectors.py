"""The dashboard's reads: every rule evaluated once for all streets, so the query count depends on the number
of rules (a small constant each), never on the number of streets or records."""

import datetime
from dataclasses import dataclass

from committee.compliance import registry
from committee.compliance.registry import Result, Rule, Status, Window
from committee.models import Street


@dataclass
class Row:
    rule: Rule
    window: Window
    cells: list[tuple[Street, Result]]  # in the order of the streets


def grid(streets, year: int, quarter: int, today: datetime.date) -> list[Row]:
    rows = []
    for rule in registry.rules():
        window = registry.window(rule.period, year, quarter)
        results = rule.evaluate(streets, window, today)
        rows.append(Row(rule, window, [(street, results[street.pk]) for street in streets]))
    return rows


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def trend(streets, year: int, today: datetime.date) -> dict:
    """Per quarter of the year, the number of rules met in each street (for the trend chart)."""
    series = {street.pk: [] for street in streets}
    for quarter in range(1, 5):
        met = dict.fromkeys(series, 0)
        for row in grid(streets, year, quarter, today):
            for street, result in row.cells:
                met[street.pk] += result.status == Status.MET
        for street_id, count in met.items():
            series[street_id].append(count)
    return {
        "quarters": [f"{year}Q{q}" for q in range(1, 5)],
        "series": [{"name": street.name, "data": series[street.pk]} for street in streets],
    }
