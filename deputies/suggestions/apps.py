from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SuggestionsConfig(AppConfig):
    name = "deputies.suggestions"
    label = "suggestions"
    verbose_name = _("代表建议、联系代表与征求意见")
    chapter = 5  # Art 11(1)-(2), 13(1)-(2)

    def ready(self):
        from auditlog.registry import auditlog

        from deputies.suggestions import models

        auditlog.register(models.Suggestion)
        auditlog.register(models.CoSigner)
        auditlog.register(models.LeaderContact, m2m_fields={"deputies"})
        auditlog.register(models.ContactRecord)
        auditlog.register(models.MeasureConsultation, m2m_fields={"deputies"})
        auditlog.register(models.MeasureOpinion)
