from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LivelihoodVotesConfig(AppConfig):
    name = "livelihood_votes"
    verbose_name = _("发挥在基层社会治理中的作用")
    chapter = 7  # the chapter of the rules this app implements

    def ready(self):
        from auditlog.registry import auditlog

        from committee.ballots.models import Ballot
        from committee.ballots.signals import ballot_closed, ballot_recounted
        from livelihood_votes import models, services

        ballot_closed.connect(services.on_ballot_closed, sender=Ballot, dispatch_uid="livelihood-closed")
        ballot_recounted.connect(services.on_ballot_closed, sender=Ballot, dispatch_uid="livelihood-recounted")
        for model in (
            models.LivelihoodRound,
            models.Candidate,
            models.Milestone,
            models.ProgressReport,
            models.SupervisionCheck,
            models.Evaluation,
            models.EvaluationGrade,
            models.Rectification,
        ):
            auditlog.register(model)
        auditlog.register(models.LivelihoodProject, m2m_fields={"supervisors"})
