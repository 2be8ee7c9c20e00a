from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BallotsConfig(AppConfig):
    name = "committee.ballots"
    label = "ballots"
    verbose_name = _("投票表决")

    def ready(self):
        from auditlog.registry import auditlog

        from committee.ballots.models import Ballot, CountSheet, Question, Result

        # Never Participation, Vote or Receipt: an audit entry carries a precise time and an order.
        auditlog.register(Ballot)
        auditlog.register(Question)
        auditlog.register(CountSheet)
        auditlog.register(Result)
