"""Every write to the stations, their posts, receptions and the visitor register. Matters passed on go into the
handling loop through `supervision.services` only."""

import datetime
import io
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image

from committee.documents import rendering
from committee.documents.models import DocumentKind
from committee.documents.rendering import qr_data_uri
from committee.documents.services import document_issue
from committee.models import Street, User
from committee.notices.services import notice_send
from committee.permissions import require
from committee.roles import Capability
from deputies.models import Deputy
from liaison_stations.models import (
    OPEN_SWAP_STATES,
    ActivityKind,
    ActivityPlan,
    LiaisonStation,
    OperatingRules,
    PlanItem,
    PlanItemKind,
    Receiver,
    ReceiverKind,
    Reception,
    ReceptionPhoto,
    RotaSlot,
    StationRole,
    SwapRequest,
    SwapState,
    Training,
    Visit,
)
from livelihood_votes.governance.photos import clean_photos
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
    kind: str = ActivityKind.RECEPTION,
    deputies=(),
    cadres=(),
    officials=(),
) -> Reception:
    """Plan a reception day: the deputies on duty and the leader cadres (people with accounts), and the other
    officials as (kind, name, organisation). The receivers with accounts are told STATIONS_ANNOUNCE_DAYS days
    ahead (at once when the day is nearer). `kind`: what the day is (ActivityKind: the monthly reception, the
    half-yearly themed activity of Art 14(5), a gathering of deputies of all levels, a state organ briefing)."""
    require(by, Capability.MANAGE_STATIONS, station.street)
    deputies, cadres = list(deputies), list(cadres)
    if not deputies:
        raise ValidationError({"deputies": _("请至少安排一名值班代表。")})
    if any(d.street_id != station.street_id for d in deputies):
        raise ValidationError({"deputies": _("只能安排本街道的代表。")})
    if kind not in ActivityKind.values:
        raise ValidationError({"kind": _("活动类型不正确。")})
    reception = Reception.objects.create(
        street_id=station.street_id,
        station=station,
        starts_at=starts_at,
        theme=(theme or "").strip(),
        kind=kind,
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


# --- The duty rota and its swaps (Art 14(4)) ---------------------------------------------------------------------


def rota_dates(year: int, day: int) -> list[datetime.date]:
    """A fixed monthly reception day through the year (the month's last day where it is shorter)."""
    dates = []
    for month in range(1, 13):
        last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
        dates.append(datetime.date(year, month, min(day, last)))
    return dates


def rota_candidates(station: LiaisonStation):
    """The deputies who may be on the station's rota: those attached to it, in office."""
    return Deputy.objects.in_office().filter(street_id=station.street_id, end_reason="", stations=station)


@transaction.atomic
def rota_generate(
    *, by: User, station: LiaisonStation, year: int, day: int = 15, per_day: int = 2, months=None
) -> list[RotaSlot]:
    """Fill the year's rota: on the `day` of each month (of `months`, all by default) `per_day` of the station's
    deputies, taken in turn. Dates that already have deputies on the rota are left as they are."""
    require(by, Capability.MANAGE_STATIONS, station.street)
    if not 1 <= day <= 31:
        raise ValidationError({"day": _("每月接待日应在 1 至 31 日之间。")})
    if not 1 <= per_day <= 10:
        raise ValidationError({"per_day": _("每次值班代表应为 1 至 10 人。")})
    deputies = list(rota_candidates(station).order_by("pk"))
    if not deputies:
        raise ValidationError(_("该联络站尚无进站代表，请先在联络站资料中登记进站代表。"))
    dates = [d for d in rota_dates(year, day) if months is None or d.month in months]
    taken = set(RotaSlot.objects.filter(station=station, on_date__in=dates).values_list("on_date", flat=True))
    rows, turn = [], 0
    for on_date in dates:
        if on_date in taken:
            continue
        for _n in range(min(per_day, len(deputies))):
            rows.append(RotaSlot(street_id=station.street_id, station=station, on_date=on_date, deputy=deputies[turn]))
            turn = (turn + 1) % len(deputies)
    return RotaSlot.objects.bulk_create(rows)


@transaction.atomic
def rota_slot_add(*, by: User, station: LiaisonStation, on_date: datetime.date, deputy: Deputy) -> RotaSlot:
    require(by, Capability.MANAGE_STATIONS, station.street)
    if not rota_candidates(station).filter(pk=deputy.pk).exists():
        raise ValidationError({"deputy": _("只能安排本联络站的在任进站代表。")})
    if RotaSlot.objects.filter(station=station, on_date=on_date, deputy=deputy).exists():
        raise ValidationError({"deputy": _("该代表当天已在值班表上。")})
    return RotaSlot.objects.create(street_id=station.street_id, station=station, on_date=on_date, deputy=deputy)


@transaction.atomic
def rota_slot_remove(*, by: User, slot: RotaSlot) -> None:
    require(by, Capability.MANAGE_STATIONS, slot.station.street)
    if slot.swaps.filter(state__in=OPEN_SWAP_STATES).exists():
        raise ValidationError(_("该值班安排有未办结的换班申请，请先处理。"))
    slot.delete()


def rota_deputies(station: LiaisonStation, on_date: datetime.date) -> list[Deputy]:
    """The deputies the rota puts on duty at the station that day: what planning its reception starts from."""
    slots = RotaSlot.objects.filter(station=station, on_date=on_date).select_related("deputy__user").order_by("pk")
    return [slot.deputy for slot in slots]


def _swap_notice(*, by, swap: SwapRequest, recipients, title: str, step: str) -> None:
    notice_send(
        by=by,
        street=swap.slot.station.street,
        kind="stations.swap",
        event_key=f"stations.swap:{swap.pk}:{step}",
        recipients=recipients,
        title=title,
        body=f"{swap.slot.station.name} {swap.slot.on_date:%Y-%m-%d}",
        link=swap.get_absolute_url(),
        subject=swap,
    )


def _station_officers(station: LiaisonStation) -> list[User]:
    """Who handles the station's swaps: its liaison officers and masters in post today."""
    today = timezone.localdate()
    roles = (
        StationRole.objects.filter(station=station, kind__in=["officer", "master"], starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .select_related("person")
    )
    return [role.person for role in roles]


@transaction.atomic
def swap_ask(
    *, by: User, slot: RotaSlot, partner: Deputy, partner_slot: RotaSlot | None = None, reason: str = ""
) -> SwapRequest:
    """The deputy on duty asks another deputy of the station to take the slot over (or, with `partner_slot`, to
    exchange it for one of theirs). The partner is told at once."""
    slot = RotaSlot.objects.select_related("station__street", "deputy").get(pk=slot.pk)
    if slot.deputy.user_id != by.pk:
        raise PermissionDenied
    today = timezone.localdate()
    if slot.on_date <= today:
        raise ValidationError(_("只能为今后的值班申请换班。"))
    if partner.pk == slot.deputy_id or not rota_candidates(slot.station).filter(pk=partner.pk).exists():
        raise ValidationError({"partner": _("请选择本联络站的另一名在任代表。")})
    if RotaSlot.objects.filter(station=slot.station, on_date=slot.on_date, deputy=partner).exists():
        raise ValidationError({"partner": _("对方当天已在值班表上，不能替班。")})
    if partner_slot is not None:
        if partner_slot.station_id != slot.station_id or partner_slot.deputy_id != partner.pk:
            raise ValidationError({"partner_slot": _("请选择对方在本联络站的值班安排。")})
        if partner_slot.on_date <= today:
            raise ValidationError({"partner_slot": _("只能互换今后的值班。")})
        if RotaSlot.objects.filter(station=slot.station, on_date=partner_slot.on_date, deputy=slot.deputy).exists():
            raise ValidationError({"partner_slot": _("您当天已在值班表上，不能互换这一天。")})
    if slot.swaps.filter(state__in=OPEN_SWAP_STATES).exists():
        raise ValidationError(_("这次值班已有一份未办结的换班申请。"))
    swap = SwapRequest.objects.create(
        street_id=slot.street_id,
        slot=slot,
        partner=partner,
        partner_slot=partner_slot,
        reason=(reason or "").strip()[:200],
        asked_by=by,
    )
    _swap_notice(
        by=by,
        swap=swap,
        recipients=[partner.user],
        title=_("%(name)s 请您换班：%(date)s") % {"name": by.full_name, "date": f"{slot.on_date:%Y-%m-%d}"},
        step="asked",
    )
    return swap


def _open_swap(swap: SwapRequest, state: str) -> SwapRequest:
    swap = (
        SwapRequest.objects.select_for_update(of=("self",))
        .select_related("slot__station__street", "slot__deputy__user", "partner__user", "partner_slot")
        .get(pk=swap.pk)
    )
    if swap.state != state:
        raise ValidationError(_("该换班申请已处理（%(state)s）。") % {"state": swap.get_state_display()})
    return swap


@transaction.atomic
def swap_answer(*, by: User, swap: SwapRequest, agree: bool) -> SwapRequest:
    """The partner agrees (the request goes to staff for approval) or declines (it ends there)."""
    swap = _open_swap(swap, SwapState.ASKED)
    if swap.partner.user_id != by.pk:
        raise PermissionDenied
    swap.state = SwapState.AGREED if agree else SwapState.DECLINED
    swap.answered_at = timezone.now()
    swap.save(update_fields=["state", "answered_at"])
    names = {"name": by.full_name, "date": f"{swap.slot.on_date:%Y-%m-%d}"}
    if agree:
        _swap_notice(
            by=by,
            swap=swap,
            recipients=[swap.slot.deputy.user, *_station_officers(swap.slot.station)],
            title=_("换班待审批：%(name)s 同意替 %(date)s 的值班") % names,
            step="agreed",
        )
    else:
        _swap_notice(
            by=by,
            swap=swap,
            recipients=[swap.slot.deputy.user],
            title=_("%(name)s 未同意换班（%(date)s）") % names,
            step="declined",
        )
    return swap


@transaction.atomic
def swap_withdraw(*, by: User, swap: SwapRequest) -> SwapRequest:
    swap = SwapRequest.objects.select_related("slot__deputy").get(pk=swap.pk)
    if swap.slot.deputy.user_id != by.pk:
        raise PermissionDenied
    if swap.state not in OPEN_SWAP_STATES:
        raise ValidationError(_("该换班申请已处理（%(state)s）。") % {"state": swap.get_state_display()})
    swap = _open_swap(swap, swap.state)
    swap.state = SwapState.WITHDRAWN
    swap.save(update_fields=["state"])
    return swap


def _move_receiver(slot: RotaSlot, old: Deputy, new: Deputy) -> None:
    """A reception already planned on the slot's day and not yet started: the new deputy receives instead."""
    receptions = Reception.objects.filter(
        station_id=slot.station_id, starts_at__date=slot.on_date, starts_at__gt=timezone.now()
    )
    Receiver.objects.filter(reception__in=receptions, person_id=old.user_id, kind=ReceiverKind.DEPUTY).exclude(
        reception__receivers__person_id=new.user_id
    ).update(person_id=new.user_id, name=new.user.full_name[:50])


@transaction.atomic
def swap_decide(*, by: User, swap: SwapRequest, approve: bool) -> SwapRequest:
    """Staff approve (the rota changes, and the receivers of a reception already planned on the day and not yet
    held) or refuse an agreed swap. Both deputies are told."""
    swap = _open_swap(swap, SwapState.AGREED)
    require(by, Capability.MANAGE_STATIONS, swap.slot.station.street)
    requester, partner = swap.slot.deputy, swap.partner
    if approve:
        if RotaSlot.objects.filter(station_id=swap.slot.station_id, on_date=swap.slot.on_date, deputy=partner).exists():
            raise ValidationError(_("换班代表当天已在值班表上，不能批准。"))
        if (
            swap.partner_slot is not None
            and RotaSlot.objects.filter(
                station_id=swap.slot.station_id, on_date=swap.partner_slot.on_date, deputy=requester
            ).exists()
        ):
            raise ValidationError(_("申请人在互换的那天已在值班表上，不能批准。"))
        slots = RotaSlot.objects.select_for_update().filter(pk__in=[swap.slot_id, swap.partner_slot_id])
        list(slots)  # lock both
        swap.slot.deputy = partner
        swap.slot.save(update_fields=["deputy"])
        _move_receiver(swap.slot, requester, partner)
        if swap.partner_slot is not None:
            swap.partner_slot.deputy = requester
            swap.partner_slot.save(update_fields=["deputy"])
            _move_receiver(swap.partner_slot, partner, requester)
    swap.state = SwapState.APPROVED if approve else SwapState.REFUSED
    swap.decided_by, swap.decided_at = by, timezone.now()
    swap.save(update_fields=["state", "decided_by", "decided_at"])
    names = {"date": f"{swap.slot.on_date:%Y-%m-%d}", "station": swap.slot.station.name}
    _swap_notice(
        by=by,
        swap=swap,
        recipients=[requester.user, partner.user],
        title=(_("换班已批准：%(station)s %(date)s") if approve else _("换班未获批准：%(station)s %(date)s")) % names,
        step="decided",
    )
    return swap


# --- Photos of a reception day ------------------------------------------------------------------------------------

THUMBNAIL_PX = 320


def may_add_photos(user: User, reception: Reception) -> bool:
    """Staff of the street, or someone receiving at this reception (the same people who register visitors)."""
    return may_register_visits(user, reception)


def _thumbnail(photo: ContentFile) -> ContentFile:
    with Image.open(io.BytesIO(photo.read())) as image:
        image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
    photo.seek(0)
    return ContentFile(out.getvalue())


@transaction.atomic
def photos_add(*, by: User, reception: Reception, uploads, caption: str = "") -> list[ReceptionPhoto]:
    """Photos of the day, once the reception has started: each checked by its content (JPEG, PNG or WebP under
    SNAPSHOT_PHOTO_MAX_BYTES, at most SNAPSHOT_MAX_PHOTOS at a time), stored re-encoded without metadata under an
    unguessable name, with a thumbnail for the reception page."""
    if not may_add_photos(by, reception):
        raise PermissionDenied
    if reception.starts_at > timezone.now():
        raise ValidationError({"photos": _("接待日开始后才能上传照片。")})
    cleaned = clean_photos(uploads)
    if not cleaned:
        raise ValidationError({"photos": _("请选择要上传的照片。")})
    photos = []
    for content in cleaned:
        token = secrets.token_urlsafe(12)
        photo = ReceptionPhoto(
            street_id=reception.street_id,
            reception=reception,
            caption=(caption or "").strip()[:100],
            uploaded_by=by,
        )
        thumbnail = _thumbnail(content)
        photo.image.save(f"{token}.{content.name.rsplit('.', 1)[-1]}", content, save=False)
        photo.thumbnail.save(f"{token}-thumb.jpg", thumbnail, save=False)
        photo.save()
        photos.append(photo)
    return photos


@transaction.atomic
def photo_delete(*, by: User, photo: ReceptionPhoto) -> None:
    """Staff, or whoever uploaded it. The files go once the deletion has committed."""
    if not (by.has_capability(Capability.MANAGE_STATIONS, photo.reception.street) or photo.uploaded_by_id == by.pk):
        raise PermissionDenied
    names = [photo.image.name, photo.thumbnail.name]
    photo.delete()
    transaction.on_commit(lambda: [default_storage.delete(name) for name in names if name])


# --- The station's poster and a reception's notice (printed matter through committee.documents) --------------------

POSTER_MONTHS = 3  # how far ahead the poster's reception calendar reaches


def poster_calendar(station: LiaisonStation, today: datetime.date, months: int = POSTER_MONTHS) -> list[dict]:
    """The reception days of the coming months: the planned receptions (time, theme, deputies on duty) and the
    rota's dates not yet planned (the rota's deputies), by date. Two queries."""
    until = (today.replace(day=1) + datetime.timedelta(days=32 * months)).replace(day=1)
    days: dict[datetime.date, dict] = {}
    receptions = (
        Reception.objects.filter(station=station, starts_at__date__gte=today, starts_at__date__lt=until)
        .prefetch_related("receivers")
        .order_by("starts_at")
    )
    for reception in receptions:
        start = timezone.localtime(reception.starts_at)
        days.setdefault(
            start.date(),
            {
                "date": f"{start:%Y-%m-%d}",
                "time": f"{start:%H:%M}",
                "what": reception.theme or reception.get_kind_display(),
                "deputies": "、".join(r.name for r in reception.receivers.all() if r.kind == ReceiverKind.DEPUTY),
            },
        )
    slots = (
        RotaSlot.objects.filter(station=station, on_date__gte=today, on_date__lt=until)
        .exclude(on_date__in=list(days))
        .select_related("deputy__user")
        .order_by("on_date", "pk")
    )
    for slot in slots:
        day = days.setdefault(
            slot.on_date, {"date": f"{slot.on_date:%Y-%m-%d}", "time": "", "what": _("接待群众"), "deputies": ""}
        )
        day["deputies"] = "、".join(filter(None, [day["deputies"], slot.deputy.user.full_name]))
    return [days[d] for d in sorted(days)]


@transaction.atomic
def poster_issue(*, by: User | None, station: LiaisonStation, background: bool = True):
    """The station's A4 poster: name, address, opening hours, contact, the QR code of its public page and the
    reception calendar of the coming months. A row now, the PDF from the worker (`background=False`: now)."""
    if by is not None:
        require(by, Capability.MANAGE_STATIONS, station.street)
    url = settings.SITE_URL + station.public_url()
    return document_issue(
        by=by,
        street=station.street,
        kind=DocumentKind.POSTER,
        title=_("%(station)s宣传海报") % {"station": station.name},
        template_name="stations/poster_pdf.html",
        context={
            "station": station.name,
            "street": station.street.name,
            "address": station.address,
            "opening_hours": station.opening_hours,
            "contact": station.contact,
            "url": url,
            "qr": qr_data_uri(url),
            "calendar": poster_calendar(station, timezone.localdate()),
        },
        subject=station,
        view_capability=Capability.VIEW_STATIONS,
        background=background,
    )


@transaction.atomic
def reception_notice_issue(*, by: User | None, reception: Reception, background: bool = True):
    """The printable 接待公告 of a reception: date, place, theme and who receives (deputies and officials)."""
    if by is not None:
        require(by, Capability.MANAGE_STATIONS, reception.street)
    station = reception.station
    start = timezone.localtime(reception.starts_at)
    receivers = reception.receivers.order_by("kind", "pk")
    url = settings.SITE_URL + station.public_url()
    return document_issue(
        by=by,
        street=reception.street,
        kind=DocumentKind.POSTER,
        title=_("%(station)s接待公告（%(date)s）") % {"station": station.name, "date": f"{start:%Y-%m-%d}"},
        template_name="stations/reception_notice_pdf.html",
        context={
            "station": station.name,
            "street": reception.street.name,
            "address": station.address,
            "contact": station.contact,
            "when": f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}",
            "kind": reception.get_kind_display(),
            "theme": reception.theme,
            "receivers": [
                {"kind": r.get_kind_display(), "name": r.name, "organisation": r.organisation} for r in receivers
            ],
            "url": url,
            "qr": qr_data_uri(url),
        },
        subject=reception,
        view_capability=Capability.VIEW_STATIONS,
        background=background,
    )


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
