"""Home to-do items of the five lists: for committee staff, candidates waiting to be screened, projects without
this month's progress and 民生微实事 waiting for assessment; for a handling unit's people, their projects' progress due this month. One query each, none
for people they do not concern."""

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.roles import ROLE_CAPABILITIES, Capability
from committee.todo import Item, register
from livelihood_votes.models import Candidate, Decision, LivelihoodProject, ProjectKind, ProjectState
from livelihood_votes.selectors import without_progress
from livelihood_votes.services import PROGRESS_DAY
from supervision.models import HandlingUnitMember


def _managed_streets(user) -> list[int]:
    return [
        m.street_id
        for m in user.active_memberships
        if m.street_id and Capability.MANAGE_LIVELIHOOD in ROLE_CAPABILITIES[m.role]
    ]


@register
def candidates_to_screen(user) -> list[Item]:
    streets = _managed_streets(user)
    if not streets:
        return []
    rounds = (
        Candidate.objects.filter(
            street_id__in=streets, decision=Decision.PENDING, round__candidates_published_on__isnull=True
        )
        .values("round_id")
        .annotate(n=Count("pk"))
        .order_by("round_id")
    )
    return [
        Item(
            _("待筛选的民生实事候选项目"),
            reverse("livelihood_votes:candidate_list", args=[r["round_id"]]) + "?decision=pending",
            count=r["n"],
        )
        for r in rounds
    ]


@register
def projects_without_progress(user) -> list[Item]:
    streets = _managed_streets(user)
    if not streets:
        return []
    n = without_progress(LivelihoodProject.objects.filter(street_id__in=streets)).count()
    if not n:
        return []
    return [
        Item(
            _("本月尚未报送进展的民生实事项目"),
            reverse("livelihood_votes:project_list") + "?unreported=1",
            count=n,
            note=_("每月%(d)d日前报送") % {"d": PROGRESS_DAY},
        )
    ]


@register
def progress_due(user) -> list[Item]:
    if Capability.HANDLE_OPINIONS not in user.capabilities_anywhere():
        return []
    mine = HandlingUnitMember.objects.filter(user=user).values("unit_id")
    projects = list(without_progress(LivelihoodProject.objects.filter(unit_id__in=mine)).order_by("deadline", "pk"))
    today = timezone.localdate()
    return [
        Item(
            _("报送民生实事项目月度进展：%(t)s") % {"t": p.title},
            p.get_absolute_url(),
            note=_("每月%(d)d日前报送") % {"d": PROGRESS_DAY},
            flag=_("逾期") if today.day > PROGRESS_DAY else "",
            tone="danger" if today.day > PROGRESS_DAY else "",
        )
        for p in projects
    ]


@register
def micro_to_assess(user) -> list[Item]:
    """民生微实事 proposed and waiting for the committee's assessment (approve with a budget, or decline)."""
    streets = _managed_streets(user)
    if not streets:
        return []
    n = LivelihoodProject.objects.filter(
        street_id__in=streets, kind=ProjectKind.MICRO, state=ProjectState.PROPOSED
    ).count()
    if not n:
        return []
    return [
        Item(
            _("待评估的民生微实事"),
            reverse("livelihood_votes:project_list") + "?kind=micro&state=proposed",
            count=n,
        )
    ]
