from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "supervision.activities"
    label = "activities"
    verbose_name = _("监督活动")
    chapter = 4  # Art 7-10: enforcement inspections, special work reports, appraisals, field visits

    def ready(self):
        from auditlog.registry import auditlog

        from supervision.activities import models

        auditlog.register(models.EnforcementInspection, m2m_fields={"deputies"})
        auditlog.register(models.StudySession, m2m_fields={"attendees"})
        auditlog.register(models.InspectionFinding)
        auditlog.register(models.FieldVisit, m2m_fields={"participants"})
        auditlog.register(models.SpecialWorkReport)
        auditlog.register(models.UnitHead)
        auditlog.register(models.CollectedIssue)
        auditlog.register(models.WorkAppraisal)
        auditlog.register(models.AppraisalCriterion)
        auditlog.register(models.AppraisalScore)
