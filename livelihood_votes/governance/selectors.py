from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from committee.models import Street, User
from committee.permissions import streets_holding
from committee.roles import Capability
from livelihood_votes.governance.models import HotlineReport
from supervision.models import Rating


def reading_streets(user: User) -> list[Street]:
    """The streets whose 12345 reports and 随手拍 this user reads (VIEW_OPINIONS); none is not a refusal here, a
    deputy still sees their own reports."""
    return streets_holding(user, Capability.VIEW_OPINIONS)


def visible_hotline_reports(user: User, streets: list[Street] | None = None):
    """Reports of the streets the user reads (`streets`, by default `reading_streets`), and a deputy's own."""
    streets = reading_streets(user) if streets is None else streets
    return HotlineReport.objects.for_user(user).filter(Q(street__in=streets) | Q(deputy=user))


def hotline_figures(streets):
    """Per street, one query: reports, outcomes given on time (by the 12345 deadline), deputies satisfied."""
    return (
        HotlineReport.objects.filter(street__in=streets)
        .values("street__name")
        .annotate(
            reports=Count("pk"),
            answered=Count("pk", filter=Q(outcome_on__isnull=False)),
            on_time=Count("pk", filter=Q(outcome_on__lte=F("due_on"))),
            satisfied=Count("pk", filter=Q(rating=Rating.SATISFIED)),
        )
        .order_by("street__name")
    )


def public_face(street: Street) -> dict:
    """What the street's public page shows, in five queries whatever the numbers."""
    from committee.ballots.models import Ballot, BallotState
    from committee.models import Membership
    from committee.roles import Role
    from deputies.models import Deputy
    from liaison_stations.models import LiaisonStation, Reception
    from livelihood_votes.models import LivelihoodProject

    upcoming = Reception.objects.filter(station=OuterRef("pk"), starts_at__gte=timezone.now()).order_by("starts_at")
    year = timezone.localdate().year
    return {
        "year": year,
        "leaders": list(
            Membership.objects.active()
            .filter(street=street, role__in=[Role.DIRECTOR, Role.VICE_DIRECTOR])
            .select_related("user")
            .order_by("role", "pk")
        ),
        "deputies": list(Deputy.objects.in_office().filter(street=street).select_related("user", "constituency")),
        "stations": list(
            LiaisonStation.objects.filter(street=street)
            .annotate(next_reception=Subquery(upcoming.values("starts_at")[:1]))
            .order_by("kind", "pk")
        ),
        "projects": list(
            LivelihoodProject.objects.filter(street=street, round__year=year)
            .select_related("unit")
            .order_by("rank", "pk")
        ),
        "results": list(
            Ballot.objects.filter(street=street, state=BallotState.CLOSED, closed_at__year=year).order_by("-closed_at")[
                :20
            ]
        ),
    }
