"""The dashboard's reads: every rule's summary for all streets, counted in SQL and cached (`cache.py`), so the
query count depends on the number of rules (a small constant each), never on the number of streets or records;
the evidence of one cell is read on the cell page only.

The cached value is the grid in brief (`_compute`): per street one status code a rule (a short string), its
summaries joined in one string, and per rule the totals. A page over many streets (`overview`) filters, sorts and
counts those strings and splits the summaries of the rows it shows only; `evaluate` and `grid` build every
`Result` (the street page, the exports, the columns of a few streets)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property

from committee.compliance import cache, registry
from committee.compliance.registry import Result, Rule, Status, Window
from committee.models import Street

# Up to this many streets, streets are the grid's columns; beyond, they are rows grouped by municipality.
COLUMNS_UP_TO = 6
SHORTFALLS = (Status.MISSED, Status.AT_RISK)
# One character a status in the cached codes (a street's statuses in the order of the rules), and back.
CODE = {Status.MET: "+", Status.AT_RISK: "!", Status.MISSED: "x", Status.NOT_YET_DUE: "."}
STATUS_OF = {code: status for status, code in CODE.items()}
SEPARATOR = "\x1f"  # between a street's summaries in the cached string (no summary holds it)
FORMAT = "2"  # of the cached value: part of its key, so an entry of another format is never read


@dataclass
class Row:
    """One rule over the streets: the column layout's row, and the per-article totals."""

    rule: Rule
    window: Window
    cells: list[tuple[Street, Result]]  # in the order of the streets; empty on a page of many streets
    counted: dict[str, int] | None = None  # the totals, when known without the cells (from the cache)

    def count(self, status: Status) -> int:
        return self.totals[status]

    @cached_property
    def totals(self) -> dict[str, int]:
        if self.counted is not None:
            return self.counted
        counted = Counter(result.status for _street, result in self.cells)
        return {status: counted[status] for status in Status.values}


@dataclass
class StreetRow:
    """One street over the rules: the many-streets layout's row. `codes` holds its statuses (one `CODE` a rule):
    what the counts, filters and sort read; `cells` the rules' results, filled for the rows shown only."""

    street: Street
    cells: list[tuple[Rule, Result]]  # in the order of the rules
    codes: str = field(default="", compare=False)

    def __post_init__(self):
        if self.cells and not self.codes:
            self.codes = "".join(CODE[result.status] for _rule, result in self.cells)

    def count(self, status: Status) -> int:
        return self.codes.count(CODE[status])

    @cached_property
    def missed(self) -> int:
        return self.codes.count(CODE[Status.MISSED])

    @cached_property
    def at_risk(self) -> int:
        return self.codes.count(CODE[Status.AT_RISK])


def _key(year: int, quarter: int, today: datetime.date) -> str:
    """The period, the day of judgement, the format and the rules (a rule added or removed is another grid)."""
    return f"{year}Q{quarter}@{today}#{FORMAT}#{','.join(rule.id for rule in registry.rules())}"


def _compute(streets, year: int, quarter: int, today: datetime.date) -> dict:
    """Every rule over the streets, in brief. Plain strings only: 500 streets × 30 rules of `Result`s and enums
    unpickle ~30× slower, a lazy translation (a constant summary) unpickles by building a class (~0.3 ms each), and
    a tuple a cell costs ~20 ms a page to unpickle where a string a street costs ~1 ms."""
    rules = registry.rules()
    # Rules are given Street instances (a page over many streets holds `permissions.StreetRef`s).
    streets = [street if isinstance(street, Street) else street.instance() for street in streets]
    results = [rule.evaluate(streets, registry.window(rule.period, year, quarter), today) for rule in rules]
    codes, summaries = {}, {}
    for street in streets:
        cells = [by_street[street.pk] for by_street in results]
        codes[street.pk] = "".join(CODE[result.status] for result in cells)
        summaries[street.pk] = SEPARATOR.join(str(result.summary) for result in cells)
    totals = _totals(rules, codes.values())
    return {"rules": [rule.id for rule in rules], "codes": codes, "summaries": summaries, "totals": totals}


def _totals(rules: list[Rule], codes) -> dict[str, dict[str, int]]:
    """Per rule, the number of streets in each status, from the streets' codes."""
    codes = list(codes)
    totals = {}
    for i, rule in enumerate(rules):
        counted = Counter(code[i] for code in codes)
        totals[rule.id] = {status.value: counted[code] for status, code in CODE.items()}
    return totals


def _cached(streets, year: int, quarter: int, today: datetime.date) -> dict:
    return cache.get_or_compute(
        [street.pk for street in streets], _key(year, quarter, today), lambda: _compute(streets, year, quarter, today)
    )


def _cells(rules: list[Rule], codes: str, summaries: str) -> list[tuple[Rule, Result]]:
    return list(zip(rules, map(Result, map(STATUS_OF.__getitem__, codes), summaries.split(SEPARATOR)), strict=True))


def evaluate(streets, year: int, quarter: int, today: datetime.date) -> dict[str, dict[int, Result]]:
    """`{rule_id: {street_id: Result}}` for the quarter, from the cache when no street changed since."""
    cached = _cached(streets, year, quarter, today)
    results = {rule_id: {} for rule_id in cached["rules"]}
    for pk, codes in cached["codes"].items():
        for rule_id, code, summary in zip(
            cached["rules"], codes, cached["summaries"][pk].split(SEPARATOR), strict=True
        ):
            results[rule_id][pk] = Result(STATUS_OF[code], summary)
    return results


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
    return _arrange(street_rows(rows), [row.rule.id for row in rows], status=status, rule_id=rule_id, sort=sort)


def _arrange(street_rows: list[StreetRow], rule_ids: list[str], *, status: str, rule_id: str, sort: str):
    """`arrange` on the rows' codes: a character a rule, so that filtering 500 streets is a few string scans."""
    index = rule_ids.index(rule_id) if rule_id in rule_ids else None
    shortfall_codes = [CODE[s] for s in SHORTFALLS]

    def keeps(street_row: StreetRow) -> bool:
        codes = street_row.codes if index is None else street_row.codes[index]
        if status == "met":
            return not any(code in codes for code in shortfall_codes)
        return not status or CODE[status] in codes

    kept = [row for row in street_rows if keeps(row)] if status else list(street_rows)
    if sort == "shortfalls":
        kept.sort(key=lambda row: (row.street.municipality.name, *shortfalls(row)))
    return kept


class Overview:
    """The grid over many streets, from the cache, without a `Result` a cell: the per-rule totals (`rows`), the
    street rows filtered and sorted on their codes (`arrange`) and the cells of the rows a page shows (`fill`).
    The cache holds the grid of all `streets`; `within` (the municipality chosen) narrows the rows and totals, so
    a filter reads the same cached grid."""

    def __init__(self, streets, year: int, quarter: int, today: datetime.date, within=None):
        self.rules = registry.rules()
        self._cached = _cached(streets, year, quarter, today)
        self.streets = streets if within is None else within
        if within is None:
            totals = self._cached["totals"]
        else:
            totals = _totals(self.rules, (self._cached["codes"][street.pk] for street in within))
        self.rows = [Row(rule, registry.window(rule.period, year, quarter), [], totals[rule.id]) for rule in self.rules]

    def street_rows(self) -> list[StreetRow]:
        codes = self._cached["codes"]
        return [StreetRow(street, [], codes[street.pk]) for street in self.streets]

    def arrange(self, *, status: str = "", rule_id: str = "", sort: str = "street") -> list[StreetRow]:
        """As `arrange`, without their cells (`fill` the ones shown)."""
        rule_ids = [rule.id for rule in self.rules]
        return _arrange(self.street_rows(), rule_ids, status=status, rule_id=rule_id, sort=sort)

    def fill(self, street_rows) -> list[StreetRow]:
        """Give these rows their cells (the marks and summaries the page shows)."""
        summaries = self._cached["summaries"]
        for row in street_rows:
            row.cells = _cells(self.rules, row.codes, summaries[row.street.pk])
        return street_rows


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
