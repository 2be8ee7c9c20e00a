from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("人大街道工委")

    def ready(self):
        from auditlog.registry import auditlog

        from committee import models

        for model in (
            models.Municipality,
            models.Street,
            models.StreetCommittee,
            models.ResidentsCouncil,
            models.Membership,
        ):
            auditlog.register(model)
        auditlog.register(models.User, exclude_fields=["password", "last_login"])

        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("todo")  # each app's contribution to the home page's to-do list
        autodiscover_modules("homepage")  # each app's sections of the home page (committee/homepage.py)
