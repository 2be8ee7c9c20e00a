"""The many-streets grid's cells, rendered in Python: 25 streets × 30 rules are 750 cells a page, and the same
cell written in the template language (a `{% url %}`, the lookups, the escaping) cost ~0.1 s a page. The totals'
rows and the street rows around the cells likewise (~9 ms a page in the template language, ~2 ms here)."""

from functools import cache
from html import escape  # Django's escape is this one behind a lazy-string wrapper: 4,000 calls a page
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from committee.compliance.registry import Status

register = template.Library()

MARKS = {Status.MET: "√", Status.MISSED: "×", Status.AT_RISK: "!", Status.NOT_YET_DUE: "·"}


@cache
def _rule_bits(rule) -> tuple[str, str]:
    """A rule's id and label, escaped (rules live as long as the process)."""
    return escape(rule.id), escape(rule.label)


@cache
def _status_labels(language: str) -> dict[str, str]:
    """The statuses' labels, escaped, in the active language (`language` keys the cache)."""
    return {status: escape(str(status.label)) for status in Status}


@register.simple_tag
def street_marks(street_row, year, quarter):
    """A street row's cells: a mark per rule linking to its cell page, the status and summary as its title."""
    return mark_safe(_marks(street_row, f"?year={int(year)}&amp;quarter={int(quarter)}"))  # noqa: S308 - escaped


def _marks(street_row, period: str) -> str:
    prefix = reverse("compliance:cell", args=[street_row.street.pk, "RULE"]).removesuffix("RULE/")
    labels = _status_labels(get_language())
    cells = []
    for rule, result in street_row.cells:
        rule_id, label = _rule_bits(rule)
        status = labels[result.status]
        cells.append(
            f'<td class="status-{result.status} text-center p-0"><a class="d-block px-1 text-reset '
            f'text-decoration-none" href="{prefix}{rule_id}/{period}" title="{label} {status}：'
            f'{escape(result.summary)}" aria-label="{label} {status}">{MARKS[result.status]}</a></td>'
        )
    return "".join(cells)


@register.simple_tag
def street_rows_body(street_rows, rows, year, quarter):
    """The many-streets table's body: a row a street (a municipality's name above its first street), its counts of
    未达标 / 有风险 and its marks; a line saying so when no street is kept."""
    columns = len(rows) + 3
    if not street_rows:
        empty = escape(_("没有符合条件的街道。"))
        return mark_safe(f'<tr><td colspan="{columns}" class="text-muted">{empty}</td></tr>')  # noqa: S308 - escaped
    period = f"?year={int(year)}&amp;quarter={int(quarter)}"
    prefix = reverse("compliance:street", args=[0]).removesuffix("0/")
    html, municipality = [], None
    for street_row in street_rows:
        street = street_row.street
        if street.municipality_id != municipality:
            municipality = street.municipality_id
            html.append(
                f'<tr class="table-light"><th colspan="{columns}" scope="rowgroup">'
                f"{escape(street.municipality.name)}</th></tr>"
            )
        html.append(
            f'<tr><th scope="row" class="text-nowrap"><a href="{prefix}{int(street.pk)}/{period}">'
            f"{escape(street.name)}</a></th>"
            f'<td class="text-center street-missed">{street_row.missed}</td>'
            f'<td class="text-center street-at-risk">{street_row.at_risk}</td>{_marks(street_row, period)}</tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


@register.simple_tag
def totals_body(rows, year, quarter, municipality):
    """The per-article totals' rows: streets met / at risk / missed / not yet due, the shortfalls linking to the
    dashboard's streets in question."""
    base = reverse("compliance:dashboard")
    period = f"?year={int(year)}&amp;quarter={int(quarter)}&amp;municipality={escape(str(municipality))}"
    html = []
    for row in rows:
        totals = row.totals
        rule_id, label = _rule_bits(row.rule)
        link = f"{base}{period}&amp;rule={escape(quote(row.rule.id))}&amp;status="
        shortfalls = [
            f'<a href="{link}{status}">{totals[status]}</a>' if totals[status] else "0"
            for status in (Status.AT_RISK, Status.MISSED)
        ]
        html.append(
            f'<tr id="totals-{rule_id}"><th scope="row" class="text-nowrap">{label}</th>'
            f'<td class="small">{escape(str(row.rule.description))}<div class="text-muted">'
            f"{escape(str(row.window.label))}</div></td>"
            f'<td class="text-center">{totals[Status.MET]}</td><td class="text-center">{shortfalls[0]}</td>'
            f'<td class="text-center">{shortfalls[1]}</td><td class="text-center">{totals[Status.NOT_YET_DUE]}</td></tr>'
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


@register.simple_tag
def rule_headers(rows):
    """The many-streets table's header cells: a rule's id, its requirement as the title."""
    return mark_safe(  # noqa: S308 - escaped
        "".join(
            f'<th class="text-center small text-nowrap" title="{escape(str(row.rule.description))}">'
            f"{_rule_bits(row.rule)[0]}</th>"
            for row in rows
        )
    )
