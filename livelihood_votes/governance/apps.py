from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "livelihood_votes.governance"
    label = "governance"
    verbose_name = _("基层治理")
    chapter = 7  # Art 19(1): 12345 reports and 随手拍; Art 4(6)

    def ready(self):
        from auditlog.registry import auditlog

        from livelihood_votes.governance import models

        auditlog.register(models.Snapshot)
        auditlog.register(models.HotlineReport)
