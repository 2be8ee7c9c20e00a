"""Reads of reports to constituents: staff, party and city read their streets' (`VIEW_DEPUTIES`); a deputy reads
their own. Anything else is missing (404)."""

from django.db.models import Count, Q

from committee.permissions import streets_holding
from committee.roles import Capability
from deputies.reports.models import ConstituentReport


def visible_reports(user):
    viewing = [s.pk for s in streets_holding(user, Capability.VIEW_DEPUTIES)]
    return ConstituentReport.objects.for_user(user).filter(Q(street_id__in=viewing) | Q(deputy__user=user))


def with_list_columns(rows):
    return rows.select_related("street", "deputy__user", "constituency", "survey").annotate(
        comment_count=Count("comments", distinct=True),
        case_count=Count("comments", filter=Q(comments__case__isnull=False), distinct=True),
    )


def graded_reports(deputy):
    """The deputy's reports with a survey result, for their public page."""
    return deputy.constituent_reports.exclude(grade="").select_related("constituency", "survey").order_by("-date")
