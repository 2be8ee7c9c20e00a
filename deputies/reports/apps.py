from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstituentReportsConfig(AppConfig):
    name = "deputies.reports"
    label = "constituent_reports"
    verbose_name = _("代表向选民报告履职情况")
    chapter = 5  # Art 12(2), 4(3)

    def ready(self):
        from auditlog.registry import auditlog

        from committee.ballots.models import Ballot
        from committee.ballots.signals import ballot_closed, ballot_recounted
        from deputies.reports import models, services

        ballot_closed.connect(services.on_ballot_closed, sender=Ballot, dispatch_uid="constituent-report-closed")
        ballot_recounted.connect(services.on_ballot_closed, sender=Ballot, dispatch_uid="constituent-report-recounted")
        auditlog.register(models.ConstituentReport)
        auditlog.register(models.ConstituentComment)
