"""Rule of Art 12(2): every deputy in office has reported to their constituents at least once this term; at risk
in the term's last year (the summary: one query for all streets; the evidence: the deputies who have not)."""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from committee.compliance.registry import Evidence, Period, Result, Status, register
from deputies.models import Deputy
from deputies.reports.models import ConstituentReport


def _on(window, today) -> datetime.date:
    """The day whose roster the rule judges: today inside the term, its last day after it."""
    return min(max(today, window.start), window.end)


def _deputies(streets, window, today):
    reported = ConstituentReport.objects.filter(deputy=OuterRef("pk"), date__range=window.range)
    return (
        Deputy.objects.in_office(on=_on(window, today)).filter(street__in=streets).annotate(reported=Exists(reported))
    )


def _status(short: int, window, today) -> Status:
    if not short:
        return Status.MET
    if today > window.end:
        return Status.MISSED
    if today > window.end - datetime.timedelta(days=365):
        return Status.AT_RISK
    return Status.NOT_YET_DUE


@register(id="12(2)", description=_("代表每届至少向原选区选民报告履职情况1次"), period=Period.TERM)
def constituent_report_each_term(streets, window, today):
    counts = defaultdict(lambda: [0, 0])  # street id → [deputies, reported]
    for street_id, reported in _deputies(streets, window, today).values_list("street_id", "reported"):
        counts[street_id][0] += 1
        counts[street_id][1] += reported
    results = {}
    for street in streets:
        total, done = counts[street.pk]
        status = _status(total - done, window, today) if total else Status.NOT_YET_DUE
        results[street.pk] = Result(status, _("%(done)d/%(all)d名代表已报告") % {"done": done, "all": total})
    return results


@constituent_report_each_term.evidence
def constituent_report_each_term_evidence(street, window, today):
    deputies = _deputies([street], window, today).select_related("user").order_by("reported", "user__full_name")
    return [
        Evidence(
            (_("%(name)s：已报告") if d.reported else _("%(name)s：本届尚未报告")) % {"name": d},
            d.get_absolute_url(),
        )
        for d in deputies
    ]
