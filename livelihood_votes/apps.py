from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodVotesConfig(AppConfig):
    name = "livelihood_votes"
    verbose_name = _("发挥在基层社会治理中的作用")
    chapter = 7  # the chapter of the rules this app implements
