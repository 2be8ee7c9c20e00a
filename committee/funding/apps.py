from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "committee.funding"
    label = "funding"
    verbose_name = _("经费保障")

    def ready(self):
        from auditlog.registry import auditlog

        from committee.funding.models import BudgetLine, Expenditure

        auditlog.register(BudgetLine)
        auditlog.register(Expenditure)
