"""Art 18(1): residents' council members are selected through the committee's first review and a public notice
(公示) before appointment. Art 4(7) names training among the committee's duties but sets no number, so it has no rule
here (DOMAIN.md gives none either); the trainings show on the council's page."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, register
from committee.models import Membership
from committee.roles import Role


@register(id="18(1)", description=gettext_lazy("居民议事会成员经初审、公示后聘任"), period=Period.YEAR)
def members_selected_through_review_and_notice(streets, window, today):
    """Every council member serving in the window holds a term that went through review and notice; the evidence
    names those without (a role given on the people page, outside the way in). One query for all streets."""
    day = min(today, window.end)
    serving = (
        Membership.objects.active(day)
        .filter(street__in=streets, role=Role.COUNCIL_MEMBER)
        .filter(council_term__isnull=True)  # an appointed term has its review and notice (database checks)
        .select_related("user")
        .order_by("street", "user__full_name")
    )
    without: dict[int, list[Membership]] = {}
    for membership in serving:
        without.setdefault(membership.street_id, []).append(membership)
    results = {}
    for street in streets:
        missing = without.get(street.pk, [])
        if missing:
            results[street.pk] = Result(
                Status.MISSED,
                _("%(n)d名在任议事员未经初审、公示") % {"n": len(missing)},
                [
                    Evidence(m.user.full_name, reverse("committee:person_edit", args=[m.pk]), m.started_on)
                    for m in missing
                ],
            )
        else:
            results[street.pk] = Result(
                Status.MET,
                _("在任议事员均经初审、公示后聘任"),
                [Evidence(_("议事会成员"), f"{reverse('council:page')}?street={street.pk}", day)],
            )
    return results
