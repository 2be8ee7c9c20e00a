from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("代表工作")
    chapter = 5  # the chapter of the rules this app implements

    def ready(self):
        from auditlog.registry import auditlog

        from deputies import models

        auditlog.register(models.Constituency)
        auditlog.register(models.Deputy, exclude_fields=["public_code"])
        auditlog.register(models.TermEvent)
        # A resident's phone stays out of the log: only the deputy and staff see it, on the message itself.
        auditlog.register(models.ResidentMessage, exclude_fields=["phone", "sms_sent_at"])
