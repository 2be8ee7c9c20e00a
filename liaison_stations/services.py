"""Every write to the stations, their posts, receptions and the visitor register. Matters passed on go into the
handling loop through `supervision.services` only."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.documents import rendering
from committee.models import Street, User
from committee.notices.services import notice_send
from committee.permissions import require
from committee.roles import Capability
from deputies.models import Deputy
from liaison_stations.models import (
    ActivityPlan,
    LiaisonStation,
    OperatingRules,
    PlanItem,
    PlanItemKind,
    Receiver,
    ReceiverKind,
    Reception,
    StationRole,
    Training,
    Visit,
)
from supervision.models import Channel, ProposerKind
from supervision.services import opinion_register

STATION_FIELDS = (
    "name",
    "kind",
    "address",
    "opening_hours",
    "contact",
    "party_contact_point",
    "legislative_contact_point",
    "budget_contact_point",
)


@transaction.atomic
def station_save(
    *, by: User, street: Street, station: LiaisonStation | None = None, deputies=(), **fields
) -> LiaisonStation:
    """Create a station or change one; `deputies` are the attached deputies (of the station's street)."""
    require(by, Capability.MANAGE_STATIONS, street)
    if station is not None and station.street_id != street.pk:
        raise PermissionDenied
    unknown = set(fields) - set(STATION_FIELDS)
    if unknown:
        raise TypeError(f"unknown station fields: {sorted(unknown)}")
    if not (fields.get("name") or "").strip():
        raise ValidationError({"name": _("请填写联络站名称。")})
    deputies = list(deputies)
    if any(d.street_id != street.pk for d in deputies):
        raise ValidationError({"deputies": _("只能选择本街道的代表。")})
    same_name = LiaisonStation.objects.filter(street=street, name=fields["name"].strip())
    if station is not None:
        same_name = same_name.exclude(pk=station.pk)
    if same_name.exists():
        raise ValidationError({"name": _("本街道已有同名联络站。")})
    if fields.get("kind") == "street":
        others = LiaisonStation.objects.filter(street=street, kind="street")
        if station is not None:
            others = others.exclude(pk=station.pk)
        if others.exists():
            raise ValidationError({"kind": _("每个街道只有一个街道代表联络站，其余请选择延伸联络点类型。")})
    station = station or LiaisonStation(street=street)
    for name, value in fields.items():
        setattr(station, name, value.strip() if isinstance(value, str) else value)
    station.save()
    station.deputies.set(deputies)
    return station


@transaction.atomic
def station_role_add(
    *,
    by: User,
    station: LiaisonStation,
    kind: str,
    person: User,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> StationRole:
    """Give someone a post at a station (站长, 副站长, 轮值副站长 for a period, 联络员)."""
    require(by, Capability.MANAGE_STATIONS, station.street)
    if kind == "rotating" and ends_on is None:
        raise ValidationError({"ends_on": _("轮值副站长请填写轮值结束日期。")})
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于起始日期。")})
    if kind != "rotating":
        # One holder of a standing post at a time: the earlier one's term ends the day before.
        StationRole.objects.filter(station=station, kind=kind, ends_on__isnull=True, starts_on__lt=starts_on).update(
            ends_on=starts_on - datetime.timedelta(days=1)
        )
    return StationRole.objects.create(
        street_id=station.street_id, station=station, kind=kind, person=person, starts_on=starts_on, ends_on=ends_on
    )


@transaction.atomic
def station_message(*, station: LiaisonStation, content: str, name: str = "", phone: str = ""):
    """A resident's message from the public station page: a case in the loop (channel `reception`, the station
    as its source) whose tracking code the resident keeps."""
    return opinion_register(
        by=None,
        street=station.street,
        channel=Channel.RECEPTION,
        content=content,
        proposer_name=name,
        proposer_phone=phone,
        proposer_kind=ProposerKind.RESIDENT,
        source=station,
    )


def composition_shortfall(counts: dict[str, int]) -> dict[str, int]:
    """What a reception with these receivers (kind → how many) lacks of STATIONS_RECEPTION_COMPOSITION."""
    required = settings.STATIONS_RECEPTION_COMPOSITION
    return {kind: need - counts.get(kind, 0) for kind, need in required.items() if counts.get(kind, 0) < need}


@transaction.atomic
def reception_plan(
    *,
    by: User,
    station: LiaisonStation,
    starts_at: datetime.datetime,
    theme: str = "",
    themed_activity: bool = False,
    deputies=(),
    cadres=(),
    officials=(),
) -> Reception:
    """Plan a reception day: the deputies on duty and the leader cadres (people with accounts), and the other
    officials as (kind, name, organisation). The receivers with accounts are told STATIONS_ANNOUNCE_DAYS days
    ahead (at once when the day is nearer). `themed_activity`: the half-yearly themed activity with deputies
    gathered at the station (Art 14(5))."""
    require(by, Capability.MANAGE_STATIONS, station.street)
    deputies, cadres = list(deputies), list(cadres)
    if not deputies:
        raise ValidationError({"deputies": _("请至少安排一名值班代表。")})
    if any(d.street_id != station.street_id for d in deputies):
        raise ValidationError({"deputies": _("只能安排本街道的代表。")})
    reception = Reception.objects.create(
        street_id=station.street_id,
        station=station,
        starts_at=starts_at,
        theme=(theme or "").strip(),
        themed_activity=themed_activity,
        created_by=by,
    )
    people = [(ReceiverKind.DEPUTY, d.user) for d in deputies] + [(ReceiverKind.LEADER_CADRE, u) for u in cadres]
    seen = set()
    rows = []
    for kind, user in people:
        if user.pk not in seen:
            seen.add(user.pk)
            rows.append(
                Receiver(street_id=station.street_id, reception=reception, kind=kind, person=user, name=user.full_name)
            )
    for kind, name, organisation in officials:
        if kind not in ReceiverKind.values or kind in (ReceiverKind.DEPUTY, ReceiverKind.LEADER_CADRE):
            raise ValidationError({"officials": _("接待人员身份不正确。")})
        if (name or "").strip():
            rows.append(
                Receiver(
                    street_id=station.street_id,
                    reception=reception,
                    kind=kind,
                    name=name.strip()[:50],
                    organisation=(organisation or "").strip()[:100],
                )
            )
    Receiver.objects.bulk_create(rows)
    announce_at = starts_at - datetime.timedelta(days=settings.STATIONS_ANNOUNCE_DAYS)
    notice_send(
        by=by,
        street=station.street,
        kind="stations.reception",
        event_key=f"stations.reception:{reception.pk}",
        recipients=[r.person for r in rows if r.person is not None],
        title=_("接待日安排：%(station)s %(when)s")
        % {"station": station.name, "when": timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")},
        body=reception.theme or station.address,
        link=reception.get_absolute_url(),
        subject=reception,
        due_at=announce_at if announce_at > timezone.now() else None,
    )
    return reception


def may_register_visits(user: User, reception: Reception) -> bool:
    """Staff of the street, or someone receiving at this reception."""
    return (
        user.has_capability(Capability.MANAGE_STATIONS, reception.street)
        or reception.receivers.filter(person=user).exists()
    )


@transaction.atomic
def visit_register(
    *,
    by: User,
    reception: Reception,
    name: str,
    matter: str,
    sex: str = "",
    age: int | None = None,
    address: str = "",
    phone: str = "",
    confidential: bool = False,
    category: str = "",
    answer: str = "",
    pass_to_loop: bool = False,
    registered_at: datetime.datetime | None = None,
) -> Visit:
    """Register one visitor's matter: answered on the spot (`answer`) or passed into the loop (channel
    `reception`, the receiving deputy as proposer, the reception as source), so the resident gets a tracking code.
    `registered_at`: when (now by default; the demo records past days)."""
    if not may_register_visits(by, reception):
        raise PermissionDenied
    name, matter, answer = (name or "").strip(), (matter or "").strip(), (answer or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写来访人姓名。")})
    if not matter:
        raise ValidationError({"matter": _("请记录反映的事项。")})
    if answer and pass_to_loop:
        raise ValidationError({"answer": _("当场答复的事项不再转入办理；请二选一。")})
    if not answer and not pass_to_loop:
        raise ValidationError({"answer": _("请填写当场答复，或选择转入意见建议办理。")})
    reception = Reception.objects.select_for_update().get(pk=reception.pk)
    number = (reception.visits.aggregate(n=Max("number"))["n"] or 0) + 1
    visit = Visit(
        street_id=reception.street_id,
        reception=reception,
        number=number,
        name=name[:50],
        sex=sex,
        age=age,
        address=(address or "").strip()[:100],
        phone=(phone or "").strip()[:20],
        confidential=confidential,
        matter=matter,
        category=(category or "").strip()[:50],
        answer=answer,
        registered_by=by,
        registered_at=registered_at or timezone.now(),
    )
    if pass_to_loop:
        proposer = _proposing_deputy(by, reception)
        visit.opinion = opinion_register(
            by=by,
            street=reception.street,
            channel=Channel.RECEPTION,
            content=matter,
            category=category,
            proposer_name="" if proposer is None else proposer.full_name,
            proposer_user=proposer,
            proposer_kind=ProposerKind.DEPUTY if proposer is not None else ProposerKind.RESIDENT,
            source=reception,
            registered_at=visit.registered_at,
        )
    visit.save()
    return visit


def _proposing_deputy(by: User, reception: Reception) -> User | None:
    """The receiving deputy who proposes a passed-on matter: the one registering it, else the first on duty."""
    deputies = reception.receivers.filter(kind=ReceiverKind.DEPUTY, person__isnull=False).select_related("person")
    receivers = {r.person_id: r.person for r in deputies}
    if by.pk in receivers:
        return by
    return next(iter(receivers.values()), None)


@transaction.atomic
def reception_report(*, by: User, reception: Reception, summary: str, attended: set[int]) -> Reception:
    """After the day: the summary and who of the receivers came (the others did not)."""
    require(by, Capability.MANAGE_STATIONS, reception.street)
    if reception.starts_at > timezone.now():
        raise ValidationError(_("接待日尚未开始，不能登记小结和到场情况。"))
    summary = (summary or "").strip()
    if not summary:
        raise ValidationError({"summary": _("请填写接待小结。")})
    receivers = reception.receivers.all()
    receivers.filter(pk__in=attended).update(attended=True)
    receivers.exclude(pk__in=attended).update(attended=False)
    reception.summary = summary
    reception.reported_at = timezone.now()
    reception.save(update_fields=["summary", "reported_at"])
    return reception


def deputies_of(street: Street):
    """The street's deputies in office, for the forms' choices."""
    return Deputy.objects.in_office().filter(street=street, end_reason="").select_related("user")


# --- Annual activity plan, operating rules, training (Art 14(3)) -----------------------------------------

OPERATING_RULES_TEMPLATE = "stations/operating_rules_pdf.html"


@transaction.atomic
def plan_save(
    *,
    by: User,
    station: LiaisonStation,
    year: int,
    notes: str = "",
    items=(),
    plan: ActivityPlan | None = None,
    created_at: datetime.datetime | None = None,
) -> ActivityPlan:
    """Create a station's plan for a year or change one; `items` are (month, kind, title, notes) and replace the
    plan's items. `created_at`: when it was made (now by default; the demo records past plans)."""
    require(by, Capability.MANAGE_STATIONS, station.street)
    if plan is not None and plan.station_id != station.pk:
        raise PermissionDenied
    rows = []
    for month, kind, title, item_notes in items:
        title = (title or "").strip()
        if not title:
            continue
        if kind not in PlanItemKind.values or not 1 <= int(month) <= 12:
            raise ValidationError({"items": _("计划事项的月份或类别不正确。")})
        rows.append((int(month), kind, title[:100], (item_notes or "").strip()[:200]))
    if not rows:
        raise ValidationError({"items": _("请至少填写一项计划事项。")})
    same_year = ActivityPlan.objects.filter(station=station, year=year)
    if plan is not None:
        same_year = same_year.exclude(pk=plan.pk)
    if same_year.exists():
        raise ValidationError({"year": _("该联络站%(y)d年的活动计划已经存在，请修改原计划。") % {"y": year}})
    if plan is None:
        plan = ActivityPlan(street_id=station.street_id, station=station, created_by=by)
        plan.created_at = created_at or timezone.now()
    plan.year = year
    plan.notes = (notes or "").strip()
    plan.save()
    plan.items.all().delete()
    PlanItem.objects.bulk_create(
        PlanItem(street_id=station.street_id, plan=plan, month=m, kind=k, title=t, notes=n) for m, k, t, n in rows
    )
    return plan


@transaction.atomic
def operating_rules_save(*, by: User, station: LiaisonStation, text: str) -> OperatingRules:
    """Keep the draft of the station's operating rules for deputies (issued with `operating_rules_issue`)."""
    require(by, Capability.MANAGE_STATIONS, station.street)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写细则正文。")})
    rules, _created = OperatingRules.objects.update_or_create(
        station=station, defaults={"street_id": station.street_id, "text": text, "updated_by": by}
    )
    return rules


@transaction.atomic
def operating_rules_issue(
    *, by: User, station: LiaisonStation, background: bool = True, issued_on: datetime.date | None = None
):
    """Issue the current text as a numbered document rendered by the worker; an earlier issue stays as the
    previous version. Returns the Document."""
    from committee.documents.models import DocumentKind
    from committee.documents.services import document_issue

    require(by, Capability.MANAGE_STATIONS, station.street)
    rules = OperatingRules.objects.filter(station=station).first()
    if rules is None or not rules.text.strip():
        raise ValidationError(_("请先填写并保存细则正文。"))
    street = Street.objects.select_related("committee", "municipality").get(pk=station.street_id)
    committee_name = street.committee.name
    return document_issue(
        by=by,
        street=street,
        kind=DocumentKind.LETTER,
        title=str(rules),
        template_name=OPERATING_RULES_TEMPLATE,
        context={
            "issuer": committee_name,
            "signature": committee_name,
            "recipient": _("%(station)s进站代表") % {"station": station.name},
            "paragraphs": rendering.paragraphs(rules.text),
        },
        subject=station,
        view_capability=Capability.VIEW_STATIONS,
        background=background,
        issued_on=issued_on,
    )


def role_holders(street: Street):
    """The people holding a post at one of the street's stations (the attendees a training may have)."""
    return User.objects.filter(pk__in=StationRole.objects.filter(street=street).values("person_id")).order_by(
        "full_name", "pk"
    )


@transaction.atomic
def training_save(
    *,
    by: User,
    station: LiaisonStation,
    topic: str,
    held_on: datetime.date,
    organiser: str,
    attendees=(),
    notes: str = "",
    training: Training | None = None,
) -> Training:
    """Record a training of the station's leaders or change one; attendees hold a post at the street's stations."""
    require(by, Capability.MANAGE_STATIONS, station.street)
    if training is not None and training.street_id != station.street_id:
        raise PermissionDenied
    topic, organiser = (topic or "").strip(), (organiser or "").strip()
    if not topic:
        raise ValidationError({"topic": _("请填写培训主题。")})
    if not organiser:
        raise ValidationError({"organiser": _("请填写主讲人或组织单位。")})
    attendees = list(attendees)
    allowed = set(role_holders(station.street).values_list("pk", flat=True))
    if any(u.pk not in allowed for u in attendees):
        raise ValidationError({"attendees": _("参训人员须是本街道联络站的站长、副站长或联络员。")})
    training = training or Training(street_id=station.street_id, created_by=by)
    training.station = station
    training.topic, training.organiser = topic[:100], organiser[:100]
    training.held_on = held_on
    training.notes = (notes or "").strip()
    training.save()
    training.attendees.set(attendees)
    return training
