from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "committee.duties"
    label = "duties"
    verbose_name = _("履职记录")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        # Each chapter app declares its duty sources in its own duties.py, like compliance.py.
        autodiscover_modules("duties")
