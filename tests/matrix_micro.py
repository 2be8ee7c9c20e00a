"""Permission-matrix rows of 民生微实事 (livelihood_votes.micro). Objects are 望春门's demo micro projects; the
public pages take the street's slug or the proposer's signed link."""

from django.urls import reverse

from livelihood_votes import micro
from livelihood_votes.models import LivelihoodProject, ProjectKind, ProjectState
from tests.matrix import every, row, street

PUBLIC = every(200, anonymous=200)


def micro_project(state=ProjectState.FINISHED) -> LivelihoodProject:
    return LivelihoodProject.objects.get(street=street(), kind=ProjectKind.MICRO, state=state)


ROWS = {
    "livelihood_votes:micro_add": (
        lambda: reverse("livelihood_votes:micro_add"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "livelihood_votes:micro_approve": (
        lambda: reverse("livelihood_votes:micro_approve", args=[micro_project(ProjectState.PROPOSED).pk]),
        every(405),  # POST only
    ),
    "livelihood_votes:micro_decline": (
        lambda: reverse("livelihood_votes:micro_decline", args=[micro_project(ProjectState.PROPOSED).pk]),
        every(405),
    ),
    "livelihood_votes:micro_finish": (
        lambda: reverse("livelihood_votes:micro_finish", args=[micro_project(ProjectState.ASSIGNED).pk]),
        every(405),
    ),
    "livelihood_votes:public_micro_list": (
        lambda: reverse("livelihood_votes:public_micro_list", args=[street().slug]),
        PUBLIC,
    ),
    "livelihood_votes:public_micro_propose": (
        lambda: reverse("livelihood_votes:public_micro_propose", args=[street().slug]),
        PUBLIC,
    ),
    "livelihood_votes:public_micro_rate": (
        lambda: reverse("livelihood_votes:public_micro_rate", args=[micro.rating_code(micro_project())]),
        PUBLIC,
    ),
}
