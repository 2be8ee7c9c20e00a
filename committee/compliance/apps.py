from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "committee.compliance"
    label = "compliance"
    verbose_name = _("履职看板")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each app declares its rules in its own compliance.py, the way admin.py registers models;
        # the committee's own rules live beside the registry.
        from committee.compliance import staffing  # noqa: F401

        autodiscover_modules("compliance")

        from django.db.models.signals import post_delete, post_save

        from committee.compliance.cache import row_changed

        post_save.connect(row_changed, dispatch_uid="compliance.row_changed.save")
        post_delete.connect(row_changed, dispatch_uid="compliance.row_changed.delete")
