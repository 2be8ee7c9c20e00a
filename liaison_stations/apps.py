from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiaisonStationsConfig(AppConfig):
    name = "liaison_stations"
    verbose_name = _("代表联络站建设及运行")
    chapter = 6  # the chapter of the rules this app implements
