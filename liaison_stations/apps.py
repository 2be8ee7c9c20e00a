from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonStationsConfig(AppConfig):
    name = "liaison_stations"
    label = "stations"
    verbose_name = _("代表联络站建设及运行")
    chapter = 6  # the chapter of the rules this app implements

    def ready(self):
        from auditlog.registry import auditlog

        from liaison_stations import models

        auditlog.register(models.LiaisonStation, exclude_fields=["public_code"], m2m_fields={"deputies"})
        auditlog.register(models.StationRole)
        auditlog.register(models.Reception)
        auditlog.register(models.Receiver)
        auditlog.register(models.Visit, exclude_fields=["phone"])
        auditlog.register(models.RotaSlot)
        auditlog.register(models.SwapRequest)
        auditlog.register(models.ReceptionPhoto)
        auditlog.register(models.ActivityPlan)
        auditlog.register(models.PlanItem)
        auditlog.register(models.OperatingRules)
        auditlog.register(models.Training, m2m_fields={"attendees"})
