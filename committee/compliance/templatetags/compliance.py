"""The many-streets grid's cells, rendered in Python: 25 streets × 30 rules are 750 cells a page, and the same
cell written in the template language (a `{% url %}`, the lookups, the escaping) cost ~0.1 s a page."""

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from committee.compliance.registry import Status

register = template.Library()

MARKS = {Status.MET: "√", Status.MISSED: "×", Status.AT_RISK: "!", Status.NOT_YET_DUE: "·"}


@register.simple_tag
def street_marks(street_row, year, quarter):
    """A street row's cells: a mark per rule linking to its cell page, the status and summary as its title."""
    prefix = reverse("compliance:cell", args=[street_row.street.pk, "RULE"]).removesuffix("RULE/")
    period = f"?year={year}&amp;quarter={quarter}"
    labels = {status: escape(status.label) for status in Status}
    return mark_safe(  # noqa: S308 - every value below is escaped
        "".join(
            f'<td class="status-{result.status} text-center p-0"><a class="d-block px-1 text-reset '
            f'text-decoration-none" href="{prefix}{escape(rule.id)}/{period}" title="{escape(rule.label)} '
            f'{labels[result.status]}：{escape(result.summary)}" aria-label="{escape(rule.label)} '
            f'{labels[result.status]}">{MARKS[result.status]}</a></td>'
            for rule, result in street_row.cells
        )
    )
