"""Duty records from the livelihood projects (Art 17(2), 19(4)): a supervisor's check on the spot (督办), of an
annual or a micro project."""

from django.utils.translation import gettext_lazy as _

from committee.duties.registry import DutyItem, DutyKind, register
from livelihood_votes.models import SupervisionCheck

LIVELIHOOD_CHECK = DutyKind("livelihood_check", _("督查民生实事项目"), "17(2)")


@register(LIVELIHOOD_CHECK)
def livelihood_checks(people, streets, start, end):
    """One query: the checks these people recorded."""
    checks = SupervisionCheck.objects.filter(
        checked_by_id__in=people, street_id__in=streets, checked_on__range=(start, end)
    ).select_related("project")
    for check in checks:
        yield DutyItem(
            check.checked_by_id,
            check.street_id,
            check.checked_on,
            LIVELIHOOD_CHECK.code,
            str(check.project),
            check.project.get_absolute_url(),
            check,
        )
