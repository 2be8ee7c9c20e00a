"""Compliance rules of deputies' suggestions (13(1)) and leader contacts (11(2)). One query each for all streets, counted in SQL."""

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, counts_by_street, register
from deputies.suggestions.models import ContactRecord, LeaderContact, Suggestion, SuggestionEvent, SuggestionState

EVIDENCE_LIMIT = 20


def _submitted(streets, window):
    """Suggestions submitted in the window, with `consulted_at`: the first consultation by the committee's staff."""
    first_consultation = (
        SuggestionEvent.objects.filter(suggestion_id=OuterRef("pk"), consultation=True).order_by("at").values("at")[:1]
    )
    return Suggestion.objects.filter(
        street__in=streets,
        state=SuggestionState.SUBMITTED,
        submitted_at__date__gte=window.start,
        submitted_at__date__lte=window.end,
    ).alias(consulted_at=Subquery(first_consultation))


NOT_CONSULTED = Q(consulted_at__isnull=True) | Q(consulted_at__gt=F("submitted_at"))


@register(
    id="13(1)",
    description=gettext_lazy("代表建议提交前，工委与代表沟通协调"),
    period=Period.QUARTER,
)
def suggestions_consulted(streets, window, today):
    """Every suggestion submitted in the window had a consultation by the committee's staff (a comment or a request
    for revision) before it was submitted."""
    counts = counts_by_street(
        _submitted(streets, window), total=Count("pk"), gaps=Count("pk", filter=NOT_CONSULTED)
    )  # one query for all streets
    results = {}
    for street in streets:
        n = counts(street)
        if n["gaps"]:
            summary = _("%(n)d件建议提交前未经沟通协调（共%(t)d件）") % {"n": n["gaps"], "t": n["total"]}
            results[street.pk] = Result(Status.MISSED, summary)
        else:
            summary = (
                _("提交的%(n)d件建议均经沟通协调") % {"n": n["total"]} if n["total"] else _("本期无提交的代表建议")
            )
            results[street.pk] = Result(Status.MET, summary)
    return results


@suggestions_consulted.evidence
def suggestions_consulted_evidence(street, window, today):
    """The consultation of each suggestion (or its gap), the gaps first."""
    items = list(
        _submitted([street], window)
        .annotate(gap=ExpressionWrapper(NOT_CONSULTED, output_field=BooleanField()))
        .order_by("-gap", "submitted_at", "pk")[:EVIDENCE_LIMIT]
    )
    return [
        Evidence(
            f"{s.title}（{_('未经沟通协调') if s.gap else _('已沟通协调')}）",
            s.get_absolute_url(),
            timezone.localdate(s.submitted_at),
        )
        for s in items
    ]


def _pairs(streets, window):
    """Each (leader, deputy) pair assigned in these streets, with `n`: their contacts in the window."""
    records = (
        ContactRecord.objects.filter(
            contact_id=OuterRef("leadercontact_id"),
            deputy_id=OuterRef("user_id"),
            on__gte=window.start,
            on__lte=window.end,
        )
        .values("contact_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return LeaderContact.deputies.through.objects.filter(leadercontact__street__in=streets).alias(
        n=Coalesce(Subquery(records, output_field=IntegerField()), 0)
    )


@register(
    id="11(2)",
    description=gettext_lazy("领导班子成员联系人大代表，每年联系每位代表不少于规定次数"),
    period=Period.YEAR,
)
def leaders_keep_in_touch(streets, window, today):
    """Each leader contacts each deputy assigned to them at least LEADER_CONTACTS_PER_YEAR times in the year."""
    required = settings.LEADER_CONTACTS_PER_YEAR
    found = {
        row["street"]: row
        for row in _pairs(streets, window)
        .order_by()
        .values(street=F("leadercontact__street_id"))
        .annotate(total=Count("pk"), short=Count("pk", filter=Q(n__lt=required)))
    }  # one query for all streets, one row a street
    results = {}
    for street in streets:
        n = found.get(street.pk, {"total": 0, "short": 0})
        if not n["total"]:
            results[street.pk] = Result(count_status(0, 1, window, today), _("尚未安排领导班子成员联系代表"))
        elif n["short"]:
            results[street.pk] = Result(
                count_status(0, 1, window, today),
                _("%(n)d对联系未达%(r)d次（共%(t)d对）") % {"n": n["short"], "r": required, "t": n["total"]},
            )
        else:
            results[street.pk] = Result(Status.MET, _("%(t)d对联系均达%(r)d次") % {"t": n["total"], "r": required})
    return results


@leaders_keep_in_touch.evidence
def leaders_keep_in_touch_evidence(street, window, today):
    """The pairs short of it (leader, deputy, count), or the pairs when all are met."""
    required = settings.LEADER_CONTACTS_PER_YEAR
    pairs = list(
        _pairs([street], window)
        .annotate(contacts=F("n"))
        .values(
            "leadercontact_id",
            "leadercontact__leader_name",
            "leadercontact__leader_title",
            "user__full_name",
            "contacts",
        )
        .order_by("leadercontact__leader_name", "user__full_name")
    )
    short = [p for p in pairs if p["contacts"] < required]
    return [
        Evidence(
            _("%(l)s（%(t)s）联系%(d)s：%(n)d/%(r)d次")
            % {
                "l": pair["leadercontact__leader_name"],
                "t": pair["leadercontact__leader_title"],
                "d": pair["user__full_name"],
                "n": pair["contacts"],
                "r": required,
            },
            LeaderContact(pk=pair["leadercontact_id"]).get_absolute_url(),
        )
        for pair in (short or pairs)[:EVIDENCE_LIMIT]
    ]
