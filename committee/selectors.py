"""Reads shared by views and dashboards; each runs a fixed number of queries."""

from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from committee.models import AuditEntry, Membership, Street, User
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


def audit_entries_for(streets: list[Street]) -> list[QuerySet]:
    """Entries of these streets, and changes to the people who hold a role in them: two querysets whose union is
    the log, so that each is paged on its own index (an OR of the two makes PostgreSQL walk the whole log by time
    for one street: 1.4 s at 500 streets). `committee.pages.keyset_paginate` merges them."""
    members = Membership.objects.filter(street__in=streets).values("user_id")
    people = ContentType.objects.get_for_model(User)  # cached: no query
    entries = AuditEntry.objects.select_related("actor", "street", "content_type").order_by("-timestamp", "-pk")
    return [entries.filter(street__in=streets), entries.filter(content_type=people, object_id__in=members)]
