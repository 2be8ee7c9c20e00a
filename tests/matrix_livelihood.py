"""Permission-matrix rows of the livelihood projects (livelihood_votes). Objects are 望春门's demo rows: the 2026
round (voted, projects assigned: the first to the street office, whose unit account is the matrix's handling unit;
the demo deputy supervises it) and the 2025 round's third project (不满意, rectified, by a unit without accounts)."""

from django.urls import reverse

from livelihood_votes.models import (
    Candidate,
    CheckPhoto,
    EvaluationGrade,
    LivelihoodProject,
    LivelihoodRound,
    Rectification,
)
from tests.matrix import every, row, street


def round_(year=2026) -> LivelihoodRound:
    return LivelihoodRound.objects.get(street=street(), year=year)


def project() -> LivelihoodProject:
    return round_().projects.get(rank=1)


def rectified() -> LivelihoodProject:
    return round_(2025).projects.get(rank=3)


READ = row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=200)
MANAGE = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=403, city=403)
DONE = row(staff=302, other_staff=404, director=302, deputy=403, handling_unit=403, city=403)
UNIT = row(staff=200, other_staff=404, director=200, deputy=403, handling_unit=200, city=403)
PUBLIC = every(200, anonymous=200)

ROWS = {
    "livelihood_votes:round_list": (
        lambda: reverse("livelihood_votes:round_list"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "livelihood_votes:round_add": (
        lambda: reverse("livelihood_votes:round_add"),
        row(staff=200, other_staff=200, director=200, deputy=403, handling_unit=403, city=403),
    ),
    "livelihood_votes:round_detail": (lambda: reverse("livelihood_votes:round_detail", args=[round_().pk]), READ),
    "livelihood_votes:round_publish": (
        lambda: reverse("livelihood_votes:round_publish", args=[round_().pk]),
        every(405),  # POST only
    ),
    "livelihood_votes:round_vote": (lambda: reverse("livelihood_votes:round_vote", args=[round_().pk]), DONE),
    "livelihood_votes:round_runoff": (lambda: reverse("livelihood_votes:round_runoff", args=[round_().pk]), MANAGE),
    "livelihood_votes:round_evaluate": (
        lambda: reverse("livelihood_votes:round_evaluate", args=[round_().pk]),
        MANAGE,
    ),
    "livelihood_votes:candidate_list": (
        lambda: reverse("livelihood_votes:candidate_list", args=[round_().pk]),
        READ,
    ),
    "livelihood_votes:candidate_add": (
        lambda: reverse("livelihood_votes:candidate_add", args=[round_().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=403, city=403),
    ),
    "livelihood_votes:candidate_detail": (
        lambda: reverse(
            "livelihood_votes:candidate_detail", args=[Candidate.objects.filter(round=round_()).first().pk]
        ),
        READ,
    ),
    "livelihood_votes:project_list": (
        lambda: reverse("livelihood_votes:project_list"),
        row(staff=200, other_staff=200, director=200, deputy=200, handling_unit=403, city=200),
    ),
    "livelihood_votes:project_detail": (
        lambda: reverse("livelihood_votes:project_detail", args=[project().pk]),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=200, city=200),
    ),
    "livelihood_votes:project_assign": (
        lambda: reverse("livelihood_votes:project_assign", args=[project().pk]),
        DONE,
    ),
    "livelihood_votes:project_progress": (
        lambda: reverse("livelihood_votes:project_progress", args=[project().pk]),
        UNIT,
    ),
    # Only the project's supervisors record checks: the demo deputy is one; staff are not.
    "livelihood_votes:project_check": (
        lambda: reverse("livelihood_votes:project_check", args=[project().pk]),
        row(staff=403, other_staff=404, director=403, deputy=200, handling_unit=403, city=403),
    ),
    "livelihood_votes:milestone_done": (
        lambda: reverse("livelihood_votes:milestone_done", args=[project().milestones.get(position=3).pk]),
        UNIT,
    ),
    "livelihood_votes:milestone_follow_up": (
        lambda: reverse("livelihood_votes:milestone_follow_up", args=[project().milestones.get(position=3).pk]),
        every(405),  # POST only
    ),
    "livelihood_votes:rectification_add": (
        lambda: reverse(
            "livelihood_votes:rectification_add",
            args=[EvaluationGrade.objects.get(project=rectified(), grade="unsatisfied").pk],
        ),
        MANAGE,
    ),
    # The rectified project's unit has no account: only the committee enters its rectification.
    "livelihood_votes:rectification_done": (
        lambda: reverse(
            "livelihood_votes:rectification_done", args=[Rectification.objects.get(project=rectified()).pk]
        ),
        MANAGE,
    ),
    "livelihood_votes:photo": (
        lambda: reverse(
            "livelihood_votes:photo", args=[CheckPhoto.objects.filter(check_record__project=project()).first().pk]
        ),
        row(staff=200, other_staff=404, director=200, deputy=200, handling_unit=200, city=200),
    ),
    "livelihood_votes:public_round": (lambda: reverse("livelihood_votes:public_round", args=[round_().token]), PUBLIC),
    "livelihood_votes:public_propose": (
        lambda: reverse("livelihood_votes:public_propose", args=[round_().token]),
        PUBLIC,
    ),
    "livelihood_votes:public_project": (
        lambda: reverse("livelihood_votes:public_project", args=[project().token]),
        PUBLIC,
    ),
}
