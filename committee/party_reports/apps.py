from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartyReportsConfig(AppConfig):
    name = "committee.party_reports"
    label = "party_reports"
    verbose_name = _("向街道党工委报告工作")
    chapter = 8  # the chapter of the rules this app implements (Art 20)

    def ready(self):
        from auditlog.registry import auditlog

        from committee.party_reports.models import PartyReport

        auditlog.register(PartyReport)
