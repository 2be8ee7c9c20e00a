"""Reads the pages, the to-do list and the rules share."""

from django.db.models import Exists, OuterRef
from django.utils import timezone

from livelihood_votes.models import ProgressReport, ProjectState

UNDER_WAY = (ProjectState.ASSIGNED, ProjectState.RECTIFYING)


def without_progress(projects):
    """The projects under way whose unit has not reported this month's progress."""
    month = timezone.localdate().replace(day=1)
    return projects.filter(state__in=UNDER_WAY).exclude(
        Exists(ProgressReport.objects.filter(project=OuterRef("pk"), month=month))
    )
