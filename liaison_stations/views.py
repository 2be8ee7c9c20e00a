"""Staff pages of the station network and receptions, the deputy's visitor register on a phone, and the public
station page (no login) whose messages open cases in the loop."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from committee.documents.rendering import qr_data_uri
from committee.documents.selectors import documents_for
from committee.models import Membership, User
from committee.pages import add_validation_error, paginate
from committee.permissions import get_for_user, streets_holding, streets_where
from committee.public import TOO_MANY_MESSAGE, too_many
from committee.roles import COMMITTEE_ROLES, Capability, Role
from liaison_stations import selectors, services
from liaison_stations.forms import (
    MessageForm,
    OperatingRulesForm,
    PhotosForm,
    PlanForm,
    PlanItemFormSet,
    ReceptionForm,
    ReportForm,
    RotaGenerateForm,
    RotaSlotForm,
    StationForm,
    StationRoleForm,
    SwapForm,
    TrainingForm,
    VisitForm,
    plan_items,
)
from liaison_stations.models import (
    OPEN_SWAP_STATES,
    ActivityPlan,
    LiaisonStation,
    OperatingRules,
    PlanItem,
    ReceiverKind,
    Reception,
    ReceptionPhoto,
    RotaSlot,
    SwapRequest,
    SwapState,
    Training,
    Visit,
)
from supervision.selectors import opinions_for_source

# --- Stations (staff, city read-only) --------------------------------------------------------------------


def _station(request, pk, capability) -> LiaisonStation:
    """A station of the user's streets with the capability (another street's: 404)."""
    return get_for_user(LiaisonStation.objects.select_related("street"), request.user, capability, pk=pk)


def station_list(request):
    streets = streets_where(request.user, Capability.VIEW_STATIONS)
    query = request.GET.get("q", "").strip()
    stations = selectors.search_stations(
        LiaisonStation.objects.for_user(request.user).filter(street__in=streets).select_related("street"), query
    )
    return render(
        request,
        "stations/station_list.html",
        {
            "page": paginate(request, stations.order_by("street", "kind", "name", "pk")),
            "query": query,
            "manage_streets": [s for s in streets if request.user.has_capability(Capability.MANAGE_STATIONS, s)],
            "many_streets": len(streets) > 1,
        },
    )


def station_detail(request, pk):
    station = _station(request, pk, Capability.VIEW_STATIONS)
    can_manage = request.user.has_capability(Capability.MANAGE_STATIONS, station.street)
    role_form = StationRoleForm(people=_street_people(station.street)) if can_manage else None
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "can_manage": can_manage,
            "roles": station.roles.select_related("person"),
            "deputies": station.deputies.select_related("user"),
            "upcoming": station.receptions.filter(starts_at__gte=timezone.now()).order_by("starts_at")[:5],
            "figures": selectors.station_figures(station),
            "role_form": role_form,
            "documents": documents_for(station),
            **_plans_section(station),
        },
    )


def _street_people(street):
    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(street=street, role__in=[*COMMITTEE_ROLES, Role.DEPUTY])
        .values("user_id")
    ).order_by("full_name")


@require_http_methods(["GET", "POST"])
def station_form(request, pk=None, street_pk=None):
    if pk is not None:
        station = _station(request, pk, Capability.MANAGE_STATIONS)
        street = station.street
    else:
        station = None
        streets = streets_where(request.user, Capability.MANAGE_STATIONS)
        street = next((s for s in streets if str(s.pk) == request.GET.get("street", "")), streets[0])
    form = StationForm(request.POST or None, instance=station, street=street)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            station = services.station_save(
                by=request.user, street=street, station=station, deputies=data.pop("deputies"), **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存。"))
            return redirect(station)
    title = _("修改联络站") if station else _("新增联络站（%(s)s）") % {"s": street.name}
    return render(request, "stations/form.html", {"form": form, "title": title, "back": station})


@require_http_methods(["POST"])
def role_add(request, pk):
    station = _station(request, pk, Capability.MANAGE_STATIONS)
    form = StationRoleForm(request.POST, people=_street_people(station.street))
    if form.is_valid():
        try:
            services.station_role_add(by=request.user, station=station, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已登记职务。"))
    else:
        messages.error(request, _("请填写职务、人员和起始日期。"))
    return redirect(station)


# --- Receptions ------------------------------------------------------------------------------------------


def reception_list(request):
    """Staff and city: the receptions of their streets; a deputy: the receptions they are on."""
    readable = streets_holding(request.user, Capability.VIEW_STATIONS)
    receptions = Reception.objects.for_user(request.user).filter(
        Q(street__in=readable) | Q(pk__in=selectors.my_reception_ids(request.user))
    )
    query = request.GET.get("q", "").strip()
    if query:
        receptions = receptions.filter(Q(theme__icontains=query) | Q(station__name__icontains=query))
    return render(
        request,
        "stations/reception_list.html",
        {"page": paginate(request, selectors.reception_rows(receptions).order_by("-starts_at", "-pk")), "query": query},
    )


def _reception(request, pk) -> Reception:
    """A reception for a reader: staff and city of its street, or one of its receivers; anyone else 404."""
    reception = get_object_or_404(Reception.objects.for_user(request.user).select_related("station", "street"), pk=pk)
    if not (
        request.user.has_capability(Capability.VIEW_STATIONS, reception.street)
        or reception.receivers.filter(person=request.user).exists()
    ):
        raise PermissionDenied
    return reception


def reception_detail(request, pk):
    reception = _reception(request, pk)
    counts = selectors.composition_counts(reception)
    return render(
        request,
        "stations/reception_detail.html",
        {
            "reception": reception,
            "receivers": reception.receivers.all(),
            "composition": [
                (ReceiverKind(kind).label, need, counts.get(kind, 0))
                for kind, need in settings.STATIONS_RECEPTION_COMPOSITION.items()
            ],
            "composition_met": selectors.composition_met(counts),
            "visits": reception.visits.select_related("opinion"),
            "opinions": opinions_for_source(reception),
            "can_manage": request.user.has_capability(Capability.MANAGE_STATIONS, reception.street),
            "can_register": services.may_register_visits(request.user, reception),
            "photos": reception.photos.all(),
            "photos_open": reception.starts_at <= timezone.now(),
            "documents": documents_for(reception),
        },
    )


@require_http_methods(["GET", "POST"])
def reception_add(request, pk):
    station = _station(request, pk, Capability.MANAGE_STATIONS)
    deputies = services.deputies_of(station.street)
    cadres = _street_people(station.street).filter(
        pk__in=Membership.objects.active().filter(street=station.street, role__in=COMMITTEE_ROLES).values("user_id")
    )
    form = ReceptionForm(request.POST or None, deputies=deputies, cadres=cadres, initial=_from_rota(request, station))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reception = services.reception_plan(
                by=request.user,
                station=station,
                starts_at=data["starts_at"],
                theme=data["theme"],
                kind=data["kind"],
                deputies=data["deputies"],
                cadres=data["cadres"],
                officials=form.officials(),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已安排接待日，接待人员将提前收到通知。"))
            return redirect(reception)
    return render(
        request, "stations/form.html", {"form": form, "title": _("安排接待日：%(s)s") % {"s": station}, "back": station}
    )


def _from_rota(request, station) -> dict:
    """Planning the reception of a rota date (?date=YYYY-MM-DD): the day at 9:00 and the rota's deputies."""
    day = parse_date(request.GET.get("date", "") or "") if request.method == "GET" else None
    if day is None:
        return {}
    starts_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
    return {"starts_at": starts_at, "deputies": [d.pk for d in services.rota_deputies(station, day)]}


@require_http_methods(["GET", "POST"])
def visit_add(request, pk):
    """The visitor register on the day, phone first: one visitor a form, answered or passed into the loop."""
    reception = _reception(request, pk)
    if not services.may_register_visits(request.user, reception):
        raise PermissionDenied
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        handling = data.pop("handling")
        try:
            visit = services.visit_register(
                by=request.user, reception=reception, pass_to_loop=handling == "loop", **data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if visit.opinion_id:
                messages.success(
                    request,
                    _("已转入意见建议办理，请告知来访人查询码 %(code)s。") % {"code": visit.opinion.tracking_code},
                )
            else:
                messages.success(request, _("已登记当场答复。"))
            return redirect(reception)
    return render(request, "stations/visit_form.html", {"form": form, "reception": reception})


@require_http_methods(["GET", "POST"])
def reception_report(request, pk):
    reception = _reception(request, pk)
    if not request.user.has_capability(Capability.MANAGE_STATIONS, reception.street):
        raise PermissionDenied
    receivers = list(reception.receivers.all())
    initial = {"summary": reception.summary, "attended": [str(r.pk) for r in receivers if r.attended is not False]}
    form = ReportForm(request.POST or None, receivers=receivers, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reception_report(
                by=request.user,
                reception=reception,
                summary=form.cleaned_data["summary"],
                attended={int(pk) for pk in form.cleaned_data["attended"]},
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已登记接待小结和到场情况。"))
            return redirect(reception)
    return render(request, "stations/form.html", {"form": form, "title": _("接待小结与到场情况"), "back": reception})


def visit_list(request):
    streets = streets_where(request.user, Capability.VIEW_STATIONS)
    visits = Visit.objects.for_user(request.user).filter(street__in=streets)
    query = request.GET.get("q", "").strip()
    if query:
        visits = visits.filter(Q(name__icontains=query) | Q(matter__icontains=query) | Q(category__icontains=query))
    visits = visits.select_related("reception__station", "opinion").order_by("-registered_at", "-pk")
    return render(request, "stations/visit_list.html", {"page": paginate(request, visits), "query": query})


# --- Public station page (no login) ----------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def public(request, code):
    station = get_object_or_404(LiaisonStation.objects.select_related("street"), public_code=code)
    form = MessageForm(request.POST or None)
    if request.method == "POST":
        if too_many(request, "stations.message"):
            form.is_valid()
            form.add_error(None, TOO_MANY_MESSAGE)
        elif form.is_valid():
            try:
                opinion = services.station_message(
                    station=station, **{k: form.cleaned_data[k] for k in ("content", "name", "phone")}
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("留言已送达联络站。请记下查询码 %(code)s，凭它查看办理情况。") % {"code": opinion.tracking_code},
                )
                return redirect("supervision:track", code=opinion.tracking_code)
    upcoming = (
        station.receptions.filter(starts_at__gte=timezone.now()).order_by("starts_at").prefetch_related("receivers")[:3]
    )
    return render(
        request,
        "stations/public.html",
        {
            "station": station,
            "form": form,
            "upcoming": upcoming,
            "qr": qr_data_uri(settings.SITE_URL + station.public_url()),
        },
    )


# --- The duty rota and swaps -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def rota(request, pk):
    """A station's rota for a year (staff plan it, city read it): the dates, who is on duty, whether the day's
    reception is planned; a helper fills the year's monthly dates."""
    station = _station(request, pk, Capability.VIEW_STATIONS)
    can_manage = request.user.has_capability(Capability.MANAGE_STATIONS, station.street)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    deputies = services.rota_candidates(station).select_related("user").order_by("user__full_name")
    generate_form = RotaGenerateForm(initial={"year": year}, prefix="generate")
    slot_form = RotaSlotForm(deputies=deputies, prefix="slot")
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "generate":
            generate_form = RotaGenerateForm(request.POST, prefix="generate")
            form, call = generate_form, lambda d: services.rota_generate(by=request.user, station=station, **d)
        else:
            slot_form = RotaSlotForm(request.POST, deputies=deputies, prefix="slot")
            form, call = slot_form, lambda d: services.rota_slot_add(by=request.user, station=station, **d)
        if form.is_valid():
            try:
                made = call(form.cleaned_data)
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                n = len(made) if isinstance(made, list) else 1
                messages.success(request, _("已排入值班表 %(n)d 人次。") % {"n": n})
                target_year = form.cleaned_data.get("year") or form.cleaned_data["on_date"].year
                return redirect(f"{request.path}?year={target_year}")
    return render(
        request,
        "stations/rota.html",
        {
            "station": station,
            "year": year,
            "days": selectors.rota_days(station, year),
            "can_manage": can_manage,
            "generate_form": generate_form if can_manage else None,
            "slot_form": slot_form if can_manage else None,
            "swaps": selectors.open_swaps(SwapRequest.objects.for_user(request.user).filter(slot__station=station))[
                :20
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def rota_remove(request, pk):
    slot = get_for_user(
        RotaSlot.objects.select_related("station__street", "deputy__user"),
        request.user,
        Capability.MANAGE_STATIONS,
        pk=pk,
    )
    back = reverse("stations:rota", args=[slot.station_id]) + f"?year={slot.on_date.year}"
    if request.method == "POST":
        try:
            services.rota_slot_remove(by=request.user, slot=slot)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已从值班表移除。"))
        return redirect(back)
    return render(
        request,
        "stations/confirm.html",
        {
            "title": _("移除值班安排"),
            "question": _("确定将 %(name)s 从 %(date)s 的值班表移除？")
            % {"name": slot.deputy.user.full_name, "date": f"{slot.on_date:%Y-%m-%d}"},
            "back": back,
        },
    )


def _my_slot(request, pk) -> RotaSlot:
    """A rota slot of the signed-in deputy; another street's is 404, another deputy's 403."""
    slot = get_object_or_404(
        RotaSlot.objects.for_user(request.user).select_related("station__street", "deputy__user"), pk=pk
    )
    if slot.deputy.user_id != request.user.pk:
        raise PermissionDenied
    return slot


@require_http_methods(["GET", "POST"])
def swap_add(request, pk):
    """A deputy, on a phone, asks another deputy of the station to swap one of their coming slots."""
    slot = _my_slot(request, pk)
    partners = services.rota_candidates(slot.station).exclude(pk=slot.deputy_id).select_related("user").order_by("pk")
    partner_slots = (
        RotaSlot.objects.filter(station=slot.station, on_date__gt=timezone.localdate())
        .exclude(deputy=slot.deputy)
        .select_related("deputy__user")
        .order_by("on_date", "pk")
    )
    form = SwapForm(request.POST or None, partners=partners, partner_slots=partner_slots)
    if request.method == "POST" and form.is_valid():
        try:
            swap = services.swap_ask(by=request.user, slot=slot, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已发出换班申请，等待对方同意后报工委审批。"))
            return redirect(swap)
    return render(request, "stations/swap_form.html", {"form": form, "slot": slot})


def _swap(request, pk) -> SwapRequest:
    """A swap for one of the two deputies or the street's staff (and city readers); another street's is 404."""
    swap = get_object_or_404(
        SwapRequest.objects.for_user(request.user).select_related(
            "slot__station__street",
            "slot__deputy__user",
            "partner__user",
            "partner_slot",
            "asked_by",
            "decided_by",
        ),
        pk=pk,
    )
    if request.user.pk not in (swap.slot.deputy.user_id, swap.partner.user_id) and not (
        request.user.has_capability(Capability.VIEW_STATIONS, swap.street)
    ):
        raise PermissionDenied
    return swap


SWAP_ACTIONS = {
    "agree": lambda by, swap: services.swap_answer(by=by, swap=swap, agree=True),
    "decline": lambda by, swap: services.swap_answer(by=by, swap=swap, agree=False),
    "approve": lambda by, swap: services.swap_decide(by=by, swap=swap, approve=True),
    "refuse": lambda by, swap: services.swap_decide(by=by, swap=swap, approve=False),
    "withdraw": lambda by, swap: services.swap_withdraw(by=by, swap=swap),
}


@require_http_methods(["GET", "POST"])
def swap_detail(request, pk):
    swap = _swap(request, pk)
    if request.method == "POST":
        action = SWAP_ACTIONS.get(request.POST.get("action", ""))
        if action is None:
            messages.error(request, _("未知的操作。"))
        else:
            try:
                action(request.user, swap)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("已处理。"))
        return redirect(swap)
    user = request.user
    return render(
        request,
        "stations/swap_detail.html",
        {
            "swap": swap,
            "can_answer": swap.state == SwapState.ASKED and swap.partner.user_id == user.pk,
            "can_decide": swap.state == SwapState.AGREED
            and user.has_capability(Capability.MANAGE_STATIONS, swap.street),
            "can_withdraw": swap.state in OPEN_SWAP_STATES and swap.slot.deputy.user_id == user.pk,
        },
    )


def swap_list(request):
    """Staff: the swaps of their streets, open ones first; a deputy: the swaps they asked or were asked for."""
    readable = streets_holding(request.user, Capability.VIEW_STATIONS)
    mine = Q(slot__deputy__user=request.user) | Q(partner__user=request.user)
    swaps = SwapRequest.objects.for_user(request.user).filter(Q(street__in=readable) | mine)
    state = request.GET.get("state", "")
    if state in SwapState.values:
        swaps = swaps.filter(state=state)
    query = request.GET.get("q", "").strip()
    if query:
        swaps = swaps.filter(
            Q(slot__deputy__user__full_name__icontains=query)
            | Q(partner__user__full_name__icontains=query)
            | Q(slot__station__name__icontains=query)
        )
    return render(
        request,
        "stations/swap_list.html",
        {
            "page": paginate(request, selectors.swap_rows(swaps)),
            "state": state,
            "states": SwapState.choices,
            "query": query,
        },
    )


# --- Photos of a reception day -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def photos_add(request, pk):
    reception = _reception(request, pk)
    if not services.may_add_photos(request.user, reception):
        raise PermissionDenied
    form = PhotosForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photos = services.photos_add(
                by=request.user,
                reception=reception,
                uploads=form.cleaned_data["photos"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已上传 %(n)d 张照片。") % {"n": len(photos)})
            return redirect(reception)
    return render(
        request, "stations/form.html", {"form": form, "title": _("上传接待照片"), "back": reception, "multipart": True}
    )


def _photo(request, pk) -> ReceptionPhoto:
    photo = get_object_or_404(
        ReceptionPhoto.objects.for_user(request.user).select_related("reception__street", "reception__station"), pk=pk
    )
    _reception(request, photo.reception_id)  # the reception's readers read its photos
    return photo


def photo(request, pk):
    """A photo (or with ?thumb=1 its thumbnail), for whoever may read its reception; never a public media URL."""
    item = _photo(request, pk)
    file = item.thumbnail if request.GET.get("thumb") else item.image
    response = FileResponse(file.open("rb"), filename=file.name.rsplit("/", 1)[-1])
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_http_methods(["GET", "POST"])
def photo_delete(request, pk):
    item = _photo(request, pk)
    reception = item.reception
    if request.method == "POST":
        services.photo_delete(by=request.user, photo=item)
        messages.success(request, _("已删除照片。"))
        return redirect(reception)
    if not (
        request.user.has_capability(Capability.MANAGE_STATIONS, reception.street)
        or item.uploaded_by_id == request.user.pk
    ):
        raise PermissionDenied
    return render(
        request,
        "stations/confirm.html",
        {
            "title": _("删除照片"),
            "question": _("确定删除这张照片？删除后无法恢复。"),
            "image": reverse("stations:photo", args=[item.pk]) + "?thumb=1",
            "back": reception.get_absolute_url(),
        },
    )


# --- Poster and reception notice ---------------------------------------------------------------------------------


@require_http_methods(["POST"])
def poster(request, pk):
    station = _station(request, pk, Capability.MANAGE_STATIONS)
    services.poster_issue(by=request.user, station=station)
    messages.success(request, _("海报正在生成，完成后可在下方下载。"))
    return redirect(station)


@require_http_methods(["POST"])
def reception_notice(request, pk):
    reception = _reception(request, pk)
    if not request.user.has_capability(Capability.MANAGE_STATIONS, reception.street):
        raise PermissionDenied
    services.reception_notice_issue(by=request.user, reception=reception)
    messages.success(request, _("接待公告正在生成，完成后可在下方下载。"))
    return redirect(reception)


# --- Annual activity plans, operating rules, training (Art 14(3)) ---------------------------------------


def _plans_section(station) -> dict:
    """The station page's Art 14(3) part (stations/_plans_section.html): plans, operating rules, trainings."""
    plans = list(station.plans.order_by("-year"))
    this_year = timezone.localdate().year
    return {
        "plans": plans,
        "next_plan_year": this_year + 1 if any(p.year == this_year for p in plans) else this_year,
        "rules_document": documents_for(station).filter(template=services.OPERATING_RULES_TEMPLATE).first(),
        "trainings": station.trainings.prefetch_related("attendees")[:10],
    }


def _year(request) -> int:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else timezone.localdate().year


def plan_list(request):
    streets = streets_where(request.user, Capability.VIEW_STATIONS)
    plans = ActivityPlan.objects.for_user(request.user).filter(street__in=streets)
    query = request.GET.get("q", "").strip()
    if query:
        plans = plans.filter(
            Q(station__name__icontains=query)
            | Q(pk__in=PlanItem.objects.filter(title__icontains=query).values("plan_id"))
        )
    year = request.GET.get("year", "")
    if year.isdigit():
        plans = plans.filter(year=int(year))
    plans = (
        plans.select_related("station", "street")
        .annotate(item_count=Count("items"))
        .order_by("-year", "street__name", "station__kind", "station__name", "pk")
    )
    return render(
        request,
        "stations/plan_list.html",
        {"page": paginate(request, plans), "query": query, "year": year, "many_streets": len(streets) > 1},
    )


def plan_detail(request, pk):
    """The plan by month, printable."""
    plan = get_for_user(
        ActivityPlan.objects.select_related("station", "street", "created_by"),
        request.user,
        Capability.VIEW_STATIONS,
        pk=pk,
    )
    items = list(plan.items.all())
    months = [(m, [i for i in items if i.month == m]) for m in range(1, 13)]
    return render(
        request,
        "stations/plan_detail.html",
        {
            "plan": plan,
            "months": [(m, rows) for m, rows in months if rows],
            "can_manage": request.user.has_capability(Capability.MANAGE_STATIONS, plan.street),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_form(request, pk=None, station_pk=None):
    if pk is not None:
        plan = get_for_user(
            ActivityPlan.objects.select_related("station__street"), request.user, Capability.MANAGE_STATIONS, pk=pk
        )
        station = plan.station
        initial = {"year": plan.year, "notes": plan.notes}
        rows = [{"month": i.month, "kind": i.kind, "title": i.title, "notes": i.notes} for i in plan.items.all()]
    else:
        plan, station = None, _station(request, station_pk, Capability.MANAGE_STATIONS)
        initial, rows = {"year": _year(request)}, []
    form = PlanForm(request.POST or None, initial=initial)
    formset = PlanItemFormSet(request.POST or None, prefix="items", initial=rows)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            plan = services.plan_save(
                by=request.user,
                station=station,
                plan=plan,
                year=form.cleaned_data["year"],
                notes=form.cleaned_data["notes"],
                items=plan_items(formset),
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存活动计划。"))
            return redirect(plan)
    title = _("修改活动计划") if plan else _("制定年度活动计划：%(s)s") % {"s": station}
    return render(
        request,
        "stations/plan_form.html",
        {"form": form, "formset": formset, "title": title, "back": plan or station},
    )


@require_http_methods(["GET", "POST"])
def operating_rules(request, pk):
    """The station's operating rules for deputies: the text (staff edit it) and its issued versions."""
    station = _station(request, pk, Capability.VIEW_STATIONS)
    can_manage = request.user.has_capability(Capability.MANAGE_STATIONS, station.street)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    rules = OperatingRules.objects.filter(station=station).first()
    form = None
    if can_manage:
        form = OperatingRulesForm(request.POST or None, initial={"text": rules.text if rules else ""})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                rules = services.operating_rules_save(by=request.user, station=station, text=form.cleaned_data["text"])
                document = (
                    services.operating_rules_issue(by=request.user, station=station)
                    if "issue" in request.POST
                    else None
                )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if document is not None:
                messages.success(request, _("已印发 %(n)s，PDF 正在生成。") % {"n": document.number})
            else:
                messages.success(request, _("已保存细则正文。"))
            return redirect("stations:rules", pk=station.pk)
    return render(
        request,
        "stations/operating_rules.html",
        {
            "station": station,
            "rules": rules,
            "form": form,
            "documents": documents_for(station).filter(template=services.OPERATING_RULES_TEMPLATE),
        },
    )


def training_list(request):
    streets = streets_where(request.user, Capability.VIEW_STATIONS)
    trainings = Training.objects.for_user(request.user).filter(street__in=streets)
    query = request.GET.get("q", "").strip()
    if query:
        trainings = trainings.filter(Q(topic__icontains=query) | Q(organiser__icontains=query))
    trainings = (
        trainings.select_related("station", "street")
        .annotate(attendee_count=Count("attendees"))
        .order_by("-held_on", "-pk")
    )
    return render(
        request,
        "stations/training_list.html",
        {"page": paginate(request, trainings), "query": query, "many_streets": len(streets) > 1},
    )


@require_http_methods(["GET", "POST"])
def training_form(request, pk=None, station_pk=None):
    if pk is not None:
        training = get_for_user(
            Training.objects.select_related("station__street"), request.user, Capability.MANAGE_STATIONS, pk=pk
        )
        station = training.station
        initial = {
            "topic": training.topic,
            "held_on": training.held_on,
            "organiser": training.organiser,
            "attendees": list(training.attendees.values_list("pk", flat=True)),
            "notes": training.notes,
        }
    else:
        training, station = None, _station(request, station_pk, Capability.MANAGE_STATIONS)
        initial = {}
    form = TrainingForm(request.POST or None, initial=initial, people=services.role_holders(station.street))
    if request.method == "POST" and form.is_valid():
        try:
            services.training_save(by=request.user, station=station, training=training, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("已保存培训记录。"))
            return redirect(station)
    title = _("修改培训记录") if training else _("登记培训：%(s)s") % {"s": station}
    return render(request, "stations/form.html", {"form": form, "title": title, "back": station})


# --- Every station in the user's scope with its figures (issue 11 §5) ---------------------------------


def network(request):
    """City users: every station of every street in scope; staff: their own street's. Read-only: the year's
    receptions and visitors, the matters passed into the loop with the loop's own figures."""
    streets = streets_where(request.user, Capability.VIEW_STATIONS)
    municipalities = {s.municipality_id: s.municipality for s in streets}
    municipality, street = request.GET.get("municipality", ""), request.GET.get("street", "")
    chosen = [
        s
        for s in streets
        if (not municipality or str(s.municipality_id) == municipality) and (not street or str(s.pk) == street)
    ]
    year = _year(request)
    stations = LiaisonStation.objects.for_user(request.user).filter(street__in=chosen)
    page = paginate(
        request,
        selectors.network_rows(stations, year).order_by(
            "street__municipality__name", "street__name", "kind", "name", "pk"
        ),
    )
    cases = selectors.network_cases([s.pk for s in page], year)
    return render(
        request,
        "stations/network.html",
        {
            "page": page,
            "rows": [(s, cases.get(s.pk)) for s in page],
            "year": year,
            "streets": streets,
            "municipalities": sorted(municipalities.values(), key=lambda m: m.name),
            "municipality": municipality,
            "street": street,
            "many_streets": len(streets) > 1,
        },
    )
