"""The home page warns while a year's deadlines rest on an estimate: the current year, and from 1 November the next
one, when neither an entered arrangement nor chinesecalendar covers it."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.calendar.models import CalendarYear
from committee.calendar.services import can_manage
from committee.roles import Capability
from committee.todo import Item, register
from committee.workdays import library_years

WARN_FROM = (11, 1)  # (month, day): the State Council publishes the next year's arrangement in November or December


def missing_years(today: datetime.date) -> list[int]:
    """The years whose official arrangement is wanted and missing (one query)."""
    wanted = [today.year] + ([today.year + 1] if (today.month, today.day) >= WARN_FROM else [])
    entered = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    return [year for year in wanted if year not in entered and year not in library_years()]


@register
def arrangement_missing(user) -> list[Item]:
    """The people who run the installation enter it; committee staff, whose deadlines it moves, are told."""
    manager = can_manage(user)
    if not manager and Capability.MANAGE_OPINIONS not in user.capabilities_anywhere():
        return []
    items = []
    for year in missing_years(timezone.localdate()):
        if manager:
            items.append(
                Item(
                    _("录入%(year)d年节假日安排") % {"year": year},
                    reverse("calendar:year_edit", args=[year]),
                    note=_(
                        "%(year)d年的工作日目前按周末和法定节日估算，没有调休上班日。国务院办公厅发布%(year)d年"
                        "部分节假日安排的通知后，请按通知录入放假和调休上班日期。"
                    )
                    % {"year": year},
                )
            )
        else:
            items.append(
                Item(
                    _("%(year)d年节假日安排尚未录入") % {"year": year},
                    reverse("calendar:year_detail", args=[year]),
                    note=_(
                        "跨春节、国庆等假期的办理期限按估算计算，可能差几天（未计调休上班日）。"
                        "请联系系统管理员按国务院办公厅的通知录入。"
                    ),
                )
            )
    return items
