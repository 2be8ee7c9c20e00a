from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("监督工作")
    chapter = 4  # the chapter of the rules this app implements

    def ready(self):
        from auditlog.registry import auditlog

        from supervision import models

        for model in (
            models.HandlingUnit,
            models.HandlingUnitMember,
            models.Opinion,
            models.FaceToFaceMeeting,
            models.Reply,
            models.Commitment,
            models.Attachment,
        ):
            auditlog.register(model)
