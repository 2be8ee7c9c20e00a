from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilConfig(AppConfig):
    name = "livelihood_votes.council"
    label = "council"
    verbose_name = _("居民议事会成员")
    chapter = 7  # Art 18(1): members of the residents' council; Art 4(7): their selection and training

    def ready(self):
        from auditlog.registry import auditlog

        from livelihood_votes.council import models

        auditlog.register(models.CouncilMember)
        auditlog.register(models.CouncilNotice)
        auditlog.register(models.Objection)
        auditlog.register(models.Training, m2m_fields={"attendees"})
