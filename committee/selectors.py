"""Reads shared by views and dashboards; each runs a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Q

from committee.models import AuditEntry, Membership, Street
from committee.roles import COMMITTEE_ROLES, Role


@dataclass
class Staffing:
    """Art 21(1): one director, one full-time vice director, at least one full-time staff member.
    Vice directors and staff count only when full-time."""

    directors: int = 0
    vice_directors: int = 0
    staff: int = 0

    @property
    def meets_article_21(self) -> bool:
        return self.directors == 1 and self.vice_directors == 1 and self.staff >= 1


def staffing_by_street(streets, on=None) -> dict[int, Staffing]:
    """The committee's staffing in each street on a day (today by default): one query for all streets."""
    counts = Counter(
        Membership.objects.active(on)
        .filter(street__in=streets, role__in=COMMITTEE_ROLES)
        .filter(Q(role=Role.DIRECTOR) | Q(full_time=True))
        .values_list("street_id", "role")
    )
    return {
        street.pk: Staffing(
            directors=counts[(street.pk, Role.DIRECTOR)],
            vice_directors=counts[(street.pk, Role.VICE_DIRECTOR)],
            staff=counts[(street.pk, Role.STAFF)],
        )
        for street in streets
    }


def staffing_rows(streets) -> list[tuple[Street, Staffing]]:
    staffing = staffing_by_street(streets)
    return [(street, staffing[street.pk]) for street in streets]


def audit_entries_for(streets: list[Street]):
    """Entries of these streets, plus changes to the people who hold a role in them."""
    members = Membership.objects.filter(street__in=streets).values("user_id")
    return (
        AuditEntry.objects.filter(
            Q(street__in=streets)
            | Q(content_type__app_label="committee", content_type__model="user", object_id__in=members)
        )
        .select_related("actor", "street", "content_type")
        .order_by("-timestamp", "-pk")
    )
