"""民生微实事 (micro livelihood projects, Art 19(4)): the writes before and after the five lists' shared middle.

A micro project is a `LivelihoodProject` of kind micro without a round: proposed (`micro_propose`: a resident on
the public form, a deputy or council member in their own name, staff for a community), approved with a budget or
declined with a reason by the committee (`micro_approve`, `micro_decline`); then assigned, reported on and checked
by the same services as the annual projects (`services.project_assign`, `progress_report`,
`supervision_check_add`); finished by the committee (`micro_finish`) and rated by its proposer through the signed
link they were given (`micro_rate`)."""

import datetime
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import Street, User
from committee.notices.services import reminder_done
from committee.permissions import require
from committee.roles import Capability
from livelihood_votes.models import LivelihoodProject, ProjectKind, ProjectState, ProposerKind
from livelihood_votes.services import _locked_project, _progress_key, _proposer_kind

MANAGE, PROPOSE = Capability.MANAGE_LIVELIHOOD, Capability.PROPOSE_LIVELIHOOD
RATING_SALT = "livelihood-micro-rating"


def rating_code(project: LivelihoodProject) -> str:
    """The proposer's tracking code: a signed link to rate the project once it is finished."""
    return signing.dumps(project.token, salt=RATING_SALT)


def project_for_code(code: str) -> LivelihoodProject | None:
    try:
        token = signing.loads(code, salt=RATING_SALT)
    except signing.BadSignature:
        return None
    return LivelihoodProject.objects.filter(token=token, kind=ProjectKind.MICRO).select_related("street").first()


@transaction.atomic
def micro_propose(
    *,
    street: Street,
    title: str,
    description: str,
    place: str = "",
    proposer_name: str = "",
    proposer_phone: str = "",
    proposer_kind: str = "",
    by: User | None = None,
    today: datetime.date | None = None,
) -> LivelihoodProject:
    """`by=None` is a resident on the public form; a deputy or council member proposes in their own name and kind;
    staff enter a community's (or anyone's)."""
    if by is None:
        kind = ProposerKind.RESIDENT
    elif by.has_capability(MANAGE, street):
        kind = proposer_kind or ProposerKind.COMMUNITY
    else:
        require(by, PROPOSE, street)
        kind, proposer_name = _proposer_kind(by, street), by.full_name
    if kind not in ProposerKind.values:
        raise ValidationError({"proposer_kind": _("请选择提出方。")})
    if not title.strip():
        raise ValidationError({"title": _("请填写项目名称。")})
    if not description.strip():
        raise ValidationError({"description": _("请填写项目内容。")})
    if not proposer_name.strip():
        raise ValidationError({"proposer_name": _("请填写提出人或单位。")})
    return LivelihoodProject.objects.create(
        street=street,
        kind=ProjectKind.MICRO,
        state=ProjectState.PROPOSED,
        title=title.strip(),
        description=description.strip(),
        place=place.strip(),
        proposer_kind=kind,
        proposer_name=proposer_name.strip(),
        proposer_phone=proposer_phone.strip(),
        proposed_by=by,
        proposed_on=today or timezone.localdate(),
    )


def _proposed(by: User, project: LivelihoodProject) -> LivelihoodProject:
    project = _locked_project(project)
    require(by, MANAGE, project.street)
    if not project.is_micro or project.state != ProjectState.PROPOSED:
        raise ValidationError(_("该项目已评估过了。"))
    return project


@transaction.atomic
def micro_approve(*, by: User, project: LivelihoodProject, budget: Decimal) -> LivelihoodProject:
    """评估立项: the committee approves it with a budget; it waits to be assigned (交办)."""
    project = _proposed(by, project)
    if budget is None or budget <= 0:
        raise ValidationError({"budget": _("请填写批准的预算资金（万元）。")})
    project.state, project.budget = ProjectState.PASSED, budget
    project.save(update_fields=["state", "budget"])
    return project


@transaction.atomic
def micro_decline(*, by: User, project: LivelihoodProject, reason: str) -> LivelihoodProject:
    project = _proposed(by, project)
    if not reason.strip():
        raise ValidationError({"reason": _("请写明不予立项的理由，提出人会看到。")})
    project.state, project.decline_reason = ProjectState.DECLINED, reason.strip()
    project.save(update_fields=["state", "decline_reason"])
    return project


@transaction.atomic
def micro_finish(*, by: User, project: LivelihoodProject, today: datetime.date | None = None) -> LivelihoodProject:
    """办结: the committee closes a micro project under way; the monthly reminder ends; the proposer may rate it."""
    project = _locked_project(project)
    require(by, MANAGE, project.street)
    if not project.is_micro or project.state != ProjectState.ASSIGNED:
        raise ValidationError(_("只有实施中的民生微实事项目可以办结。"))
    project.state, project.finished_on = ProjectState.FINISHED, today or timezone.localdate()
    project.save(update_fields=["state", "finished_on"])
    reminder_done(key=_progress_key(project))
    return project


@transaction.atomic
def micro_rate(*, project: LivelihoodProject, rating: int, comment: str = "") -> LivelihoodProject:
    """The proposer's rating (1–5), once, after it is finished; whoever holds the signed link is the proposer."""
    project = _locked_project(project)
    if project.state != ProjectState.FINISHED:
        raise ValidationError(_("项目办结后才能评价。"))
    if project.rating is not None:
        raise ValidationError(_("您已评价过这个项目，谢谢。"))
    if rating not in range(1, 6):
        raise ValidationError({"rating": _("请选择1到5星。")})
    project.rating, project.rating_comment, project.rated_at = rating, comment.strip()[:300], timezone.now()
    project.save(update_fields=["rating", "rating_comment", "rated_at"])
    return project
