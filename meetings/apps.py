from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("会议制度")
    chapter = 3  # the chapter of the rules this app implements

    def ready(self):
        from auditlog.registry import auditlog

        from meetings.models import (
            AgendaChange,
            AgendaDocument,
            AgendaItem,
            Decision,
            Meeting,
            Participant,
            WrittenOpinion,
        )

        for model in (Meeting, Participant, AgendaItem, AgendaDocument, AgendaChange, Decision, WrittenOpinion):
            auditlog.register(model)
