"""The many-streets grid's cells, rendered in Python: 25 streets × 30 rules are 750 cells a page, and the same
cell written in the template language (a `{% url %}`, the lookups, the escaping) cost ~0.1 s a page."""

from functools import cache
from html import escape  # Django's escape is this one behind a lazy-string wrapper: 4,000 calls a page

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from committee.compliance.registry import Status

register = template.Library()

MARKS = {Status.MET: "√", Status.MISSED: "×", Status.AT_RISK: "!", Status.NOT_YET_DUE: "·"}


@cache
def _rule_bits(rule) -> tuple[str, str]:
    """A rule's id and label, escaped (rules live as long as the process)."""
    return escape(rule.id), escape(rule.label)


@register.simple_tag
def street_marks(street_row, year, quarter):
    """A street row's cells: a mark per rule linking to its cell page, the status and summary as its title."""
    prefix = reverse("compliance:cell", args=[street_row.street.pk, "RULE"]).removesuffix("RULE/")
    period = f"?year={int(year)}&amp;quarter={int(quarter)}"
    labels = {status: escape(str(status.label)) for status in Status}
    cells = []
    for rule, result in street_row.cells:
        rule_id, label = _rule_bits(rule)
        status = labels[result.status]
        cells.append(
            f'<td class="status-{result.status} text-center p-0"><a class="d-block px-1 text-reset '
            f'text-decoration-none" href="{prefix}{rule_id}/{period}" title="{label} {status}：'
            f'{escape(result.summary)}" aria-label="{label} {status}">{MARKS[result.status]}</a></td>'
        )
    return mark_safe("".join(cells))  # noqa: S308 - every value above is escaped
