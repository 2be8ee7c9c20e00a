from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "deputies.records"
    label = "records"
    verbose_name = _("代表履职档案与积分")

    def ready(self):
        from auditlog.registry import auditlog

        from deputies.records import models

        for model in (
            models.Claim,
            models.PointScheme,
            models.PointRule,
            models.Quarter,
            models.Correction,
        ):
            auditlog.register(model)
