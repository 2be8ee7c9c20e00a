from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "committee.calendar"
    label = "calendar"
    verbose_name = _("节假日安排")

    def ready(self):
        from auditlog.registry import auditlog

        from committee.calendar.models import CalendarDay, CalendarYear

        auditlog.register(CalendarYear)
        auditlog.register(CalendarDay)
