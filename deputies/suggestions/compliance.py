"""Compliance rules of deputies' suggestions (13(1)) and leader contacts (11(2)). One query each for all streets."""

from collections import defaultdict

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from committee.compliance.registry import Evidence, Period, Result, Status, count_status, register
from deputies.suggestions.models import ContactRecord, LeaderContact, Suggestion, SuggestionEvent, SuggestionState

EVIDENCE_LIMIT = 20


@register(
    id="13(1)",
    description=gettext_lazy("代表建议提交前，工委与代表沟通协调"),
    period=Period.QUARTER,
)
def suggestions_consulted(streets, window, today):
    """Every suggestion submitted in the window had a consultation by the committee's staff (a comment or a request
    for revision) before it was submitted. The evidence names the consultation (who, when) or the gap."""
    first_consultation = (
        SuggestionEvent.objects.filter(suggestion_id=OuterRef("pk"), consultation=True).order_by("at").values("at")[:1]
    )
    rows = (
        Suggestion.objects.filter(
            street__in=streets,
            state=SuggestionState.SUBMITTED,
            submitted_at__date__gte=window.start,
            submitted_at__date__lte=window.end,
        )
        .annotate(consulted_at=Subquery(first_consultation))
        .order_by("submitted_at", "pk")
    )  # one query for all streets
    found = defaultdict(list)
    for suggestion in rows:
        found[suggestion.street_id].append(suggestion)
    results = {}
    for street in streets:
        items = found[street.pk]
        gaps = [s for s in items if s.consulted_at is None or s.consulted_at > s.submitted_at]
        evidence = [
            Evidence(
                f"{s.title}（{_('未经沟通协调') if s in gaps else _('已沟通协调')}）",
                s.get_absolute_url(),
                timezone.localdate(s.submitted_at),
            )
            for s in (gaps or items)[:EVIDENCE_LIMIT]
        ]
        if gaps:
            status = Status.MISSED
            summary = _("%(n)d件建议提交前未经沟通协调（共%(t)d件）") % {"n": len(gaps), "t": len(items)}
        else:
            status = Status.MET
            summary = _("提交的%(n)d件建议均经沟通协调") % {"n": len(items)} if items else _("本期无提交的代表建议")
        results[street.pk] = Result(status, summary, evidence)
    return results


@register(
    id="11(2)",
    description=gettext_lazy("领导班子成员联系人大代表，每年联系每位代表不少于规定次数"),
    period=Period.YEAR,
)
def leaders_keep_in_touch(streets, window, today):
    """Each leader contacts each deputy assigned to them at least LEADER_CONTACTS_PER_YEAR times in the year.
    Evidence: the pairs short of it (leader, deputy, count), or the pairs when all are met."""
    required = settings.LEADER_CONTACTS_PER_YEAR
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
    pairs = (
        LeaderContact.deputies.through.objects.filter(leadercontact__street__in=streets)
        .annotate(n=Coalesce(Subquery(records, output_field=IntegerField()), 0))
        .values(
            "leadercontact_id",
            "leadercontact__street_id",
            "leadercontact__leader_name",
            "leadercontact__leader_title",
            "user__full_name",
            "n",
        )
        .order_by("leadercontact__leader_name", "user__full_name")
    )  # one query for all streets
    found = defaultdict(list)
    for pair in pairs:
        found[pair["leadercontact__street_id"]].append(pair)
    results = {}
    for street in streets:
        items = found[street.pk]
        short = [p for p in items if p["n"] < required]

        def evidence(pair):
            return Evidence(
                _("%(l)s（%(t)s）联系%(d)s：%(n)d/%(r)d次")
                % {
                    "l": pair["leadercontact__leader_name"],
                    "t": pair["leadercontact__leader_title"],
                    "d": pair["user__full_name"],
                    "n": pair["n"],
                    "r": required,
                },
                LeaderContact(pk=pair["leadercontact_id"]).get_absolute_url(),
            )

        if not items:
            results[street.pk] = Result(count_status(0, 1, window, today), _("尚未安排领导班子成员联系代表"), [])
        elif short:
            results[street.pk] = Result(
                count_status(0, 1, window, today),
                _("%(n)d对联系未达%(r)d次（共%(t)d对）") % {"n": len(short), "r": required, "t": len(items)},
                [evidence(p) for p in short[:EVIDENCE_LIMIT]],
            )
        else:
            results[street.pk] = Result(
                Status.MET,
                _("%(t)d对联系均达%(r)d次") % {"t": len(items), "r": required},
                [evidence(p) for p in items[:EVIDENCE_LIMIT]],
            )
    return results
