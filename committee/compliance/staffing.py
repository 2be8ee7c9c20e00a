"""Art 21(1): the committee's own staffing rule (the committee app registers its rules here, since
`committee.compliance` is this registry's package)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, register
from committee.selectors import staffing_by_street


@register(
    id="21(1)",
    description=gettext_lazy("工委配备主任1名、专职副主任1名、至少1名专职人大工作干事"),
    period=Period.QUARTER,
)
def staffing(streets, window, today):
    """Judged on the last day of the quarter (or today, inside it): staffing is a standing condition."""
    if today < window.start:
        return {street.pk: Result(Status.NOT_YET_DUE, _("未到期")) for street in streets}
    staffing = staffing_by_street(streets, on=min(today, window.end))
    results = {}
    for street in streets:
        s = staffing[street.pk]
        summary = _("主任 %(d)d · 专职副主任 %(v)d · 专职干事 %(s)d") % {
            "d": s.directors,
            "v": s.vice_directors,
            "s": s.staff,
        }
        results[street.pk] = Result(Status.MET if s.meets_article_21 else Status.MISSED, summary)
    return results


@staffing.evidence
def staffing_evidence(street, window, today):
    return [Evidence(_("工委组成人员"), reverse("committee:street_detail", args=[street.pk]))]
