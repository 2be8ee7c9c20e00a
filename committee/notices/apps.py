from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "committee.notices"
    label = "notices"
    verbose_name = _("通知与提醒")

    def ready(self):
        from auditlog.registry import auditlog

        from committee.notices.models import Notice, NoticePreference, Reminder

        # Bookkeeping columns the send machinery touches on every attempt stay out of the audit log.
        auditlog.register(Notice, exclude_fields=["enqueued_at", "claimed_at"])
        auditlog.register(Reminder, m2m_fields={"recipients"})
        auditlog.register(NoticePreference)
